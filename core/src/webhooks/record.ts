import { z } from 'zod';
// STUB
export const webhookRecordSchema = z.object({ id: z.number() });
export const webhookCreateSchema = z.object({ name: z.string() });
export const webhookUpdateSchema = webhookCreateSchema.partial();
export type WebhookRecord = z.infer<typeof webhookRecordSchema>;
export type WebhookCreate = z.infer<typeof webhookCreateSchema>;
export type WebhookUpdate = z.infer<typeof webhookUpdateSchema>;

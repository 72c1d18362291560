// STUB
export class WebhookVerificationError extends Error {}
export function sign(_input: {
  secret: string;
  id: string;
  timestamp: number;
  body: string | Uint8Array;
}): string {
  throw new Error('not implemented');
}
export function verify(_input: {
  secret: string;
  headers: Record<string, string | string[] | undefined>;
  body: string | Uint8Array;
  toleranceSeconds?: number;
}): void {
  throw new Error('not implemented');
}
export function generateSecret(): string {
  throw new Error('not implemented');
}

/**
 * Compile-time proof that a zod schema and a hand-written interface describe the same JSON: each
 * must be assignable to the other. Used where a shape is defined in views/ (shared with the UI
 * and the live hub) and mirrored in zod for the OpenAPI document and response checks.
 */
export type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

export function assertSame<T extends true>(_proof: T): void {}

// STUB
export function encodePhpJson(
  _value: unknown,
  _options?: { floatKeys?: ReadonlySet<string> },
): string {
  throw new Error('not implemented');
}

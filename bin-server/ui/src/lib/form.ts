/** `a=1&b=%20x&a=2` → [['a','1'],['b',' x'],['a','2']]: decoded, order and duplicates kept. */
export function formPairs(text: string): Array<[string, string]> {
  return [...new URLSearchParams(text)];
}

export function isFormContentType(contentType: string): boolean {
  return /^application\/x-www-form-urlencoded\b/i.test(contentType.trim());
}

// Node hands header values and the request target over as latin1 strings (one character per
// byte). These helpers get the original bytes back and show them as text when they are UTF-8.

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function latin1Bytes(value: string): Buffer {
  return Buffer.from(value, 'latin1');
}

/** The bytes as UTF-8 text, or undefined when they are not valid UTF-8. */
export function utf8Text(bytes: Uint8Array): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/** A header value or URL as received, shown as UTF-8 when its bytes are UTF-8. */
export function receivedText(value: string): string {
  return utf8Text(latin1Bytes(value)) ?? value;
}

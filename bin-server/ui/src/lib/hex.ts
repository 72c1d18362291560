const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

/**
 * A classic hex dump of `bytes[start, end)`, 16 bytes a line:
 * `00000010  7b 22 61 22 3a 31 7d 0a  00 00 00 00 00 00 00 00  |{"a":1}.........|`
 */
export function hexDump(bytes: Uint8Array, start = 0, end = bytes.length): string {
  const lines: string[] = [];
  for (let offset = start; offset < end; offset += 16) {
    const row = bytes.subarray(offset, Math.min(offset + 16, end));
    let hexPart = '';
    let text = '';
    for (let i = 0; i < 16; i += 1) {
      const byte = row[i];
      hexPart += byte === undefined ? '   ' : `${hex(byte, 2)} `;
      if (i === 7) hexPart += ' ';
      if (byte !== undefined) text += byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : '.';
    }
    lines.push(`${hex(offset, 8)}  ${hexPart} |${text}|`);
  }
  return lines.join('\n');
}

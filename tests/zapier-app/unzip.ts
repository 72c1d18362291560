import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

export interface ZipEntry {
  name: string;
  symlink: boolean;
}

/**
 * Extracts a zip (stored or deflated entries, as the Zapier CLI's archiver writes them) with
 * Node alone: the machines that run these tests need not have `unzip`. Refuses entries that
 * would land outside `dir`.
 */
export function unzip(zipPath: string, dir: string): ZipEntry[] {
  const zip = fs.readFileSync(zipPath);
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error(`${zipPath} is not a zip file (no end of central directory)`);
  const count = zip.readUInt16LE(eocd + 10);
  let offset = zip.readUInt32LE(eocd + 16);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(offset) !== 0x02014b50)
      throw new Error(`bad central directory entry ${i}`);
    const method = zip.readUInt16LE(offset + 10);
    const compressedSize = zip.readUInt32LE(offset + 20);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    const externalAttributes = zip.readUInt32LE(offset + 38);
    const localOffset = zip.readUInt32LE(offset + 42);
    const name = zip.toString('utf8', offset + 46, offset + 46 + nameLength);
    offset += 46 + nameLength + extraLength + commentLength;

    const target = path.resolve(dir, name);
    if (target !== dir && !target.startsWith(dir + path.sep))
      throw new Error(`zip entry escapes: ${name}`);
    if (name.endsWith('/')) {
      fs.mkdirSync(target, { recursive: true });
      continue;
    }
    const localNameLength = zip.readUInt16LE(localOffset + 26);
    const localExtraLength = zip.readUInt16LE(localOffset + 28);
    const start = localOffset + 30 + localNameLength + localExtraLength;
    const raw = zip.subarray(start, start + compressedSize);
    const data = method === 0 ? raw : method === 8 ? zlib.inflateRawSync(raw) : undefined;
    if (!data) throw new Error(`zip entry ${name} uses compression method ${method}`);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    // Unix mode lives in the upper 16 bits; 0o120000 marks a symlink whose data is its target.
    const symlink = ((externalAttributes >>> 16) & 0o170000) === 0o120000;
    if (symlink) fs.symlinkSync(data.toString('utf8'), target);
    else fs.writeFileSync(target, data);
    entries.push({ name, symlink });
  }
  return entries;
}

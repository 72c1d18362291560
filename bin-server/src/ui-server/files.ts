import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where `npm run build -w bin-server` writes the browser app (same place from src/ and dist/). */
export const defaultWebRoot = fileURLToPath(new URL('../../dist/ui/', import.meta.url));

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export function contentTypeFor(file: string): string {
  return contentTypes[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** esbuild names hashed outputs `assets/<name>-<HASH>.<ext>`: their content never changes. */
export function isImmutableAsset(urlPath: string): boolean {
  return /^\/assets\/[\w.-]+-[A-Z0-9]{8,}\.(?:js|css)(?:\.map)?$/.test(urlPath);
}

/**
 * Maps a URL path to a file inside `root`, or undefined when the path is malformed or would leave
 * the folder (`..`, encoded slashes, NUL, backslashes).
 */
export function resolveFile(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded === '/' || decoded === '') decoded = '/index.html';
  if (!/^\/[\w./-]+$/.test(decoded) || decoded.split('/').some((part) => part === '..')) {
    return undefined;
  }
  const file = path.resolve(root, `.${decoded}`);
  const base = path.resolve(root);
  return file.startsWith(base + path.sep) ? file : undefined;
}

export async function statFile(file: string): Promise<fs.Stats | undefined> {
  try {
    const stats = await fs.promises.stat(file);
    return stats.isFile() ? stats : undefined;
  } catch {
    return undefined;
  }
}

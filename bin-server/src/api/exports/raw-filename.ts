/**
 * File extensions for a raw body download, by media type. Types a browser would run when the file
 * is opened from disk (HTML, SVG, JavaScript) are saved as `.txt`: a captured payload is never
 * handed out as a page.
 */
const EXACT: Record<string, string> = {
  'application/json': 'json',
  'text/json': 'json',
  'application/xml': 'xml',
  'text/xml': 'xml',
  'text/csv': 'csv',
  'text/plain': 'txt',
  'application/x-www-form-urlencoded': 'txt',
  'application/yaml': 'yaml',
  'application/x-yaml': 'yaml',
  'text/yaml': 'yaml',
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'application/pdf': 'pdf',
  'application/zip': 'zip',
  'application/gzip': 'gz',
  'application/x-gzip': 'gz',
};

function rawExtension(contentType: string): string {
  const media = contentType.split(';')[0]!.trim().toLowerCase();
  const exact = EXACT[media];
  if (exact) return exact;
  if (media.endsWith('+json')) return 'json';
  if (media.endsWith('+xml') && media !== 'image/svg+xml' && media !== 'application/xhtml+xml') {
    return 'xml';
  }
  // HTML, SVG, JavaScript, CSS and other text: readable, never rendered.
  if (media.startsWith('text/') || media === 'image/svg+xml' || media.includes('javascript')) {
    return 'txt';
  }
  if (media === 'application/xhtml+xml') return 'txt';
  return 'bin';
}

/** `req_….json`: the request id (letters, digits, `_`) and the extension for its content type. */
export function rawFilename(requestId: string, contentType: string): string {
  return `${requestId}.${rawExtension(contentType)}`;
}

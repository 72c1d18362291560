/**
 * The bin id when `url` is a capture URL of this server (`<base>/b/<id>[/…]`), else null; lets the
 * webhook views link straight to the bin that receives the deliveries.
 */
export function binIdOf(url: string, capturePrefix: string | undefined): string | null {
  const prefixes = [capturePrefix, `${location.origin}/b/`].filter((p): p is string => Boolean(p));
  for (const prefix of prefixes) {
    if (!url.startsWith(prefix)) continue;
    const id = url.slice(prefix.length).split(/[/?#]/)[0] ?? '';
    return /^[A-Za-z0-9_-]{4,64}$/.test(id) ? id : null;
  }
  return null;
}

/** Origins of the URLs seen lately: every fire and every claim asks again for the same targets. */
const origins = new Map<string, string>();

/**
 * `scheme://host:port` of a target URL: the unit of the dispatcher's per-target limit and of
 * `DeliveryStore.claim`'s `excludeOrigins`.
 */
export function originOf(url: string): string {
  let origin = origins.get(url);
  if (origin === undefined) {
    try {
      origin = new URL(url).origin;
    } catch {
      origin = url;
    }
    if (origins.size >= 1024) origins.delete(origins.keys().next().value!);
    origins.set(url, origin);
  }
  return origin;
}

/**
 * `scheme://host:port` of a target URL: the unit of the dispatcher's per-target limit and of
 * `DeliveryStore.claim`'s `excludeOrigins`.
 */
export function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

import { catalog } from '@umhooks/core';

/** A ~1 KB real payload: the catalog sample of a delivered event closest to 1,024 bytes. */
export function catalogBody(): { event: string; body: string } {
  const samples = catalog
    .filter((e) => e.delivery === 'webhook')
    .map((e) => ({ event: e.id, body: JSON.stringify(e.sample) }));
  if (samples.length === 0) throw new Error('the @umhooks/core catalog is empty');
  samples.sort((x, y) => Math.abs(x.body.length - 1024) - Math.abs(y.body.length - 1024));
  return samples[0]!;
}

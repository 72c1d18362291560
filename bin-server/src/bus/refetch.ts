import type { RefetchNotice } from '../wire/live.js';

type Fields = Record<string, unknown> | undefined;

function idOf(value: unknown): string | number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.length <= 100) return value;
  return undefined;
}

/**
 * The small stand-in for `message` on `topic` (see RefetchNotice): its type, its bin and the id
 * of what it is about (`id`, or the id of its `request`, `delivery`, `webhook` or `value`).
 */
export function refetchNotice(topic: string, message?: object): RefetchNotice {
  const fields = message as Fields;
  const type = fields?.type;
  const notice: RefetchNotice = {
    type: 'refetch',
    topic,
    of: typeof type === 'string' && type.length <= 40 ? type : '*',
  };
  const bin = fields?.bin;
  if (typeof bin === 'string' && bin.length <= 64) notice.bin = bin;
  const id =
    idOf(fields?.id) ??
    ['request', 'delivery', 'webhook', 'value']
      .map((key) => idOf((fields?.[key] as Fields)?.id))
      .find((value) => value !== undefined);
  if (id !== undefined) notice.id = id;
  return notice;
}

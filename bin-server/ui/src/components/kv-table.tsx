import type { ComponentChildren } from 'preact';

export interface KvTableProps {
  pairs: ReadonlyArray<readonly [string, string]>;
  keyLabel?: string;
  valueLabel?: string;
  empty?: ComponentChildren;
  /** Marks names that appear more than once (headers received twice). */
  markDuplicates?: boolean;
  caseInsensitive?: boolean;
  caption?: string;
  /** Names stay on one line (never cut mid-word); the values wrap instead. */
  wholeNames?: boolean;
}

/** Name/value pairs in the order received; values are text, long ones wrap. */
export function KvTable({
  pairs,
  keyLabel = 'Name',
  valueLabel = 'Value',
  empty = 'None',
  markDuplicates = false,
  caseInsensitive = false,
  caption,
  wholeNames = false,
}: KvTableProps) {
  if (pairs.length === 0) return <p class="muted small">{empty}</p>;
  const norm = (k: string) => (caseInsensitive ? k.toLowerCase() : k);
  const counts = new Map<string, number>();
  if (markDuplicates) for (const [k] of pairs) counts.set(norm(k), (counts.get(norm(k)) ?? 0) + 1);
  const table = (
    <table class={wholeNames ? 'kv-table kv-table-whole-names' : 'kv-table'}>
      {caption && <caption class="visually-hidden">{caption}</caption>}
      <thead>
        <tr>
          <th scope="col">{keyLabel}</th>
          <th scope="col">{valueLabel}</th>
        </tr>
      </thead>
      <tbody>
        {pairs.map(([key, value], i) => (
          <tr key={i}>
            <th scope="row" class="kv-key">
              <span class="mono">{key}</span>
              {(counts.get(norm(key)) ?? 0) > 1 && (
                <span class="tag tag-muted" title="This name was received more than once">
                  repeated
                </span>
              )}
            </th>
            <td class="kv-value mono">
              {value === '' ? <span class="muted">(empty)</span> : value}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
  // A name longer than the space scrolls inside its box rather than widening the page.
  return wholeNames ? <div class="kv-scroll">{table}</div> : table;
}

import { describe, expect, it } from 'vitest';
import {
  diffHeaders,
  diffJson,
  fieldPath,
  parseForDiff,
} from '../../../bin-server/ui/src/lib/compare.js';

/** The compare view's diff of two captured requests: field paths and header names. */
describe('compare two requests', () => {
  const parsed = (text: string) => parseForDiff(text)!.value;

  it('names every field by its path, odd keys quoted', () => {
    expect(fieldPath([])).toBe('(root)');
    expect(fieldPath(['customer', 'email'])).toBe('customer.email');
    expect(fieldPath(['items', 0, 'amount'])).toBe('items[0].amount');
    expect(fieldPath(['a.b', 'c d', ''])).toBe('["a.b"]["c d"][""]');
  });

  it('lists added, removed and changed fields with their JSON text', () => {
    const left = parsed('{"status":"pending","line_2":"Suite 4","items":[{"n":1}],"same":true}');
    const right = parsed('{"status":"completed","items":[{"n":2},{"n":3}],"same":true,"id":"pi"}');
    expect(diffJson(left, right)).toEqual([
      { path: 'status', kind: 'changed', left: '"pending"', right: '"completed"' },
      { path: 'line_2', kind: 'removed', left: '"Suite 4"' },
      { path: 'items[0].n', kind: 'changed', left: '1', right: '2' },
      { path: 'items[1]', kind: 'added', right: '{"n":3}' },
      { path: 'id', kind: 'added', right: '"pi"' },
    ]);
  });

  it('does not mistake keys of Object.prototype for fields of the other side', () => {
    const left = parsed('{"toString":1,"constructor":{"x":1},"__proto__":{"y":1}}');
    expect(diffJson(left, parsed('{}'))).toEqual([
      { path: 'toString', kind: 'removed', left: '1' },
      { path: 'constructor', kind: 'removed', left: '{"x":1}' },
      { path: '__proto__', kind: 'removed', left: '{"y":1}' },
    ]);
    expect(diffJson(parsed('{}'), left).map((c) => c.kind)).toEqual(['added', 'added', 'added']);
  });

  it('compares scalars and mismatched containers whole', () => {
    expect(diffJson(parsed('1'), parsed('1'))).toEqual([]);
    expect(diffJson(parsed('[1]'), parsed('{"0":1}'))).toEqual([
      { path: '(root)', kind: 'changed', left: '[1]', right: '{"0":1}' },
    ]);
    expect(parseForDiff('{not json')).toBeUndefined();
    expect(parseForDiff(null)).toBeUndefined();
  });

  it('compares headers by name, case-insensitively, every value kept', () => {
    expect(
      diffHeaders(
        [
          ['Content-Type', 'application/json'],
          ['X-A', '1'],
          ['Set', 'a'],
          ['Set', 'b'],
        ],
        [
          ['content-type', 'application/json'],
          ['set', 'a'],
          ['X-B', '2'],
        ],
      ),
    ).toEqual([
      {
        name: 'content-type',
        kind: 'same',
        left: ['application/json'],
        right: ['application/json'],
      },
      { name: 'x-a', kind: 'removed', left: ['1'], right: [] },
      { name: 'set', kind: 'changed', left: ['a', 'b'], right: ['a'] },
      { name: 'x-b', kind: 'added', left: [], right: ['2'] },
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import {
  formatBody,
  formatLine,
  formatRecognition,
  printable,
} from '../../../bin-server/src/cli/tail-format.js';
import { parseTailTarget } from '../../../bin-server/src/cli/tail.js';
import type { RequestSummaryJson } from '../../../bin-server/src/wire/request.js';

const summary = (overrides: Partial<RequestSummaryJson> = {}): RequestSummaryJson => ({
  id: 'req_x',
  bin_id: 'bin1',
  seq: 1,
  received_at: new Date(2026, 0, 2, 3, 4, 5, 6).toISOString(),
  method: 'POST',
  path: '/hook',
  query: 'a=1',
  url: '/hook?a=1',
  headers: [],
  remote_address: '127.0.0.1',
  size: 2048,
  content_type: 'application/json',
  recognition: null,
  answer: null,
  signature: null,
  ...overrides,
});

describe('tail output', () => {
  it('formats one line per request', () => {
    expect(formatLine(summary())).toBe(
      '03:04:05.006  POST     /hook?a=1  2.0 KB  application/json  -',
    );
    expect(formatLine(summary({ content_type: '', size: 0 }))).toContain('0 B  (no content type)');
  });

  it('names the recognized event and counts schema issues', () => {
    const candidate = { event: 'payment_received', score: 1, missing: [], extra: [], tie: false };
    const recognition = {
      expected: null,
      candidates: [candidate],
      checked_event: 'payment_received',
      issues: [],
      json_error: null,
    };
    expect(formatRecognition(summary({ recognition }))).toBe('payment_received ✓');
    const issue = {
      path: 'payment_id',
      code: 'missing' as const,
      severity: 'error' as const,
      message: 'missing',
    };
    expect(
      formatRecognition(summary({ recognition: { ...recognition, issues: [issue, issue] } })),
    ).toBe('payment_received: 2 issues');
    const weak = {
      expected: null,
      candidates: [{ ...candidate, score: 0.3 }],
      checked_event: null,
      issues: [],
      json_error: null,
    };
    expect(formatRecognition(summary({ recognition: weak }))).toBe(
      'payment_received? (30% of keys)',
    );
    const none = {
      expected: null,
      candidates: [],
      checked_event: null,
      issues: [],
      json_error: null,
    };
    expect(formatRecognition(summary({ recognition: none }))).toBe('JSON, no known event');
  });

  it('never writes control characters from captured data to the terminal', () => {
    expect(printable('a\u001b[2Jb\r\u0007')).toBe('a\\x1b[2Jb\\x0d\\x07');
    expect(printable('line 1\r\nline 2\tx\u009b', true)).toBe('line 1\nline 2\tx\\x9b');
    expect(formatBody(Buffer.from('{"a":"\u001b]0;pwned\u0007"}'))).toBe(
      '{"a":"\\x1b]0;pwned\\x07"}',
    );
  });

  it('shows text bodies as text and binary ones as a bounded hex dump', () => {
    expect(formatBody(Buffer.alloc(0))).toBe('(empty body)');
    expect(formatBody(Buffer.from('héllo'))).toBe('héllo');
    const binary = Buffer.from(Array.from({ length: 300 }, (_, i) => i % 256));
    const dump = formatBody(binary).split('\n');
    expect(dump[0]).toBe(
      '00000000  00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f  |................|',
    );
    expect(dump).toHaveLength(17);
    expect(dump.at(-1)).toBe('… 44 more bytes (binary)');
    expect(formatBody(Buffer.from([0xc3, 0x28]))).toMatch(/^00000000 {2}c3 28/);
  });
});

describe('tail target', () => {
  it('takes a bin id or a bin URL', () => {
    expect(parseTailTarget('my-bin', undefined)).toEqual({
      server: 'http://127.0.0.1:8787',
      binId: 'my-bin',
    });
    expect(parseTailTarget('my-bin', 'http://127.0.0.1:9000/')).toEqual({
      server: 'http://127.0.0.1:9000',
      binId: 'my-bin',
    });
    expect(
      parseTailTarget(
        'https://hooks.example.com/prefix/b/abcd1234/payment_received?x=1',
        undefined,
      ),
    ).toEqual({
      server: 'https://hooks.example.com/prefix',
      binId: 'abcd1234',
    });
    expect(parseTailTarget('http://127.0.0.1:8787/b/abcd1234', 'http://other:1')).toEqual({
      server: 'http://other:1',
      binId: 'abcd1234',
    });
    expect(() => parseTailTarget('abc', undefined)).toThrow(/not a bin id/);
    expect(() => parseTailTarget('http://127.0.0.1:8787/api/bins', undefined)).toThrow(
      /not a bin URL/,
    );
    expect(() => parseTailTarget('abcd', 'ftp://x')).toThrow(/not an http/);
  });
});

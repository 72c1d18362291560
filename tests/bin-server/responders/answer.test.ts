import { describe, expect, it } from 'vitest';
import { settlementOf } from '../../../bin-server/src/responders/answer.js';

// What a forwarder's answer may carry back to a sender: the app's end-to-end headers and bytes,
// within a bin answer's bounds; anything else settles the hold as failed (the bin answers itself).

const ok = (overrides: Record<string, unknown> = {}) => ({
  request_id: 'req_1',
  status: 200,
  status_text: 'OK',
  headers: [['Content-Type', 'text/plain']],
  body_base64: Buffer.from('hi').toString('base64'),
  app_ms: 12,
  ...overrides,
});

describe('settlementOf', () => {
  it('keeps end-to-end headers in order and drops hop-by-hop ones and those Connection names', () => {
    const settled = settlementOf(
      ok({
        headers: [
          ['X-A', '1'],
          ['Connection', 'close, X-Private'],
          ['X-Private', 'hop'],
          ['Transfer-Encoding', 'chunked'],
          ['Keep-Alive', 'timeout=5'],
          ['Content-Length', '2'],
          ['x-a', '2'],
        ],
      }),
      1000,
    );
    expect(settled).toEqual({
      outcome: 'answered',
      at: 1000,
      appMs: 12,
      answer: {
        status: 200,
        statusText: 'OK',
        headers: [
          ['X-A', '1'],
          ['x-a', '2'],
        ],
        body: new Uint8Array(Buffer.from('hi')),
      },
    });
  });

  it('fails, saying why, for what a bin could not answer with', () => {
    const reason = (message: Record<string, unknown>) => {
      const settled = settlementOf(message, 1);
      return settled.outcome === 'failed' ? settled.reason : `answered ${settled.outcome}`;
    };
    expect(reason(ok({ status: 101 }))).toBe(
      'the app answered with status 101; a bin answers 200 to 599',
    );
    expect(reason(ok({ body_base64: Buffer.alloc(10 * 1024 + 1).toString('base64') }))).toBe(
      "the app's answer body has 10241 bytes; a bin answers with at most 10240",
    );
    expect(reason(ok({ headers: Array.from({ length: 51 }, (_, i) => [`X-${i}`, 'v']) }))).toMatch(
      /^the app's answer has 51 header lines/,
    );
    expect(reason(ok({ headers: [['Bad Name', 'v']] }))).toBe(
      'the app\'s header "Bad Name" is not a valid header line',
    );
    expect(reason(ok({ headers: [['X-Split', 'a\r\nInjected: yes']] }))).toBe(
      'the app\'s header "X-Split" is not a valid header line',
    );
    expect(reason(ok({ headers: 'nope' }))).toBe(
      'the forwarder sent an answer without headers or body_base64',
    );
    expect(reason({ request_id: 'req_1', error: 'ECONNREFUSED' })).toBe(
      'the forwarder got no answer from the app: ECONNREFUSED',
    );
    // A reason phrase that would break the status line is left out, the answer kept.
    const split = settlementOf(ok({ status_text: 'OK\r\nX-Injected: 1' }), 1);
    expect(split.outcome === 'answered' && split.answer.statusText).toBe('');
  });
});

import { describe, expect, it } from 'vitest';
import {
  checkTemplate,
  renderTemplate,
  TemplateError,
  templateView,
} from '../../../bin-server/src/rules/template.js';

// The template engine's bounds, on the real Mustache: what the data can reach, how big the output
// and the work may get, and what is refused when rules are saved.

const request = (body: unknown) => ({
  method: 'POST',
  path: '/p',
  query: 'a=1&a=2&b=<x>',
  rawHeaders: ['X-Dup', 'one', 'x-dup', 'two'],
  body: Buffer.from(JSON.stringify(body)),
  event: 'payment_received',
});
const view = (body: unknown) =>
  templateView(request(body), { requestId: 'req_1', receivedAt: 0, now: 1000 });

describe('rule templates', () => {
  it('inserts values as is (no HTML escaping), objects as JSON, repeated headers joined', () => {
    expect(
      renderTemplate(
        '{{query.a}} {{{query.b}}} {{query.b}} {{headers.x-dup}} {{json.o}} {{event}} {{received_at}}',
        view({ o: { k: [1, '<b>'] } }),
        1000,
      ),
    ).toBe('1 <x> <x> one, two {"k":[1,"<b>"]} payment_received 1970-01-01T00:00:00.000Z');
  });

  it('never reaches a prototype, so nothing is ever called', () => {
    const text = renderTemplate(
      '[{{json.constructor}}][{{#json.constructor.constructor}}alert(1){{/json.constructor.constructor}}][{{json.list.constructor}}][{{json.list.length}}][{{__proto__}}][{{toString}}]',
      view({ list: [1, 2] }),
      1000,
    );
    expect(text).toBe('[][][][2][][]');
  });

  it('stops at the output limit and at the section budget instead of growing', () => {
    const big = view({ items: Array.from({ length: 1000 }, (_, i) => i) });
    expect(() => renderTemplate('{{#json.items}}xxxxxxxxxx{{/json.items}}', big, 5000)).toThrow(
      TemplateError,
    );
    // Nested sections over one array: 1000^3 passes, no output at all; cut by the step budget.
    expect(() =>
      renderTemplate(
        '{{#json.items}}{{#json.items}}{{#json.items}}{{/json.items}}{{/json.items}}{{/json.items}}',
        big,
        5000,
      ),
    ).toThrow(/section passes/);
  });

  it('refuses templates that do not parse, and partials', () => {
    expect(() => checkTemplate('{{#a}}')).toThrow(/does not parse.*Unclosed section "a"/);
    expect(() => checkTemplate('{{/a}}')).toThrow(TemplateError);
    expect(() => checkTemplate('x {{#s}}{{> inner}}{{/s}}')).toThrow(/partial/);
    expect(() => checkTemplate('{{=<% %>=}}<% x %>')).not.toThrow();
  });
});

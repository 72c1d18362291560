// The app definition: the local schema check (what `zapier-platform validate --without-style`
// runs) and the rules of Zapier's online checks that the local validator does not enforce.
import fs from 'node:fs';
import path from 'node:path';
import { catalog, getEvent } from '@umhooks/core';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/server.js';
import { App, appTester, schemaTools } from './helpers.js';

interface OutputField {
  key: string;
  label?: string;
  type?: string;
}
interface Operation {
  type?: string;
  perform?: unknown;
  performList?: unknown;
  performSubscribe?: unknown;
  performUnsubscribe?: unknown;
  outputFields?: Array<OutputField | ((...args: never[]) => unknown)>;
  sample?: Record<string, unknown>;
  inputFields?: Array<Record<string, unknown>>;
}
interface TriggerDefinition {
  key: string;
  noun: string;
  display: { label?: string; description?: string; hidden?: boolean };
  operation: Operation;
}

const triggers = Object.values(App.triggers) as unknown as TriggerDefinition[];
const visible = triggers.filter((trigger) => !trigger.display.hidden);
const delivered = catalog.filter((event) => event.delivery === 'webhook');
const packageJson = JSON.parse(
  fs.readFileSync(path.join(repoRoot, 'zapier-app/package.json'), 'utf8'),
) as Record<string, unknown> & {
  dependencies: Record<string, string>;
  scripts: Record<string, string>;
};

const MINOR = new Set([
  'a',
  'an',
  'and',
  'as',
  'at',
  'but',
  'by',
  'for',
  'in',
  'nor',
  'of',
  'on',
  'or',
  'per',
  'the',
  'to',
  'via',
  'vs',
]);
/** Zapier's D018: every word capitalized except minor words in the middle. */
function isTitleCase(label: string): boolean {
  const words = label.split(' ');
  return words.every((word, index) => {
    const edge = index === 0 || index === words.length - 1;
    if (!edge && MINOR.has(word)) return true;
    return /^[A-Z0-9(]/.test(word);
  });
}

function staticFields(operation: Operation): OutputField[] {
  return (operation.outputFields ?? []).filter(
    (field): field is OutputField => typeof field === 'object',
  );
}

const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** Whether a sample value fits a Zapier output field type (null: a field the payload may leave empty). */
function fitsType(value: unknown, type: string | undefined): boolean {
  if (value === null || type === undefined) return true;
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
    case 'datetime':
      return typeof value === 'string' && ISO_WITH_ZONE.test(value);
    default:
      return false;
  }
}

describe('app definition', () => {
  it('passes the local schema validation (validate --without-style) with no errors', () => {
    expect(schemaTools.validateApp(schemaTools.compileApp(App))).toEqual([]);
  });

  it('pins zapier-platform-core 19.1.0 exactly, in the official ESM layout', () => {
    const core = packageJson.dependencies['zapier-platform-core'];
    expect(core).toBe('19.1.0');
    expect(App.platformVersion).toBe('19.1.0');
    expect(packageJson.type).toBe('module');
    expect(packageJson.exports).toBe('./dist/index.js');
    expect(packageJson.scripts['_zapier-build']).toMatch(/tsc -b/);
    // The workspace package is bundled: listing it would make Zapier's install fail (or fetch a
    // stranger's package of that name from the registry).
    expect(JSON.stringify(packageJson)).not.toContain('@umhooks/core');
  });

  it('carries the version of package.json', () => {
    expect(App.version).toBe(packageJson.version);
  });

  it('has .zapierapprc includeInBuild patterns that match the files the build misses', () => {
    const rc = JSON.parse(
      fs.readFileSync(path.join(repoRoot, 'zapier-app/.zapierapprc'), 'utf8'),
    ) as {
      includeInBuild: string[];
    };
    const patterns = rc.includeInBuild.map((pattern) => new RegExp(pattern, 'i'));
    for (const name of ['async-function', 'async-generator-function', 'generator-function']) {
      const file = `/stage/node_modules/${name}/require.mjs`;
      expect(patterns.some((pattern) => pattern.test(file))).toBe(true);
    }
  });

  it('has one REST-hook trigger per delivered catalog event, plus New Event', () => {
    expect(delivered).toHaveLength(15);
    const keys = visible.map((trigger) => trigger.key).sort();
    expect(keys).toEqual([...delivered.map((event) => event.id), 'new_event'].sort());
    // Events the plugin only logs never reach a webhook: no trigger would ever fire.
    for (const event of catalog.filter((e) => e.delivery === 'log-only')) {
      expect(keys).not.toContain(event.id);
    }
  });

  it('hides the dropdown helper trigger', () => {
    const hidden = triggers
      .filter((trigger) => trigger.display.hidden)
      .map((trigger) => trigger.key);
    expect(hidden).toEqual(['event_choices']);
  });

  describe.each(visible.map((trigger) => [trigger.key, trigger] as const))(
    'trigger %s',
    (key, trigger) => {
      it('has a valid key, a noun, a Title Case label and a "Triggers when …." description', () => {
        expect(key).toMatch(/^[a-zA-Z]+[a-zA-Z0-9_]*$/);
        expect(trigger.noun.length).toBeGreaterThan(1);
        const label = trigger.display.label ?? '';
        expect(label.length).toBeGreaterThan(1);
        expect(isTitleCase(label), label).toBe(true);
        expect(trigger.display.description).toMatch(/^Triggers when [^.].*[^.]\.$/);
      });

      it('is a REST hook with all four perform functions', () => {
        const operation = trigger.operation;
        expect(operation.type).toBe('hook');
        expect(typeof operation.perform).toBe('function');
        expect(typeof operation.performList).toBe('function');
        expect(typeof operation.performSubscribe).toBe('function');
        expect(typeof operation.performUnsubscribe).toBe('function');
      });

      it('has a sample with a string id, whose keys are exactly the output fields, with fitting types', async () => {
        const operation = trigger.operation;
        const sample = operation.sample ?? {};
        expect(typeof sample.id).toBe('string');
        let fields = staticFields(operation);
        if (key === 'new_event') {
          // The New Event's fields depend on the chosen event; its sample is a Payment Received.
          const dynamic = (operation.outputFields ?? []).find(
            (field) => typeof field === 'function',
          );
          if (!dynamic) throw new Error('new_event has no dynamic output fields');
          const computed = (await appTester(dynamic, {
            inputData: { event: 'payment_received' },
          })) as OutputField[];
          fields = [...fields, ...computed.filter((field) => field.key !== 'id')];
        }
        expect(Object.keys(sample).sort()).toEqual(fields.map((field) => field.key).sort());
        for (const field of fields) {
          expect(field.label, field.key).toBeTruthy();
          expect(
            fitsType(sample[field.key], field.type),
            `${field.key}: ${JSON.stringify(sample[field.key])} as ${field.type}`,
          ).toBe(true);
        }
      });
    },
  );

  it('maps catalog field types onto output field types', () => {
    const event = getEvent('payment_received');
    if (!event) throw new Error('payment_received is missing from the catalog');
    const fields = staticFields(
      (App.triggers as unknown as Record<string, TriggerDefinition>).payment_received!.operation,
    );
    const byKey = new Map(fields.map((field) => [field.key, field]));
    for (const field of event.fields) {
      const output = byKey.get(field.key);
      expect(output?.label).toBe(field.label);
      const expected =
        { url: 'string', email: 'string', html: 'string', json: undefined }[field.type as string] ??
        field.type;
      expect(output?.type, field.key).toBe(expected === undefined ? undefined : expected);
    }
  });

  it('asks for Site URL, API Key and API Secret (a password), with https links to where they are', () => {
    const auth = App.authentication as unknown as {
      type: string;
      fields: Array<{ key: string; type?: string; required?: boolean; helpText?: string }>;
      test: unknown;
      connectionLabel: unknown;
    };
    expect(auth.type).toBe('custom');
    expect(auth.fields.map((field) => field.key)).toEqual(['site_url', 'api_key', 'api_secret']);
    expect(auth.fields.every((field) => field.required)).toBe(true);
    expect(auth.fields.find((field) => field.key === 'api_secret')?.type).toBe('password');
    for (const field of auth.fields.slice(1)) {
      expect(field.helpText).toContain('Ultimate Multisite › Settings › API & Webhooks');
      expect(field.helpText).toMatch(/\]\(https:\/\/[^)]+\)/);
    }
    expect(typeof auth.test).toBe('function');
    expect(auth.connectionLabel).toBeTruthy();
  });

  it('links only to https addresses anywhere in the definition (D007)', () => {
    const text = JSON.stringify(schemaTools.serializeApp(schemaTools.compileApp(App)));
    const links = [...text.matchAll(/\]\((\S+?)\)/g)].map((match) => match[1]);
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) expect(link).toMatch(/^https:\/\//);
    expect(text).not.toContain('http://');
  });
});

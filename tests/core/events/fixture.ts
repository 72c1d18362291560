import { readFileSync } from 'node:fs';

/** One event of tests/fixtures/events.json (a byte copy of the shared reference). */
export interface FixtureEvent {
  id: string;
  name: string;
  since: string;
  delivery: 'webhook' | 'log-only';
  fires_when: string;
  notes: string | null;
  payload_example: Record<string, unknown>;
}

export const fixtureEvents: FixtureEvent[] = (
  JSON.parse(readFileSync(new URL('../../fixtures/events.json', import.meta.url), 'utf8')) as {
    events: FixtureEvent[];
  }
).events;

export function fixture(id: string): FixtureEvent {
  const event = fixtureEvents.find((e) => e.id === id);
  if (!event) throw new Error(`no fixture event ${id}`);
  return event;
}

export const BILLING_KEYS = [
  'company_name',
  'billing_email',
  'billing_address_line_1',
  'billing_address_line_2',
  'billing_country',
  'billing_state',
  'billing_city',
  'billing_zip_code',
];

export function withoutKeys(
  payload: Readonly<Record<string, unknown>>,
  drop: (key: string) => boolean,
): Record<string, unknown> {
  return Object.fromEntries(Object.entries(payload).filter(([key]) => !drop(key)));
}

import { createHash } from 'node:crypto';
import { DAY, MINUTE } from './clock.js';
import { seededRandom, type Random } from './random.js';

/**
 * One generated network customer and everything of theirs a scenario talks about: the same ids,
 * names, emails, amounts and currency in every event of a run. Only the seed (and an optional
 * start time) decide it.
 */
export interface World {
  seed: number;
  /** When the run starts (UTC ms). */
  start: number;
  network: string;
  currency: Currency;
  plan: { id: number; name: string; amount: number; setupFee: number; taxRate: number };
  customer: {
    id: number;
    userId: number;
    name: string;
    email: string;
    avatarHash: string;
    billing: Readonly<Record<string, string>>;
  };
  membership: { id: number; reference: string };
  site: { id: number; title: string; description: string; slug: string };
  domain: { id: number; name: string; primary: boolean };
  /** Payment ids are handed out in order from here (the table's auto increment). */
  firstPaymentId: number;
  /** Draws further values during a run (payment codes, invoice keys), after the world's. */
  random: Random;
}

interface Currency {
  code: string;
  symbol: string;
}

const CURRENCIES: readonly Currency[] = [
  { code: 'USD', symbol: '$' },
  { code: 'EUR', symbol: '€' },
  { code: 'GBP', symbol: '£' },
  { code: 'BRL', symbol: 'R$' },
];
const PLANS = [
  { name: 'Starter', amount: 9 },
  { name: 'Premium', amount: 29 },
  { name: 'Agency', amount: 99 },
] as const;
const FIRST = ['Jane', 'Ana', 'Omar', 'Mei', 'Lukas', 'Priya', 'Tom', 'Sofia', 'Kwame', 'Ines'];
const LAST = ['Doe', 'Silva', 'Haddad', 'Chen', 'Weber', 'Patel', 'Brown', 'Rossi', 'Mensah'];
const TRADES = [
  ['Bakery', 'Fresh bread daily'],
  ['Studio', 'Photography and design'],
  ['Garden', 'Plants for every balcony'],
  ['Bikes', 'Repairs while you wait'],
  ['Books', 'Second-hand and rare books'],
] as const;
const STREETS = ['Main St', 'Harbour Rd', 'Elm Ave', 'Market Sq', 'Station Rd'];
const CITIES = [
  { country: 'US', state: 'NY', city: 'New York', zip: '10001' },
  { country: 'DE', state: 'BE', city: 'Berlin', zip: '10115' },
  { country: 'GB', state: 'LND', city: 'London', zip: 'EC1A 1BB' },
  { country: 'BR', state: 'SP', city: 'São Paulo', zip: '01001-000' },
];
const TLDS = ['.com', '.net', '.shop', '.studio'];

/** Hashids-like reference codes: 10 characters of A-Z and 0-9. */
export const CODE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

// Runs without a start time begin somewhere in the first half of 2026 (chosen by the seed).
const EPOCH = Date.UTC(2026, 0, 1, 0, 0, 0);

function slugOf(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '');
}

export function generateWorld(seed: number, start?: number): World {
  const random = seededRandom(seed);
  const first = random.pick(FIRST);
  const last = random.pick(LAST);
  const [trade, tagline] = random.pick(TRADES);
  const currency = random.pick(CURRENCIES);
  const plan = random.pick(PLANS);
  const place = random.pick(CITIES);
  const title = `${first}'s ${trade}`;
  const slug = slugOf(`${first}s${trade}`);
  const userId = random.int(2, 900);
  const customerId = random.int(1, 400);
  const email = `${slugOf(first)}.${slugOf(last)}${random.int(1, 99)}@example.com`;
  const company = `${last} ${trade} Ltd`;
  const billing: Record<string, string> = {
    company_name: company,
    billing_email: `billing@${slug}.example`,
    billing_address_line_1: `${random.int(1, 250)} ${random.pick(STREETS)}`,
    billing_country: place.country,
    billing_state: place.state,
    billing_city: place.city,
    billing_zip_code: place.zip,
  };
  const drawnStart = EPOCH + random.int(0, 180) * DAY + random.int(8 * 60, 20 * 60) * MINUTE;
  const world: World = {
    seed,
    start: start ?? drawnStart,
    network: 'https://network.example.com',
    currency,
    plan: {
      id: random.int(2, 12),
      name: `${plan.name} Plan`,
      amount: plan.amount,
      setupFee: random.pick([0, 0, 19]),
      taxRate: random.pick([0, 0, 0.2]),
    },
    customer: {
      id: customerId,
      userId,
      name: `${first} ${last}`,
      email,
      avatarHash: createHash('sha256').update(email).digest('hex'),
      billing,
    },
    membership: { id: random.int(1, 300), reference: random.text(10, CODE_ALPHABET) },
    site: { id: random.int(2, 500), title, description: tagline, slug },
    domain: { id: random.int(1, 120), name: `${slug}${random.pick(TLDS)}`, primary: true },
    firstPaymentId: random.int(100, 2000),
    random,
  };
  return world;
}

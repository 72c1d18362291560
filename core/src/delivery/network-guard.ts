// SSRF guard for hosted senders: refuse private, loopback and link-local targets.
// A DNS lookup hook alone is not enough: Node skips the lookup for IP-literal hosts, so the
// connector checks literal IPs itself and every address a hostname resolves to (one private
// record among public ones is refused, which also defeats mixed-record DNS rebinding).
import dns from 'node:dns';
import { createRequire } from 'node:module';
import net, { type LookupFunction } from 'node:net';
import type * as Undici from 'undici';

// undici takes tens of milliseconds to load and only the standard profile's sends use it, so it
// is loaded on the first agent made, not with this package (a server starts without it). It is
// CommonJS, so a synchronous require keeps createDeliveryAgent synchronous.
let undici: typeof Undici | undefined;
function loadUndici(): typeof Undici {
  return (undici ??= createRequire(import.meta.url)('undici') as typeof Undici);
}

/** What each blocked range is, named in the refusal so the user sees why. */
type Category =
  'loopback' | 'private' | 'link-local' | 'CGNAT' | 'NAT64' | 'multicast' | 'reserved';

const RANGES: ReadonlyArray<readonly [string, number, 'ipv4' | 'ipv6', Category]> = [
  ['0.0.0.0', 8, 'ipv4', 'reserved'], // "this network"; 0.0.0.0 reaches the local host
  ['10.0.0.0', 8, 'ipv4', 'private'],
  ['100.64.0.0', 10, 'ipv4', 'CGNAT'], // carrier-grade NAT
  ['127.0.0.0', 8, 'ipv4', 'loopback'],
  ['169.254.0.0', 16, 'ipv4', 'link-local'], // cloud metadata (169.254.169.254)
  ['172.16.0.0', 12, 'ipv4', 'private'],
  ['192.0.0.0', 24, 'ipv4', 'reserved'], // IETF protocol assignments
  ['192.0.2.0', 24, 'ipv4', 'reserved'], // documentation (TEST-NET-1)
  ['192.88.99.0', 24, 'ipv4', 'reserved'], // former 6to4 relay anycast
  ['192.168.0.0', 16, 'ipv4', 'private'],
  ['198.18.0.0', 15, 'ipv4', 'reserved'], // benchmarking
  ['198.51.100.0', 24, 'ipv4', 'reserved'], // documentation (TEST-NET-2)
  ['203.0.113.0', 24, 'ipv4', 'reserved'], // documentation (TEST-NET-3)
  ['224.0.0.0', 4, 'ipv4', 'multicast'],
  ['240.0.0.0', 4, 'ipv4', 'reserved'], // reserved, broadcast
  ['::', 128, 'ipv6', 'reserved'], // unspecified
  ['::1', 128, 'ipv6', 'loopback'],
  ['::', 96, 'ipv6', 'reserved'], // IPv4-compatible (deprecated), ::a.b.c.d
  ['64:ff9b::', 96, 'ipv6', 'NAT64'], // NAT64 can map to private IPv4
  ['64:ff9b:1::', 48, 'ipv6', 'NAT64'], // local-use NAT64
  ['100::', 64, 'ipv6', 'reserved'], // discard
  ['2001::', 32, 'ipv6', 'reserved'], // Teredo tunnels embed an IPv4 address
  ['2001:db8::', 32, 'ipv6', 'reserved'], // documentation
  ['2002::', 16, 'ipv6', 'reserved'], // 6to4 embeds an IPv4 address, private ones too
  ['fc00::', 7, 'ipv6', 'private'], // unique local
  ['fe80::', 10, 'ipv6', 'link-local'],
  ['ff00::', 8, 'ipv6', 'multicast'],
];

// One list per category, the narrower ones first (::1 is loopback before ::/96 is reserved).
// BlockList checks IPv4-mapped IPv6 (::ffff:a.b.c.d) against the IPv4 rules.
const ORDER: readonly Category[] = [
  'loopback',
  'link-local',
  'private',
  'CGNAT',
  'NAT64',
  'multicast',
  'reserved',
];
const lists = new Map<Category, net.BlockList>(
  ORDER.map((category) => [category, new net.BlockList()]),
);
for (const [prefix, bits, family, category] of RANGES)
  lists.get(category)!.addSubnet(prefix, bits, family);

/** The kind of non-public address this is (`loopback`, `private`, …), or undefined for a public one. */
export function addressCategory(address: string): Category | undefined {
  const family = net.isIP(address);
  if (family === 0) return undefined;
  const type = family === 4 ? 'ipv4' : 'ipv6';
  for (const [category, list] of lists) if (list.check(address, type)) return category;
  return undefined;
}

/** True for loopback, private, link-local, CGNAT, NAT64, multicast and reserved addresses (v4 and v6, v4-mapped too). */
export function isPrivateAddress(address: string): boolean {
  return addressCategory(address) !== undefined;
}

export const BLOCKED_CODE = 'UMHOOKS_BLOCKED_ADDRESS';

/** How a refusal names the setting that refused and what the user can do. */
export interface BlockedHint {
  /** e.g. `--outbound public`; `blockPrivateNetworks` by default. */
  setting: string;
  advice: string;
}

const DEFAULT_HINT: BlockedHint = {
  setting: 'blockPrivateNetworks',
  advice: 'use a public URL, or turn the setting off for local development.',
};

export function blockedAddressError(
  host: string,
  address: string,
  hint: BlockedHint = DEFAULT_HINT,
): Error {
  const shown = host === address ? address : `${host} (${address})`;
  const category = addressCategory(address) ?? 'non-public';
  return Object.assign(
    new Error(`refused by ${hint.setting}: ${shown} is a ${category} address; ${hint.advice}`),
    { code: BLOCKED_CODE },
  );
}

/** Wraps a lookup so that a hostname with any private address fails with `UMHOOKS_BLOCKED_ADDRESS`. */
function guardLookup(lookup: LookupFunction, hint?: BlockedHint): LookupFunction {
  return (hostname, options, callback) => {
    lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const list = Array.isArray(addresses) ? addresses : [];
      const bad = list.find((entry) => isPrivateAddress(entry.address));
      if (bad) return callback(blockedAddressError(hostname, bad.address, hint), '', 0);
      if (options.all) return callback(null, list);
      const first = list[0];
      if (!first)
        return callback(
          Object.assign(new Error(`No address for ${hostname}`), { code: 'ENOTFOUND' }),
          '',
          0,
        );
      callback(null, first.address, first.family);
    });
  };
}

export interface DeliveryAgentOptions {
  /** Refuse private, loopback and link-local targets (see isPrivateAddress). */
  blockPrivateNetworks?: boolean;
  /** Default 10 s, the connect timeout WordPress's Requests library uses. */
  connectTimeoutMs?: number;
  /** Name resolution; `dns.lookup` (the system resolver) by default. */
  lookup?: LookupFunction;
  /** How a refusal names the setting (default: blockPrivateNetworks). */
  blockedHint?: BlockedHint;
}

/** A keep-alive connection pool for deliveries, optionally with the SSRF guard in its connector. */
export function createDeliveryAgent(options: DeliveryAgentOptions = {}): Undici.Agent {
  const baseLookup: LookupFunction = options.lookup ?? (dns.lookup as LookupFunction);
  const lookup = options.blockPrivateNetworks
    ? guardLookup(baseLookup, options.blockedHint)
    : baseLookup;
  const { Agent, buildConnector } = loadUndici();
  const connector = buildConnector({ timeout: options.connectTimeoutMs ?? 10_000, lookup });
  if (!options.blockPrivateNetworks) return new Agent({ connect: connector });
  return new Agent({
    connect(connectOptions, callback) {
      const host = connectOptions.hostname.replace(/^\[(.*)\]$/, '$1');
      if (isPrivateAddress(host)) {
        callback(blockedAddressError(host, host, options.blockedHint), null);
        return;
      }
      connector(connectOptions, callback);
    },
  });
}

/**
 * Name resolution for connections made without undici (the plugin profile's node:http): the
 * same guard as the agent's. Literal IPs skip any lookup, so callers check those themselves.
 */
export function deliveryLookup(
  blockPrivateNetworks: boolean,
  lookup?: LookupFunction,
  hint?: BlockedHint,
): LookupFunction | undefined {
  if (!blockPrivateNetworks) return lookup;
  return guardLookup(lookup ?? (dns.lookup as LookupFunction), hint);
}

let openAgent: Undici.Agent | undefined;
let guardedAgent: Undici.Agent | undefined;

/** The shared pools used when DeliverOptions.dispatcher is absent. */
export function sharedAgent(blockPrivateNetworks: boolean): Undici.Agent {
  if (blockPrivateNetworks) return (guardedAgent ??= createDeliveryAgent({ blockPrivateNetworks }));
  return (openAgent ??= createDeliveryAgent());
}

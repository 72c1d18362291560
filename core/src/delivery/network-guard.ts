// SSRF guard for hosted senders: refuse private, loopback and link-local targets.
// A DNS lookup hook alone is not enough: Node skips the lookup for IP-literal hosts, so the
// connector checks literal IPs itself and every address a hostname resolves to (one private
// record among public ones is refused, which also defeats mixed-record DNS rebinding).
import dns from 'node:dns';
import net, { type LookupFunction } from 'node:net';
import { Agent, buildConnector } from 'undici';

const blocked = new net.BlockList();
for (const [prefix, bits] of [
  ['0.0.0.0', 8], // "this network"; 0.0.0.0 reaches the local host
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata (169.254.169.254)
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  blocked.addSubnet(prefix, bits, 'ipv4');
}
for (const [prefix, bits] of [
  ['::', 128], // unspecified
  ['::1', 128],
  ['64:ff9b::', 96], // NAT64 can map to private IPv4
  ['100::', 64], // discard
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
] as const) {
  blocked.addSubnet(prefix, bits, 'ipv6');
}

/** True for loopback, private, link-local, CGNAT, multicast and reserved addresses (v4 and v6, v4-mapped too). */
export function isPrivateAddress(address: string): boolean {
  const family = net.isIP(address);
  if (family === 0) return false;
  return blocked.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

export const BLOCKED_CODE = 'UMHOOKS_BLOCKED_ADDRESS';

export function blockedAddressError(host: string, address: string): Error {
  const shown = host === address ? address : `${host} (${address})`;
  return Object.assign(
    new Error(
      `Refused to connect to ${shown}: private, loopback and link-local addresses are blocked ` +
        '(blockPrivateNetworks). Use a public URL, or turn the setting off for local development.',
    ),
    { code: BLOCKED_CODE },
  );
}

/** Wraps a lookup so that a hostname with any private address fails with `UMHOOKS_BLOCKED_ADDRESS`. */
function guardLookup(lookup: LookupFunction): LookupFunction {
  return (hostname, options, callback) => {
    lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const list = Array.isArray(addresses) ? addresses : [];
      const bad = list.find((entry) => isPrivateAddress(entry.address));
      if (bad) return callback(blockedAddressError(hostname, bad.address), '', 0);
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
}

/** A keep-alive connection pool for deliveries, optionally with the SSRF guard in its connector. */
export function createDeliveryAgent(options: DeliveryAgentOptions = {}): Agent {
  const baseLookup: LookupFunction = options.lookup ?? (dns.lookup as LookupFunction);
  const lookup = options.blockPrivateNetworks ? guardLookup(baseLookup) : baseLookup;
  const connector = buildConnector({ timeout: options.connectTimeoutMs ?? 10_000, lookup });
  if (!options.blockPrivateNetworks) return new Agent({ connect: connector });
  return new Agent({
    connect(connectOptions, callback) {
      const host = connectOptions.hostname.replace(/^\[(.*)\]$/, '$1');
      if (isPrivateAddress(host)) {
        callback(blockedAddressError(host, host), null);
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
): LookupFunction | undefined {
  if (!blockPrivateNetworks) return lookup;
  return guardLookup(lookup ?? (dns.lookup as LookupFunction));
}

let openAgent: Agent | undefined;
let guardedAgent: Agent | undefined;

/** The shared pools used when DeliverOptions.dispatcher is absent. */
export function sharedAgent(blockPrivateNetworks: boolean): Agent {
  if (blockPrivateNetworks) return (guardedAgent ??= createDeliveryAgent({ blockPrivateNetworks }));
  return (openAgent ??= createDeliveryAgent());
}

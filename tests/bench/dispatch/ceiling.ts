// Client ceiling (c) of the dispatch benchmark, in its own process: an undici keep-alive Pool of
// 32 connections posting the same signed body to the receiver, nothing stored — what any Node
// sender reaches against this receiver. Usage: ceiling.ts <url> <seconds> <body> <headers JSON>;
// prints {requests, rps} as JSON after a 2-second warm-up.
import { Pool } from 'undici';

const CONNECTIONS = 32;
const WARMUP_MS = 2_000;

const [target, secondsText, body, headersText] = process.argv.slice(2);
const url = new URL(target!);
const headers = JSON.parse(headersText!) as Record<string, string>;
const pool = new Pool(url.origin, { connections: CONNECTIONS });

let counting = false;
let requests = 0;
let stopAt = Infinity;
let sequence = 0;

async function sender(): Promise<void> {
  while (performance.now() < stopAt) {
    const res = await pool.request({
      path: url.pathname,
      method: 'POST',
      headers: { ...headers, 'webhook-id': `msg_ceiling_${sequence++}` },
      body: body!,
    });
    await res.body.dump();
    if (res.statusCode >= 300) throw new Error(`the receiver answered ${res.statusCode}`);
    if (counting) requests++;
  }
}

const senders = Array.from({ length: CONNECTIONS }, sender);
await new Promise((resolve) => setTimeout(resolve, WARMUP_MS));
counting = true;
const start = performance.now();
stopAt = start + Number(secondsText) * 1000;
await Promise.all(senders);
const elapsed = (performance.now() - start) / 1000;
await pool.close();
console.log(JSON.stringify({ requests, rps: Math.round(requests / elapsed) }));

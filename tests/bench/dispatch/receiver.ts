// The no-op webhook receiver of the dispatch benchmark: reads each POST and answers 204. It notes
// when each `webhook-id` arrived (wall clock, sub-millisecond), served at GET /__arrivals; GET
// /__count is the cheap progress check.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const arrivals = new Map<string, number>();
let requests = 0;

const server = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/__count') {
    res.writeHead(200, { 'content-type': 'text/plain' }).end(String(requests));
    return;
  }
  if (req.method === 'GET' && req.url === '/__arrivals') {
    const body = JSON.stringify({ requests, arrivals: Object.fromEntries(arrivals) });
    res.writeHead(200, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
    });
    res.end(body);
    return;
  }
  if (req.method === 'DELETE' && req.url === '/__arrivals') {
    arrivals.clear();
    requests = 0;
    res.writeHead(204).end();
    return;
  }
  req.on('data', () => {});
  req.on('end', () => {
    requests += 1;
    const id = req.headers['webhook-id'];
    if (typeof id === 'string' && !arrivals.has(id)) {
      arrivals.set(id, performance.timeOrigin + performance.now());
    }
    res.writeHead(204).end();
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  console.log(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));

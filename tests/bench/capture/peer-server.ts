// Peer (p) of the capture benchmark: mockttp (HTTP Toolkit's engine) answering every request and
// recording it (method, URL, headers, body) in memory, as a test double would.
import net from 'node:net';
import { getLocal } from 'mockttp';

// mockttp has no host option and listens on every interface: keep the benchmark on loopback.
const listen = net.Server.prototype.listen as (this: net.Server, ...args: unknown[]) => net.Server;
net.Server.prototype.listen = function (this: net.Server, ...args: unknown[]) {
  return typeof args[0] === 'number' && args.length === 1
    ? listen.call(this, args[0], '127.0.0.1')
    : listen.apply(this, args);
};

const server = getLocal({ recordTraffic: true });
await server.start();
const endpoint = await server.forAnyRequest().thenJson(200, { ok: true });
console.log(`http://127.0.0.1:${server.port}`);
process.on('SIGTERM', () => {
  void endpoint.getSeenRequests().then(async (seen) => {
    process.stderr.write(`mockttp recorded ${seen.length} requests\n`);
    await server.stop();
    process.exit(0);
  });
});

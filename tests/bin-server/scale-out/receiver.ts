import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the receiver does with one request. `hold`: keep it unanswered until `release()`. */
export type Answer = { status: number } | 'hold';

export interface Arrival {
  /** The `webhook-id` header (the standard profile sends the delivery id in it). */
  webhookId: string;
  path: string;
  /** The sender's connection closed before this request was answered (it was killed). */
  abandoned: boolean;
  answered: boolean;
}

/**
 * A local webhook receiver that records every request by its `webhook-id`, answers as `decide`
 * says, and can hold answers back (to catch requests in flight when an instance dies).
 */
export async function startCountingReceiver(decide: (arrival: Arrival, seen: number) => Answer) {
  const arrivals: Arrival[] = [];
  const seen = new Map<string, number>();
  const held: Array<{ arrival: Arrival; res: http.ServerResponse }> = [];
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const webhookId = String(req.headers['webhook-id'] ?? '');
      const arrival: Arrival = {
        webhookId,
        path: req.url ?? '',
        abandoned: false,
        answered: false,
      };
      arrivals.push(arrival);
      const count = (seen.get(webhookId) ?? 0) + 1;
      seen.set(webhookId, count);
      res.on('close', () => {
        if (!arrival.answered) arrival.abandoned = true;
      });
      const answer = decide(arrival, count);
      if (answer === 'hold') held.push({ arrival, res });
      else answerWith(arrival, res, answer.status);
    });
  });
  function answerWith(arrival: Arrival, res: http.ServerResponse, status = 200): void {
    if (res.destroyed) return;
    arrival.answered = true;
    res.writeHead(status, { 'content-type': 'text/plain' });
    res.end(status < 300 ? 'ok' : 'try again');
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    arrivals,
    /** Requests received per webhook-id. */
    seen,
    get held() {
      return held.length;
    },
    /** Answers every held request that is still connected with 200. */
    release() {
      for (const { arrival, res } of held.splice(0)) answerWith(arrival, res);
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

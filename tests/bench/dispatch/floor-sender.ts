// How the durable floor (f) posts (floor.ts): each claimed delivery as the client ceiling does
// (undici Pool, the same signed body). Run `--threaded`, the floor starts this file as a worker
// thread: it posts what the outbox's thread hands it and hands the answers back once a turn.
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { Pool } from 'undici';

/** A delivery claimed from the floor's outbox. */
export interface Claimed {
  id: number;
  url: string;
  payload: string;
}

/** One answered attempt, as the floor records it. */
export interface Answered {
  id: number;
  status: number;
  at: number;
  duration: number;
}

interface PosterOptions {
  origin: string;
  headers: Record<string, string>;
  connections: number;
}

/** Posts deliveries over one keep-alive pool; `answered` gets each attempt once its body is read. */
export function createPoster(options: PosterOptions, answered: (attempt: Answered) => void) {
  const pool = new Pool(options.origin, { connections: options.connections });
  return {
    async post(delivery: Claimed): Promise<void> {
      const started = performance.now();
      const res = await pool.request({
        path: delivery.url,
        method: 'POST',
        headers: { ...options.headers, 'webhook-id': `msg_floor_${delivery.id}` },
        body: delivery.payload,
      });
      await res.body.dump();
      answered({
        id: delivery.id,
        status: res.statusCode,
        at: Date.now(),
        duration: performance.now() - started,
      });
    },
    close: () => pool.close(),
  };
}

if (!isMainThread) {
  let batch: Answered[] = [];
  const handBack = () => {
    parentPort!.postMessage(batch);
    batch = [];
  };
  const poster = createPoster(workerData as PosterOptions, (attempt) => {
    if (batch.length === 0) setImmediate(handBack);
    batch.push(attempt);
  });
  parentPort!.on('message', (claimed: Claimed[]) => {
    for (const delivery of claimed) void poster.post(delivery);
  });
}

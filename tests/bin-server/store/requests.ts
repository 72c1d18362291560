import type { CapturedRequest } from '../../../bin-server/src/store/types.js';

/** A small captured request whose body is its id: driver-specific tests check bodies by it. */
export function requestWithId(binId: string, id: string): Omit<CapturedRequest, 'seq'> {
  return {
    id,
    binId,
    receivedAt: 1,
    method: 'POST',
    path: '/',
    query: '',
    rawHeaders: [],
    body: Buffer.from(id),
    remoteAddress: '127.0.0.1',
    recognition: undefined,
  };
}

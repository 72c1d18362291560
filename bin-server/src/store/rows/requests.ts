import type { AnswerRecord, CapturedRequest, Recognition, RequestSummary } from '../types.js';

// Captured requests' rows as every driver reads them (same column names and types in each schema).

/** `contentType`: `contentTypeOf(rawHeaders)` when the caller already has it. */
export type NewRequest = Omit<CapturedRequest, 'seq'> & { contentType?: string };

export interface SummaryRow {
  id: string;
  bin_id: string;
  seq: number;
  received_at: number;
  method: string;
  path: string;
  query: string;
  raw_headers: string;
  size: number;
  content_type: string;
  remote_address: string;
  recognition: string | null;
  answer: string | null;
}
export interface FullRow extends SummaryRow {
  body: Buffer;
}

export const summaryColumns =
  'id, bin_id, seq, received_at, method, path, query, raw_headers, size, content_type, remote_address, recognition, answer';

export function toSummary(row: SummaryRow): RequestSummary {
  return {
    id: row.id,
    binId: row.bin_id,
    seq: row.seq,
    receivedAt: row.received_at,
    method: row.method,
    path: row.path,
    query: row.query,
    rawHeaders: JSON.parse(row.raw_headers) as string[],
    remoteAddress: row.remote_address,
    recognition:
      row.recognition === null ? undefined : (JSON.parse(row.recognition) as Recognition),
    answer: row.answer === null ? undefined : (JSON.parse(row.answer) as AnswerRecord),
    size: row.size,
    contentType: row.content_type,
  };
}

export function toCaptured(row: FullRow): CapturedRequest {
  const { size: _size, contentType: _contentType, ...rest } = toSummary(row);
  return { ...rest, body: row.body };
}

export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
}

/** Each bin's items in a batch of captured requests, by index, in the order given. */
export function indexesByBin(batch: ReadonlyArray<{ request: NewRequest }>): Map<string, number[]> {
  const byBin = new Map<string, number[]>();
  batch.forEach(({ request }, index) => {
    const list = byBin.get(request.binId);
    if (list) list.push(index);
    else byBin.set(request.binId, [index]);
  });
  return byBin;
}

/** The answer record as stored: NULL when the bin had no rules. */
export function answerText(answer: AnswerRecord | undefined): string | null {
  return answer === undefined ? null : JSON.stringify(answer);
}

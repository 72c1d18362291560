import { z } from 'zod';

// Pieces the wire shapes share.

export const isoDate = z.iso.datetime().describe('ISO 8601 date-time, UTC.');

/** An HTTP header line as `[name, value]`. */
export const headerPair = z.tuple([z.string(), z.string()]);

/** A header line as received or configured. */
export const headerLine = headerPair.describe(
  '[name, value] with the original case; duplicates are kept as separate pairs.',
);

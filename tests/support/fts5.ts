import type Database from 'better-sqlite3';

export interface Fts5Level {
  /** Segments on the level. */
  segments: number;
  /** Leaf pages of those segments. */
  pages: number;
  /** Input segments of a merge under way on the level (0: none). */
  merging: number;
}

/**
 * An FTS5 table's levels, read from its structure record (fts5_index.c: a 4-byte cookie, an
 * optional v2 marker, then varints: levels, segments, write counter, and per level its merge
 * state, segment count and each segment's id, first and last page — v2 adds origin (2), tombstone
 * pages and entries, and entries).
 */
export function fts5Levels(db: Database.Database, table: string): Fts5Level[] {
  const block = db
    .prepare<[], Buffer>(`SELECT block FROM ${table}_data WHERE id = 10`)
    .pluck()
    .get()!;
  let at = 4;
  const v2 = block.readUInt32BE(4) === 0xff000001;
  if (v2) at = 8;
  const varint = (): number => {
    let value = 0;
    for (let i = 0; i < 9; i++) {
      const byte = block[at++]!;
      if (i === 8) return value * 256 + byte;
      value = value * 128 + (byte & 0x7f);
      if (!(byte & 0x80)) return value;
    }
    return value;
  };
  const levelCount = varint();
  varint(); // segments in all
  varint(); // write counter
  const levels: Fts5Level[] = [];
  for (let level = 0; level < levelCount; level++) {
    const merging = varint();
    const segments = varint();
    let pages = 0;
    for (let s = 0; s < segments; s++) {
      varint(); // id
      const first = varint();
      pages += varint() - first + 1;
      if (v2) for (let field = 0; field < 5; field++) varint();
    }
    levels.push({ segments, pages, merging });
  }
  return levels;
}

import type { RequestSummaryJson } from '../../api/types.js';

/**
 * The requests of a bin as the list shows them, newest first, without copying arrays: live arrivals
 * are appended to `newer` (shown reversed, on top) and older pages to `older` (shown below), both
 * O(1). A version number tells the view when to re-render.
 */
export class RequestFeed {
  private newer: RequestSummaryJson[] = [];
  private older: RequestSummaryJson[] = [];
  private readonly ids = new Set<string>();
  /** Cursor of the next older page; null when everything is loaded. */
  cursor: string | null = null;
  /** Rows ever inserted at the top (the list keeps its scroll position with it). */
  topInsertions = 0;
  version = 0;

  /** The server's per-bin limit (`--max-requests`). */
  capacity = Infinity;

  get length(): number {
    return this.newer.length + this.older.length;
  }

  at(index: number): RequestSummaryJson | undefined {
    const n = this.newer.length;
    return index < n ? this.newer[n - 1 - index] : this.older[index - n];
  }

  indexOf(id: string): number {
    if (!this.ids.has(id)) return -1;
    for (let i = 0; i < this.length; i += 1) if (this.at(i)?.id === id) return i;
    return -1;
  }

  newestSeq(): number {
    return this.at(0)?.seq ?? 0;
  }

  /** Replaces everything with a first page. */
  reset(items: RequestSummaryJson[], cursor: string | null): void {
    this.newer = [];
    this.older = [];
    this.ids.clear();
    this.cursor = cursor;
    this.appendOlder(items);
  }

  /** Adds newer requests (any order); returns how many were new. */
  addNewer(items: RequestSummaryJson[]): number {
    const fresh = items.filter((r) => !this.ids.has(r.id)).sort((a, b) => a.seq - b.seq);
    for (const request of fresh) {
      this.ids.add(request.id);
      this.newer.push(request);
    }
    this.topInsertions += fresh.length;
    this.trim();
    if (fresh.length > 0) this.version += 1;
    return fresh.length;
  }

  /** Adds a page of older requests (newest first, as the API lists them). */
  appendOlder(items: RequestSummaryJson[], cursor: string | null = this.cursor): void {
    for (const request of items) {
      if (this.ids.has(request.id)) continue;
      this.ids.add(request.id);
      this.older.push(request);
    }
    this.cursor = cursor;
    this.version += 1;
  }

  remove(id: string): void {
    if (!this.ids.delete(id)) return;
    this.newer = this.newer.filter((r) => r.id !== id);
    this.older = this.older.filter((r) => r.id !== id);
    this.version += 1;
  }

  clear(): void {
    this.reset([], null);
  }

  /** Drops every request with seq <= `seq` (evicted by a lowered limit); returns how many. */
  dropThrough(seq: number): number {
    const before = this.length;
    const keep = (r: RequestSummaryJson) => {
      if (r.seq > seq) return true;
      this.ids.delete(r.id);
      return false;
    };
    this.newer = this.newer.filter(keep);
    this.older = this.older.filter(keep);
    const dropped = before - this.length;
    if (dropped > 0) {
      this.cursor = null;
      this.version += 1;
    }
    return dropped;
  }

  /** The server keeps at most `capacity` requests per bin; the oldest beyond are gone there too. */
  private trim(): void {
    let excess = this.length - this.capacity;
    if (excess <= 0) return;
    while (excess > 0 && this.older.length > 0) {
      this.ids.delete(this.older.pop()!.id);
      excess -= 1;
    }
    if (excess > 0) {
      for (const r of this.newer.splice(0, excess)) this.ids.delete(r.id);
    }
    // Older pages beyond the capacity no longer exist on the server either.
    this.cursor = null;
  }
}

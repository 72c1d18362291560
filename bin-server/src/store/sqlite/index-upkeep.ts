import type { Database } from 'better-sqlite3';
import type { WriteGate } from './write-gate.js';

/**
 * The search index's upkeep, in short steps of their own between turns of the event loop rather
 * than inside a capture's commit: moving the pending list into FTS5 once it holds a batch
 * (search-index.ts: captures only add their rowid to it, and searches scan it, so results are
 * complete at every commit either way), then the merging each move owes (migration 13: FTS5's
 * automerge is off), STEP_PAGES a turn, more when the merging has fallen behind. Requests that
 * arrive meanwhile are read, committed and answered between two steps.
 *
 * Why (timing each group commit inside `umhooks serve` at half the capture rate): automerge
 * merges in quanta — each time another 64 leaf pages have been written, 64 pages per level of the
 * index (~300 at 200,000 requests) — inside whichever transaction crossed the mark, a 13-21 ms
 * commit every ~12th move (41 over 10 ms in 10 s), the event loop stalled all the while. Merging
 * after each move in one 64-page step still held it 6-7 ms; and the move itself made its capture
 * commit 1.5-4 ms instead of ~0.2.
 */
export interface IndexUpkeep {
  /** The pending list holds a batch: move it, then merge, in steps from the next turn on. */
  moveDue(): void;
  /** Stops stepping (close); a restart moves what is still pending with its next batch. */
  stop(): void;
}

/**
 * Pages of merging owed per request moved: a 32-request move writes ~7 leaf pages, which the
 * levels above rewrite about four times over as they merge, so 2 a request (64 a batch) keeps up
 * with room to spare. Owed pages are only counted down by merges that found work: when no level
 * is due, nothing is owed until the next move.
 */
const MERGE_PAGES_PER_ROW = 2;
/** Pages a step merges: ~3 ms. */
const STEP_PAGES = 32;
/**
 * Owed beyond this (four batches' worth), the merging has fallen behind: a merge step then goes
 * on until it is back under it, or CATCH_UP_MS has passed, and the captures wait for the index
 * instead of outrunning it. Moves and merges also take turns: a saturated server has a batch due
 * at every turn of the event loop, and when moves always went first no merge ever ran. FTS5 then
 * merged level 0 itself once 32 segments waited (crisismerge), inside a move, and the levels
 * above with it: 0.5-0.8 s moves every ~32 batches, and an index that kept evicted rows in its
 * untouched levels (measured, the store alone, 32 inserts at a time).
 */
const BEHIND_PAGES = 128 * MERGE_PAGES_PER_ROW;
/** The longest a catching-up step holds the event loop (8 ms doubled the first reads' p99). */
const CATCH_UP_MS = 4;
/**
 * The most a burst may leave owed, ~100 ms of merging: with no bound, after the scale benchmark's
 * bulk fill of 1M requests the steps caught up for seconds, and a listing read in between took
 * 25 ms instead of 1.6. What is dropped is merged with the next moves' share.
 */
const MAX_OWED_PAGES = 4 * BEHIND_PAGES;

/**
 * `move` moves the pending list in a transaction of its own and says how many rows it moved; it
 * throws if the transaction rolled back.
 */
export function createIndexUpkeep(db: Database, move: () => number, gate?: WriteGate): IndexUpkeep {
  const merge = db.prepare(
    "INSERT INTO requests_search (requests_search, rank) VALUES ('merge', ?)",
  );
  // FTS5's writes count as changes; the merge command itself as one more.
  const changes = db.prepare<[], number>('SELECT total_changes()').pluck();
  let due = false;
  let owed = 0;
  let mergeNext = false;
  let scheduled: NodeJS.Immediate | undefined;
  let stopped = false;

  function schedule(): void {
    if ((due || owed > 0) && !stopped) scheduled ??= setImmediate(step);
  }

  function step(): void {
    scheduled = undefined;
    if (stopped || (!due && owed <= 0)) return;
    // The checkpointer is restarting the WAL: step once it is done (write-gate.ts).
    if (gate?.closed) return gate.whenOpen(schedule);
    try {
      // Moves and merges take turns: under sustained load a batch is due at every turn.
      if (due && !mergeNext) {
        due = false;
        owed = Math.min(owed + move() * MERGE_PAGES_PER_ROW, MAX_OWED_PAGES);
        mergeNext = owed > 0;
      } else {
        mergeNext = false;
        mergeOwed();
      }
    } catch {
      // Busy or a full disk: the rows stay pending (searched by scan) and the index correct, only
      // less merged; the next commit's batch asks again.
      owed = 0;
    }
    schedule();
  }

  /**
   * Merges STEP_PAGES, and again while behind, for up to CATCH_UP_MS. Still STEP_PAGES a call:
   * 128-page calls while behind cost a little less a page but held the event loop 10-25 ms at a
   * time, and at half the capture rate after a burst the p99 went from 11-13 to 35-114 ms.
   */
  function mergeOwed(): void {
    const start = performance.now();
    do {
      const before = changes.get()!;
      merge.run(STEP_PAGES);
      owed = changes.get()! - before > 1 ? owed - STEP_PAGES : 0;
    } while (owed > BEHIND_PAGES && performance.now() - start < CATCH_UP_MS);
  }

  return {
    moveDue() {
      due = true;
      schedule();
    },
    stop() {
      stopped = true;
      if (scheduled) clearImmediate(scheduled);
      scheduled = undefined;
    },
  };
}

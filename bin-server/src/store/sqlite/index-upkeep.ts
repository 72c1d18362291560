import type { Database } from 'better-sqlite3';
import type { WriteGate } from './write-gate.js';

/**
 * The search index's upkeep, in short steps of their own between turns of the event loop rather
 * than inside a capture's commit: moving the pending list into FTS5 once it holds a batch
 * (search-index.ts: captures only add their rowid to it, and searches scan it, so results are
 * complete at every commit either way), then the merging each move owes (migration 13: FTS5's
 * automerge is off), STEP_PAGES a turn. Requests that arrive meanwhile are read, committed and
 * answered between two steps.
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
 * Pages of merging owed per move: a 32-request move writes ~7 leaf pages, which the levels above
 * rewrite about four times over as they merge, so 64 keeps up with room to spare (a step stops
 * early when no level is due).
 */
const MERGE_PAGES = 64;
/** Pages a step merges: ~3 ms. */
const STEP_PAGES = 32;

/** `move` moves the pending list in a transaction of its own, and throws if it rolled back. */
export function createIndexUpkeep(db: Database, move: () => void, gate?: WriteGate): IndexUpkeep {
  const merge = db.prepare(
    "INSERT INTO requests_search (requests_search, rank) VALUES ('merge', ?)",
  );
  let due = false;
  let owed = 0;
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
      if (due) {
        due = false;
        move();
        // Bounded: a burst of moves does not leave a long tail of steps behind it.
        owed = Math.min(owed + MERGE_PAGES, 4 * MERGE_PAGES);
      } else {
        merge.run(STEP_PAGES);
        owed -= STEP_PAGES;
      }
    } catch {
      // Busy or a full disk: the rows stay pending (searched by scan) and the index correct, only
      // less merged; the next commit's batch asks again.
      owed = 0;
    }
    schedule();
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

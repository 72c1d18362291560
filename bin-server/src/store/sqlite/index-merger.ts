import type { Database } from 'better-sqlite3';
import type { WriteGate } from './write-gate.js';

/**
 * The search index's merging (search-index.ts, migration 13: FTS5's automerge is off), done by
 * the store in short steps of its own between turns of the event loop, not inside a capture's
 * commit. Each move into the index owes MERGE_PAGES of merging; steps of STEP_PAGES pay it off,
 * one a turn, so requests that arrive meanwhile are read and committed between two steps.
 *
 * Why: FTS5's automerge merges in quanta — each time another 64 leaf pages have been written, 64
 * pages per level of the index (~300 at 200,000 requests) — inside whichever transaction crossed
 * the mark. At half the capture rate that was a 13-21 ms commit every ~12th move, the event loop
 * stalled all the while (timing each group commit inside `umhooks serve`: 41 over 10 ms in 10 s).
 * The same merging in one 64-page step after each move still held the loop 6-7 ms at a time.
 */
export interface IndexMerger {
  /** A move wrote a new segment: merge its share, in steps from the next turn on. */
  owe(): void;
  /** Stops stepping (close); merging resumes with the next move after a restart. */
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

export function createIndexMerger(db: Database, gate?: WriteGate): IndexMerger {
  const step = db.prepare(
    "INSERT INTO requests_search (requests_search, rank) VALUES ('merge', ?)",
  );
  let owed = 0;
  let scheduled: NodeJS.Immediate | undefined;
  let stopped = false;

  function schedule(): void {
    if (owed > 0 && !stopped) scheduled ??= setImmediate(run);
  }

  function run(): void {
    scheduled = undefined;
    if (owed <= 0 || stopped) return;
    // The checkpointer is restarting the WAL: step once it is done (write-gate.ts).
    if (gate?.closed) return gate.whenOpen(schedule);
    try {
      step.run(STEP_PAGES);
      owed -= STEP_PAGES;
    } catch {
      // Busy or a full disk: the index stays correct, only less merged; the next move owes again.
      owed = 0;
    }
    schedule();
  }

  return {
    owe() {
      // Bounded: a burst of moves does not leave a long tail of steps behind it.
      owed = Math.min(owed + MERGE_PAGES, 4 * MERGE_PAGES);
      schedule();
    },
    stop() {
      stopped = true;
      if (scheduled) clearImmediate(scheduled);
      scheduled = undefined;
    },
  };
}

import type { Candidate, RecognitionJson } from '../api/types.js';

type RecognitionTone = 'ok' | 'warn' | 'error' | 'none';

/**
 * A candidate is a look-alike only when at least half of the keys match (the server checks the
 * best candidate's schema from the same score on, capture/recognize.ts): below that, "looks like
 * payment_received (6%)" says more about the guess than about the body.
 */
const LOOK_ALIKE_MIN_SCORE = 0.5;

export interface RecognitionSummary {
  /** Events the body matches best; several when their key sets are identical (a tie). */
  best: Candidate[];
  /** `payment_received`, or `payment_created or payment_updated` for a tie. */
  label: string;
  /** The event the URL named (`/b/<bin>/<event>`), if any. */
  expected: string | null;
  /** How the body fits the expected event (its keys), when it shares any. */
  expectedCandidate: Candidate | undefined;
  /** True when the URL named an event and the body looks like another one. */
  mismatch: boolean;
  tone: RecognitionTone;
  /** Short words for a title attribute or screen readers. */
  description: string;
}

/** The best candidates (ties included), if they are look-alikes at all. */
function bestCandidates(candidates: readonly Candidate[]): Candidate[] {
  const top = candidates[0];
  if (!top || top.score < LOOK_ALIKE_MIN_SCORE) return [];
  if (!top.tie) return [top];
  return candidates.filter((c) => c.score === top.score);
}

const percent = (score: number) => `${Math.round(score * 100)}%`;

export function summarizeRecognition(
  recognition: RecognitionJson | null,
): RecognitionSummary | null {
  if (!recognition) return null;
  const best = bestCandidates(recognition.candidates);
  const expected = recognition.expected;
  const expectedCandidate =
    expected === null ? undefined : recognition.candidates.find((c) => c.event === expected);
  const mismatch = expected !== null && best.length > 0 && !best.some((c) => c.event === expected);
  const issues = recognition.issues.length;
  const label = expected ?? (best.length > 0 ? best.map((c) => c.event).join(' or ') : '');
  if (!label) return null;
  const exact = (expected === null ? best[0] : expectedCandidate)?.score === 1;
  const weak = expected !== null && (expectedCandidate?.score ?? 0) < LOOK_ALIKE_MIN_SCORE;
  const tone: RecognitionTone = mismatch || weak ? 'error' : issues > 0 || !exact ? 'warn' : 'ok';
  const parts = [
    expected ? `expected ${expected} (from the URL)` : `recognized as ${label}`,
    mismatch
      ? `but the body looks like ${best.map((c) => c.event).join(' or ')}`
      : expected && !exact
        ? `${percent(expectedCandidate?.score ?? 0)} of its keys match`
        : '',
    issues > 0 ? `${issues} schema issue${issues === 1 ? '' : 's'}` : 'schema OK',
  ];
  return {
    best,
    label,
    expected,
    expectedCandidate,
    mismatch,
    tone,
    description: parts.filter(Boolean).join(', '),
  };
}

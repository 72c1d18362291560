import type { Candidate, RecognitionJson } from '../api/types.js';

export type RecognitionTone = 'ok' | 'warn' | 'error' | 'none';

export interface RecognitionSummary {
  /** Events the body matches best; several when their key sets are identical (a tie). */
  best: Candidate[];
  /** `payment_received`, or `payment_created or payment_updated` for a tie. */
  label: string;
  /** The event the URL named (`/b/<bin>/<event>`), if any. */
  expected: string | null;
  /** True when the URL named an event the body does not look like. */
  mismatch: boolean;
  tone: RecognitionTone;
  /** Short words for a title attribute or screen readers. */
  description: string;
}

export function bestCandidates(candidates: readonly Candidate[]): Candidate[] {
  const top = candidates[0];
  if (!top || top.score <= 0) return [];
  if (!top.tie) return [top];
  return candidates.filter((c) => c.score === top.score);
}

export function summarizeRecognition(
  recognition: RecognitionJson | null,
): RecognitionSummary | null {
  if (!recognition) return null;
  const best = bestCandidates(recognition.candidates);
  const expected = recognition.expected;
  const mismatch = expected !== null && best.length > 0 && !best.some((c) => c.event === expected);
  const issues = recognition.issues.length;
  const label = expected ?? (best.length > 0 ? best.map((c) => c.event).join(' or ') : '');
  if (!label) return null;
  const exact = best[0]?.score === 1;
  const tone: RecognitionTone =
    mismatch || (expected !== null && best.length === 0)
      ? 'error'
      : issues > 0 || !exact
        ? 'warn'
        : 'ok';
  const parts = [
    expected ? `expected ${expected} (from the URL)` : `recognized as ${label}`,
    mismatch ? `but the body looks like ${best.map((c) => c.event).join(' or ')}` : '',
    issues > 0 ? `${issues} schema issue${issues === 1 ? '' : 's'}` : 'schema OK',
  ];
  return { best, label, expected, mismatch, tone, description: parts.filter(Boolean).join(', ') };
}

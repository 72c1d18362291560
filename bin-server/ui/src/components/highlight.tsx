import { createContext, type ComponentChildren } from 'preact';
import { useContext } from 'preact/hooks';

/** The list's search text, so the body views can mark where it occurs. Empty: nothing marked. */
export const HighlightTerm = createContext('');

/** A body of a few MB and a one-letter search would otherwise be a million elements. */
const MAX_MARKS = 1000;

/** `text` with the search term's occurrences (case-insensitive) in <mark>, all as text nodes. */
export function Highlighted({ text }: { text: string }) {
  const term = useContext(HighlightTerm);
  if (!term) return <>{text}</>;
  // Lower-casing can change a string's length (e.g. "İ"); then match exactly rather than misplace.
  const folded = text.toLowerCase();
  const sameLength = folded.length === text.length;
  const haystack = sameLength ? folded : text;
  const needle = sameLength ? term.toLowerCase() : term;
  const out: ComponentChildren[] = [];
  let from = 0;
  for (let at = haystack.indexOf(needle); at >= 0 && out.length < MAX_MARKS * 2;) {
    out.push(text.slice(from, at), <mark key={at}>{text.slice(at, at + needle.length)}</mark>);
    from = at + needle.length;
    at = haystack.indexOf(needle, from);
  }
  if (from === 0) return <>{text}</>;
  out.push(text.slice(from));
  return <>{out}</>;
}

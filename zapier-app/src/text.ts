/** Words Zapier's Title Case check (D018) keeps lower-case unless first or last. */
const MINOR_WORDS = new Set([
  'a',
  'an',
  'and',
  'as',
  'at',
  'but',
  'by',
  'for',
  'in',
  'nor',
  'of',
  'on',
  'or',
  'per',
  'the',
  'to',
  'via',
  'vs',
]);

/** `payment received` → `Payment Received`; keeps inner capitals (e.g. `WooCommerce`). */
export function titleCase(text: string): string {
  const words = text.trim().split(/\s+/);
  return words
    .map((word, index) => {
      const lower = word.toLowerCase();
      const isEdge = index === 0 || index === words.length - 1;
      if (!isEdge && MINOR_WORDS.has(lower)) return lower;
      return word.charAt(0).toUpperCase() + word.slice(1);
    })
    .join(' ');
}

/** "Triggers when <clause>." — the form Zapier's check D021 requires. */
export function triggerDescription(when: string): string {
  const clause = when.trim().replace(/[.\s]+$/, '');
  return `Triggers when ${clause}.`;
}

// CSV as RFC 4180 writes it: CRLF line ends, a cell quoted when it holds a comma, a quote, CR or
// LF, quotes inside doubled.

/**
 * Spreadsheets run a cell starting with `=`, `+`, `-` or `@` as a formula (and some tab or CR
 * too): captured text is whatever a sender chose, so such a cell gets a leading apostrophe (OWASP's
 * advice), shown as text by Excel, LibreOffice and Google Sheets.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

function csvCell(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function csvRow(cells: readonly string[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

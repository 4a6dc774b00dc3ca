/**
 * CSV that opens cleanly in Excel and cannot run anything there.
 *
 * - RFC 4180 (section 2): records end with CRLF; a field holding a comma, a double quote, CR or LF is
 *   enclosed in double quotes, and a double quote inside it is doubled; the first record is a header.
 * - UTF-8 with a byte order mark: Excel for Windows reads a CSV without one in the ANSI code page and
 *   garbles non-ASCII names (stackoverflow.com/questions/155097, "Microsoft Excel mangles diacritics
 *   in .csv files"); RFC 4180 leaves the character set to the MIME type's `charset`.
 * - Formula injection: a spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` (also a tab, CR
 *   or NUL before one) as a formula (OWASP "CSV Injection", owasp.org/www-community/attacks/CSV_Injection;
 *   OWASP ASVS 5.0 requirement 1.2.10: escape such a first character with a single quote, and quote
 *   per RFC 4180 sections 2.6 and 2.7). Text cells starting with one of them get a leading `'`, which
 *   Excel shows as text and hides; numbers are written as numbers (a negative number is not text).
 * Log values (user names, application names, activity details) come from the tenant and anyone who
 * can name an application controls them, so every text cell is treated as untrusted.
 */

/** A cell: text is guarded, numbers are written as they are, null is an empty field. */
export type CsvValue = string | number | boolean | null;

/** First characters a spreadsheet reads as the start of a formula (OWASP CSV Injection, ASVS 1.2.10). */
const FORMULA_START = /^[=+\-@\t\r\0]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** A text cell made safe to open in a spreadsheet: a leading `'` when it would start a formula. */
export function neutralizeFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** One field, quoted when RFC 4180 requires it. */
export function csvField(value: CsvValue): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const safe = neutralizeFormula(value);
  return NEEDS_QUOTES.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export const UTF8_BOM = '\ufeff';

/** A whole file: byte order mark, header record, data records, each ending with CRLF. */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  const records = [header.map(csvField), ...rows.map((row) => row.map(csvField))].map((fields) => `${fields.join(',')}\r\n`);
  return UTF8_BOM + records.join('');
}

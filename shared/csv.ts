/**
 * CSV writing: RFC 4180 (CRLF after every record, fields quoted when they hold
 * a comma, quote, CR or LF, quotes doubled), made safe to open in a
 * spreadsheet. Event names and props come from whoever holds a write token,
 * so a text cell that a spreadsheet would read as a formula (`=HYPERLINK(…)`,
 * `+cmd|…`, `@SUM(…)`) is neutralised with a leading single quote, as OWASP
 * recommends for CSV injection.
 *
 * Numbers are written as numbers, never neutralised, negative ones included:
 * `String(n)` of a finite number (`-12.5`, `1e-7`) is a numeral, which a
 * spreadsheet reads as a value, not a formula, and prefixing it would turn a
 * number into text. Only strings are checked, so the string "-5" does become
 * `'-5`. Non-finite numbers (NaN: "no value") are written as empty cells.
 */

/** A cell value: text, a number, a boolean, or null for an empty cell. */
export type CsvValue = string | number | boolean | null;

/** Leading characters that make a spreadsheet evaluate a cell: =, +, -, @, TAB and CR. */
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/**
 * One cell's text: neutralised against formula injection when it is a string
 * starting with =, +, -, @, TAB or CR, then quoted when RFC 4180 requires it.
 */
export function csvCell(value: CsvValue): string {
  if (value === null) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  if (typeof value === "boolean") return value ? "true" : "false";
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One record, without its line end. */
export function csvRow(values: readonly CsvValue[]): string {
  return values.map(csvCell).join(",");
}

/**
 * A whole CSV document: the header record, then one record per row, each
 * ended by CRLF. Rows shorter than the header are not padded; pass `null` for
 * empty cells. Pure: suitable for panel exports as well as event exports.
 */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  const lines = new Array<string>(rows.length + 1);
  lines[0] = csvRow(header);
  for (let i = 0; i < rows.length; i++) lines[i + 1] = csvRow(rows[i]!);
  return lines.join("\r\n") + "\r\n";
}

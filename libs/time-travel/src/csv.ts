import { flattenCounts, type ComparedCount } from './compare';

/**
 * CSV renderers for `Accept: text/csv` (RFC 4180): comma-separated, CRLF line ends, a header
 * row, a field quoted when it holds a comma, a quote, a CR or an LF (quotes doubled), and a field
 * that a spreadsheet would take for a formula (starting with =, +, - or @, not a number) prefixed
 * with an apostrophe inside quotes. Numbers are written as JavaScript prints them; null is empty.
 */

export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';

export type CsvCell = string | number | null | undefined;

export function csvField(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  let text = value;
  if (/^[=+\-@]/.test(text) && !/^[+-]?\d+(\.\d+)?$/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) || text !== value ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvRow(cells: readonly CsvCell[]): string {
  return cells.map(csvField).join(',');
}

/** Header plus rows, each line ended by CRLF. */
export function csvDocument(header: readonly CsvCell[], rows: readonly (readonly CsvCell[])[]): string {
  return [header, ...rows].map((row) => `${csvRow(row)}\r\n`).join('');
}

/** `GET /trends` as CSV: `table,key,value`, one row per count (see `flattenCounts`). */
export function trendsCsv(tables: object): string {
  return csvDocument(
    ['table', 'key', 'value'],
    flattenCounts(tables).map(({ table, key, value }) => [table, key, value]),
  );
}

/**
 * `GET /trends/compare` as CSV: `table,key,<label 1>,…,<label n>,change,relativeChange`, one row
 * per count; the labels are the compared sessions' ids or the dates asked for.
 */
export function comparisonCsv(labels: readonly string[], rows: readonly ComparedCount[]): string {
  return csvDocument(
    ['table', 'key', ...labels, 'change', 'relativeChange'],
    rows.map(({ table, key, values, change, relativeChange }) => [table, key, ...values, change, relativeChange]),
  );
}

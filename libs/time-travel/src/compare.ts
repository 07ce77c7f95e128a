/**
 * Trend tables side by side (`GET /trends/compare`). Pure: the tables in, the comparison out.
 *
 * The tables are nested objects of counts (`{ registered: 348, byScope: { global: 181, … }, … }`,
 * see `TrendTables`); each count is identified by its flat key: the `table` (the dotted path of
 * the object holding it, `summary` for the top-level counts) and its `key` within it. Anything
 * that is not a finite number (e.g. `cluster`, the echoed `asOf`) is not a count and is skipped.
 */

/** One count of the trend tables by its place. */
export interface FlatCount {
  /** Dotted path of the table: `byScope`, `themes.primary`, `partnerTypes.listings`; `summary` for `registered`, `active`. */
  table: string;
  key: string;
  value: number;
}

/** The table that holds the top-level counts (`registered`, `active`). */
export const SUMMARY_TABLE = 'summary';

/** Every count of a nested tables object, in the tables' own order (depth first). */
export function flattenCounts(tables: object): FlatCount[] {
  const counts: FlatCount[] = [];
  const walk = (node: Record<string, unknown>, path: string[]) => {
    for (const [key, value] of Object.entries(node)) {
      if (typeof value === 'number' && Number.isFinite(value)) {
        counts.push({ table: path.length === 0 ? SUMMARY_TABLE : path.join('.'), key, value });
      } else if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
        walk(value as Record<string, unknown>, [...path, key]);
      }
    }
  };
  walk(tables as Record<string, unknown>, []);
  return counts;
}

/** One count across the compared points. */
export interface ComparedCount {
  table: string;
  key: string;
  /** The count at each point, in the order of the points (0 where a point's tables lack it). */
  values: number[];
  /** Last minus first. */
  change: number;
  /** `change / first`; null when the first is 0 (no base to be relative to). */
  relativeChange: number | null;
}

/** A comparison: the rows and the same cells nested like the tables, for JSON clients. */
export interface TrendComparison {
  rows: ComparedCount[];
  /** `{ summary: { registered: {values, change, relativeChange} }, byScope: { global: … }, … }` */
  tables: Record<string, unknown>;
}

/** Relative change from `base` to `value`; null when `base` is 0. Rounded to 6 decimals so that 1/3 reads 0.333333. */
export function relativeChange(base: number, value: number): number | null {
  if (base === 0) return null;
  return Math.round(((value - base) / base) * 1e6) / 1e6;
}

/**
 * Compares two or more tables objects: one row per count found in any of them (in the order of
 * first appearance), with the values side by side, and the change from the first point to the
 * last, absolute and relative.
 */
export function compareTrends(points: readonly object[]): TrendComparison {
  if (points.length < 2) throw new RangeError('a comparison needs at least two points');
  const rows = new Map<string, ComparedCount>();
  points.forEach((tables, index) => {
    for (const { table, key, value } of flattenCounts(tables)) {
      const id = `${table}\u0000${key}`;
      let row = rows.get(id);
      if (!row) rows.set(id, (row = { table, key, values: points.map(() => 0), change: 0, relativeChange: null }));
      row.values[index] = value;
    }
  });
  const compared = [...rows.values()].map((row) => {
    const first = row.values[0];
    const last = row.values[row.values.length - 1];
    return { ...row, change: last - first, relativeChange: relativeChange(first, last) };
  });
  const nested: Record<string, unknown> = {};
  for (const { table, key, values, change, relativeChange: relative } of compared) {
    let node = nested;
    for (const part of table.split('.')) node = (node[part] ??= {}) as Record<string, unknown>;
    node[key] = { values, change, relativeChange: relative };
  }
  return { rows: compared, tables: nested };
}

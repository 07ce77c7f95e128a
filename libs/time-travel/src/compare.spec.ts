import { trendTables } from '@registry/projections';
import { compareTrends, flattenCounts, relativeChange } from './compare';

describe('compareTrends', () => {
  it('flattens nested tables into table/key counts, top-level counts under summary, non-counts skipped', () => {
    expect(flattenCounts({ registered: 3, active: 2, cluster: ['transport'], asOf: '2010-02-01', byScope: { global: 2, local: 0 }, partnerTypes: { listings: { ngo: 4, total: 9 } } })).toEqual([
      { table: 'summary', key: 'registered', value: 3 },
      { table: 'summary', key: 'active', value: 2 },
      { table: 'byScope', key: 'global', value: 2 },
      { table: 'byScope', key: 'local', value: 0 },
      { table: 'partnerTypes.listings', key: 'ngo', value: 4 },
      { table: 'partnerTypes.listings', key: 'total', value: 9 },
    ]);
  });

  it('relative change is (last - first) / first, null on a zero base', () => {
    expect(relativeChange(200, 250)).toBe(0.25);
    expect(relativeChange(3, 4)).toBe(0.333333);
    expect(relativeChange(4, 0)).toBe(-1);
    expect(relativeChange(0, 5)).toBeNull();
    expect(relativeChange(0, 0)).toBeNull();
  });

  it('puts two tables side by side with absolute and relative changes', () => {
    const comparison = compareTrends([
      { registered: 200, byScope: { global: 100, local: 0 } },
      { registered: 250, byScope: { global: 90, local: 5 } },
    ]);
    expect(comparison.rows).toEqual([
      { table: 'summary', key: 'registered', values: [200, 250], change: 50, relativeChange: 0.25 },
      { table: 'byScope', key: 'global', values: [100, 90], change: -10, relativeChange: -0.1 },
      { table: 'byScope', key: 'local', values: [0, 5], change: 5, relativeChange: null },
    ]);
    expect(comparison.tables).toEqual({
      summary: { registered: { values: [200, 250], change: 50, relativeChange: 0.25 } },
      byScope: { global: { values: [100, 90], change: -10, relativeChange: -0.1 }, local: { values: [0, 5], change: 5, relativeChange: null } },
    });
  });

  it('compares more than two points, first to last; a count missing from a point is 0 there', () => {
    const { rows } = compareTrends([{ byRegistrationYear: { 2002: 10 } }, { byRegistrationYear: { 2002: 10, 2003: 4 } }, { byRegistrationYear: { 2002: 11, 2003: 5 } }]);
    expect(rows).toEqual([
      { table: 'byRegistrationYear', key: '2002', values: [10, 10, 11], change: 1, relativeChange: 0.1 },
      { table: 'byRegistrationYear', key: '2003', values: [0, 4, 5], change: 5, relativeChange: null },
    ]);
  });

  it('covers every count of the real trend tables', () => {
    const empty = trendTables(null);
    const { rows } = compareTrends([empty, empty]);
    expect(rows.length).toBe(flattenCounts(empty).length);
    expect(rows.length).toBeGreaterThan(100);
    expect(rows.every((row) => row.change === 0 && row.relativeChange === null)).toBe(true);
  });

  it('needs two points', () => {
    expect(() => compareTrends([{ registered: 1 }])).toThrow(RangeError);
  });
});

import { expectedFigures, generateHistory, type ImportLine } from '@registry/generator';

const jsonl = (lines: Iterable<ImportLine>) => [...lines].map((line) => JSON.stringify(line)).join('\n');

describe('generateHistory: determinism and ordering', () => {
  it('gives byte-identical output for the same seed, and different output for another seed', () => {
    const first = jsonl(generateHistory({ partnerships: 300, seed: 42 }));
    const again = jsonl(generateHistory({ partnerships: 300, seed: 42 }));
    const other = jsonl(generateHistory({ partnerships: 300, seed: 43 }));

    expect(again).toBe(first);
    expect(other).not.toBe(first);
    expect(first.length).toBeGreaterThan(100_000);
  });

  it('does not depend on the clock: the default until is a fixed date', () => {
    const implicit = jsonl(generateHistory({ partnerships: 50, seed: 1 }));
    const explicit = jsonl(generateHistory({ partnerships: 50, seed: 1, until: '2026-06-30' }));
    expect(implicit).toBe(explicit);
  });

  it('keeps every effective date within [registration, until] and registers a partnership before any line names it', () => {
    const until = '2012-06-30';
    const lines = [...generateHistory({ partnerships: 400, seed: 5, until })];
    const registeredOn = new Map<string, string>();

    for (const line of lines) {
      expect(line.effectiveDate <= until).toBe(true);
      if (line.command === 'RegisterPartnership') {
        registeredOn.set(line.data.id, line.effectiveDate);
        continue;
      }
      const named = line.command === 'MergePartnership' ? [line.data.partnershipId, line.data.into] : [line.data.partnershipId];
      for (const id of named) {
        expect(registeredOn.has(id)).toBe(true);
        expect(line.effectiveDate >= registeredOn.get(id)!).toBe(true);
      }
    }
    expect(registeredOn.size).toBe(400);
    // The oracle re-checks the per-partnership effective order of memberships, amendments and ends.
    expect(() => expectedFigures(lines)).not.toThrow();
  });

  it('refuses options it cannot honour', () => {
    expect(() => [...generateHistory({ partnerships: -1, seed: 1 })]).toThrow(RangeError);
    expect(() => [...generateHistory({ partnerships: 1, seed: 1.5 })]).toThrow(RangeError);
    expect(() => [...generateHistory({ partnerships: 1, seed: 1, until: '2001-12-31' })]).toThrow(RangeError);
    expect(() => [...generateHistory({ partnerships: 1, seed: 1, until: '2010-02-30' })]).toThrow(RangeError);
  });
});

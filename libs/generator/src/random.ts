/**
 * A small seeded PRNG: sfc32 (Chris Doty-Humphrey's Small Fast Counter), seeded through
 * splitmix32 so that neighbouring seeds and stream numbers give unrelated sequences.
 *
 * Only integer arithmetic and one division: no Math.log or Math.pow, whose last bit may differ
 * between engines, so the same seed gives byte-identical histories everywhere.
 */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** `stream` derives independent generators from one seed (one per partnership, one for the schedule). */
  constructor(seed: number, stream = 0) {
    let state = (seed ^ Math.imul(stream + 1, 0x9e3779b9)) >>> 0;
    const splitmix32 = () => {
      state = (state + 0x9e3779b9) >>> 0;
      let z = state;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = splitmix32();
    this.b = splitmix32();
    this.c = splitmix32();
    this.d = splitmix32();
    for (let i = 0; i < 12; i++) this.uint32();
  }

  uint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.uint32() / 4294967296;
  }

  /** Uniform integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** An index in [0, size), small ones far likelier: popular organisations recur across partnerships. */
  skewedIndex(size: number): number {
    const u = this.next();
    return Math.floor(u * u * size);
  }

  /** Around `mean`, uniformly within ±80 %: a varied interval without a transcendental function. */
  around(mean: number): number {
    return Math.max(1, Math.round(mean * (0.2 + 1.6 * this.next())));
  }
}

/** A discrete distribution over keys; the weights need not sum to 1. */
export class Weighted<K> {
  private readonly keys: K[];
  private readonly cumulative: number[];

  constructor(weights: Iterable<readonly [K, number]>) {
    this.keys = [];
    this.cumulative = [];
    let total = 0;
    for (const [key, weight] of weights) {
      if (weight <= 0) continue;
      total += weight;
      this.keys.push(key);
      this.cumulative.push(total);
    }
  }

  static of<K extends string>(weights: Readonly<Record<K, number>>): Weighted<K> {
    return new Weighted(Object.entries(weights) as [K, number][]);
  }

  draw(random: Random): K {
    const target = random.next() * this.cumulative[this.cumulative.length - 1];
    let low = 0;
    let high = this.cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.cumulative[middle] > target) high = middle;
      else low = middle + 1;
    }
    return this.keys[low];
  }

  /** `count` distinct keys (fewer if there are not that many), by repeated draws. */
  drawDistinct(random: Random, count: number, exclude: readonly K[] = []): K[] {
    const chosen: K[] = [];
    const available = this.keys.filter((key) => !exclude.includes(key)).length;
    const wanted = Math.min(count, available);
    while (chosen.length < wanted) {
      const key = this.draw(random);
      if (!chosen.includes(key) && !exclude.includes(key)) chosen.push(key);
    }
    return chosen;
  }
}

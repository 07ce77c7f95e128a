import { isCalendarDate } from '@registry/shared-kernel';
import { dayOf, type Day } from './calendar';
import type { ImportLine } from './import-line';
import { PartnershipLife, type Registry } from './life';
import { MinHeap } from './min-heap';
import { OrganisationPool } from './organisations';
import { DEFAULT_UNTIL, REGISTRATION_PERIODS } from './parameters';
import { Random } from './random';

export interface GenerateOptions {
  /** How many partnerships to register. */
  partnerships: number;
  /** 0 to 2^32-1; the same seed and options give the same history, byte for byte. */
  seed: number;
  /** Last effective date, `YYYY-MM-DD` (default 2026-06-30): nothing happens after it. */
  until?: string;
}

export const MAX_SEED = 0xffffffff;
export const FIRST_REGISTRATION = REGISTRATION_PERIODS[0].from;

interface Due {
  day: Day;
  /** Order of scheduling: breaks ties of the same day deterministically. */
  seq: number;
  life: PartnershipLife;
}

/**
 * A registry's history as import lines, in file order: sorted by the date each command is made
 * (its effective date, or for a back-dated amendment the later day it was recorded), so that a
 * partnership is registered before any line names it. Lazy: it holds the state of the live
 * partnerships (a few KB each) and one pending action each, never the history itself.
 */
export function* generateHistory(options: GenerateOptions): Generator<ImportLine, void, undefined> {
  const { partnerships, seed, until = DEFAULT_UNTIL } = options;
  if (!Number.isSafeInteger(partnerships) || partnerships < 0) throw new RangeError(`partnerships must be a whole number ≥ 0, not ${partnerships}`);
  if (!Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) throw new RangeError(`seed must be a whole number from 0 to ${MAX_SEED}, not ${seed}`);
  if (!isCalendarDate(until) || until < FIRST_REGISTRATION) {
    throw new RangeError(`until must be a date YYYY-MM-DD from ${FIRST_REGISTRATION} on, not ${until}`);
  }

  const untilDay = dayOf(until);
  const registrationDays = drawRegistrationDays(partnerships, untilDay, new Random(seed, 0));
  const lives: (PartnershipLife | undefined)[] = [];
  const registry: Registry = {
    pool: new OrganisationPool(seed, partnerships),
    survivorFor: (absorbed, random) => survivorFor(lives, absorbed, random),
  };
  const queue = new MinHeap<Due>((a, b) => a.day < b.day || (a.day === b.day && a.seq < b.seq));
  let seq = 0;
  const plan = (life: PartnershipLife) => {
    const day = life.nextDay();
    if (day <= untilDay) queue.push({ day, seq: seq++, life });
  };

  while (lives.length < partnerships || queue.size > 0) {
    const due = queue.peek();
    const index = lives.length;
    // Registrations first on a day, so that a merge that day can name any earlier one.
    if (index < partnerships && (due === undefined || registrationDays[index] <= due.day)) {
      const life = new PartnershipLife(index, partnershipId(index), registrationDays[index], seed, registry);
      lives.push(life);
      yield life.registration();
      plan(life);
      continue;
    }
    const { day, life } = queue.pop()!;
    const line = life.step(day);
    if (life.ended) lives[life.index] = undefined; // the absorbed are never named again
    else plan(life);
    if (line) yield line;
  }
}

export const partnershipId = (index: number): string => `gp-${String(index + 1).padStart(6, '0')}`;

/**
 * Registration days, sorted: each period of REGISTRATION_PERIODS (cut at `until`) gets its share
 * of `count` by largest remainder, so that the figures hold exactly at any size, spread uniformly.
 */
export function drawRegistrationDays(count: number, untilDay: Day, random: Random): Int32Array {
  const periods = REGISTRATION_PERIODS.flatMap(({ from, to, weight }) => {
    const first = dayOf(from);
    const last = Math.min(dayOf(to), untilDay);
    if (last < first) return [];
    return [{ first, last, weight: (weight * (last - first + 1)) / (dayOf(to) - first + 1) }];
  });
  const total = periods.reduce((sum, period) => sum + period.weight, 0);
  const quotas = periods.map((period) => (count * period.weight) / total);
  const counts = quotas.map(Math.floor);
  const byRemainder = quotas.map((quota, i) => i).sort((a, b) => quotas[b] - counts[b] - (quotas[a] - counts[a]) || a - b);
  const missing = count - counts.reduce((sum, n) => sum + n, 0);
  for (let i = 0; i < missing; i++) counts[byRemainder[i]]++;

  const days = new Int32Array(count);
  let next = 0;
  periods.forEach(({ first, last }, i) => {
    const start = next;
    for (let n = 0; n < counts[i]; n++) days[next++] = random.int(first, last);
    days.subarray(start, next).sort();
  });
  return days;
}

/** An active partnership registered earlier, preferably on a shared primary theme. */
function survivorFor(lives: readonly (PartnershipLife | undefined)[], absorbed: PartnershipLife, random: Random): PartnershipLife | undefined {
  let fallback: PartnershipLife | undefined;
  for (let attempt = 0; attempt < 16 && absorbed.index > 0; attempt++) {
    const candidate = lives[random.int(0, absorbed.index - 1)];
    if (!candidate || candidate.ended) continue;
    if (candidate.primaryThemes.some((theme) => absorbed.primaryThemes.includes(theme))) return candidate;
    fallback ??= candidate;
  }
  return fallback;
}

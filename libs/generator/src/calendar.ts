/** Days since 1970-01-01 (UTC): integers order, subtract and add without time-zone surprises. */
export type Day = number;

const MS_PER_DAY = 86_400_000;
export const DAYS_PER_YEAR = 365.25;

export function dayOf(date: string): Day {
  return Date.parse(`${date}T00:00:00.000Z`) / MS_PER_DAY;
}

// Millions of lines reuse a few thousand dates: format each one once.
const formatted = new Map<Day, string>();

export function dateOf(day: Day): string {
  let date = formatted.get(day);
  if (date === undefined) {
    date = new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
    formatted.set(day, date);
  }
  return date;
}

export function yearOf(day: Day): number {
  return new Date(day * MS_PER_DAY).getUTCFullYear();
}

export const years = (count: number): number => Math.round(count * DAYS_PER_YEAR);

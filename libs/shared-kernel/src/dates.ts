const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * A calendar date `YYYY-MM-DD` that exists (no 2009-02-30). Checked by arithmetic: every command
 * and query date goes through here, and a `Date` round trip cost about 2 µs a call.
 */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string' || !DATE.test(value)) return false;
  const year = Number(value.slice(0, 4));
  const month = Number(value.slice(5, 7));
  const day = Number(value.slice(8, 10));
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** Days in `month` (1-12) of `year`, proleptic Gregorian calendar (as `Date` counts). */
function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** A calendar date, or an ISO 8601 date-time with an explicit offset. */
export function isDateOrDateTime(value: unknown): value is string {
  if (isCalendarDate(value)) return true;
  return typeof value === 'string' && DATE_TIME.test(value) && !Number.isNaN(Date.parse(value))
    && isCalendarDate(value.slice(0, 10));
}

/**
 * Normalises a business date to the instant the registry stores: a bare date means the start of
 * that day in UTC; a date-time is converted to UTC. Output: `YYYY-MM-DDTHH:mm:ss.sssZ`.
 */
export function toInstant(value: string): string {
  return isCalendarDate(value) ? `${value}T00:00:00.000Z` : new Date(value).toISOString();
}

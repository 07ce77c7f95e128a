const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** A calendar date `YYYY-MM-DD` that exists (no 2009-02-30). */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string' || !DATE.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00.000Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value;
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

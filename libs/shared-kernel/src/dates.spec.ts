import { isCalendarDate, isDateOrDateTime, toInstant } from './dates';

describe('business dates', () => {
  it('accepts only calendar dates that exist', () => {
    expect(isCalendarDate('2010-02-01')).toBe(true);
    expect(isCalendarDate('2008-02-29')).toBe(true);
    expect(isCalendarDate('2009-02-29')).toBe(false);
    expect(isCalendarDate('2010-2-1')).toBe(false);
    expect(isCalendarDate(20100201)).toBe(false);
  });

  it('accepts date-times only with a time zone', () => {
    expect(isDateOrDateTime('2010-02-01T12:30:00Z')).toBe(true);
    expect(isDateOrDateTime('2010-02-01T12:30:00.123+02:00')).toBe(true);
    expect(isDateOrDateTime('2010-02-01T12:30:00')).toBe(false);
    expect(isDateOrDateTime('2010-02-30T12:30:00Z')).toBe(false);
  });

  it('normalises to a UTC instant: a bare date is the start of that day', () => {
    expect(toInstant('2010-02-01')).toBe('2010-02-01T00:00:00.000Z');
    expect(toInstant('2010-02-01T01:30:00+02:00')).toBe('2010-01-31T23:30:00.000Z');
  });
});

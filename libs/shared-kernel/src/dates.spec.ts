import { isCalendarDate, isDateOrDateTime, toInstant } from './dates';

describe('business dates', () => {
  it('accepts only calendar dates that exist', () => {
    expect(isCalendarDate('2010-02-01')).toBe(true);
    expect(isCalendarDate('2008-02-29')).toBe(true);
    expect(isCalendarDate('2009-02-29')).toBe(false);
    expect(isCalendarDate('2010-2-1')).toBe(false);
    expect(isCalendarDate(20100201)).toBe(false);
  });

  it('given every day of 1999-2101, when checked, then it agrees with Date: month lengths and leap years (2000 is one, 2100 is not)', () => {
    for (let year = 1999; year <= 2101; year++) {
      for (let month = 1; month <= 12; month++) {
        for (let day = 0; day <= 32; day++) {
          const text = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
          const parsed = new Date(`${text}T00:00:00.000Z`);
          const exists = !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === text;
          if (isCalendarDate(text) !== exists) throw new Error(`${text}: isCalendarDate says ${!exists}, Date says ${exists}`);
        }
      }
    }
    expect(isCalendarDate('2000-02-29')).toBe(true);
    expect(isCalendarDate('2100-02-29')).toBe(false);
    expect(isCalendarDate('2010-00-10')).toBe(false);
    expect(isCalendarDate('2010-13-01')).toBe(false);
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

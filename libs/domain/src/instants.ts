import type { Instant } from './partnership';

// Compared as instants, not strings, so an offset or missing milliseconds cannot skew the order.
export const isBefore = (a: Instant, b: Instant): boolean => Date.parse(a) < Date.parse(b);

/** The later of two instants; null counts as "never". */
export const latest = (a: Instant | null, b: Instant): Instant => (a !== null && !isBefore(a, b) ? a : b);

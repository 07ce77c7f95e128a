/**
 * Sorted arrays kept sorted by binary search: a read model's array that grows with its document
 * (an organisation's memberships, thousands for the largest) is changed by one insert or removal
 * per event instead of being filtered and sorted again.
 */

/** The first index whose element does not come before `probe` (`compare(element, probe) >= 0`). */
export function lowerBound<T, P>(array: readonly T[], probe: P, compare: (element: T, probe: P) => number): number {
  let low = 0;
  let high = array.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compare(array[middle], probe) < 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Inserts `item` after the elements that do not come after it (so equal ones keep their arrival order). */
export function insertSorted<T>(array: T[], item: T, compare: (a: T, b: T) => number): void {
  let low = 0;
  let high = array.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compare(array[middle], item) <= 0) low = middle + 1;
    else high = middle;
  }
  array.splice(low, 0, item);
}

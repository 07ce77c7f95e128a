import { DocumentCache } from './document-cache';

const doc = (id: string) => ({ _id: id });

describe('DocumentCache', () => {
  it('keeps what fits, and gives back the very documents it was given', () => {
    const cache = new DocumentCache(100);
    const a = doc('a');
    cache.set('a', a, 40);
    cache.set('b', doc('b'), 40);
    expect(cache.get('a')).toBe(a);
    expect(cache.get('b')).toEqual(doc('b'));
    expect(cache.get('c')).toBeUndefined();
  });

  it('evicts the least recently used first, down to 7/8 of its capacity', () => {
    const cache = new DocumentCache(80);
    for (const id of ['a', 'b', 'c', 'd']) cache.set(id, doc(id), 20); // exactly full: nothing evicted
    cache.get('a'); // now the most recently used
    cache.set('e', doc('e'), 20); // 100 > 80: evicts b and c (the two oldest), leaving 60 <= 70
    expect(['a', 'b', 'c', 'd', 'e'].filter((id) => cache.get(id))).toEqual(['a', 'd', 'e']);
  });

  it('does not keep a document larger than its capacity, nor its older version', () => {
    const cache = new DocumentCache(50);
    cache.set('a', doc('a'), 10);
    cache.set('a', doc('a'), 60);
    expect(cache.get('a')).toBeUndefined();
    cache.set('b', doc('b'), 50); // the freed size was accounted for: b fits alone
    expect(cache.get('b')).toEqual(doc('b'));
  });

  it('forgets a deleted document and its size', () => {
    const cache = new DocumentCache(40);
    cache.set('a', doc('a'), 30);
    cache.delete('a');
    cache.set('b', doc('b'), 40);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('b')).toEqual(doc('b'));
  });
});

import { canonicalJson } from './canonical-json';

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { f: true, e: null }], c: 'x' } })).toBe('{"a":{"c":"x","d":[3,{"e":null,"f":true}]},"b":1}');
  });

  it('gives the same text for equal values built in another key order', () => {
    expect(canonicalJson({ x: 1, y: [1, 2], z: { q: 'a', p: 'b' } })).toBe(canonicalJson({ z: { p: 'b', q: 'a' }, y: [1, 2], x: 1 }));
  });

  it('follows JSON.stringify for undefined members, undefined array items, dates and escapes', () => {
    const value = { keep: 'é"\n\u2028', drop: undefined, list: [undefined, 1], when: new Date('2010-02-01T00:00:00Z') };
    expect(canonicalJson(value)).toBe('{"keep":"é\\"\\n\u2028","list":[null,1],"when":"2010-02-01T00:00:00.000Z"}');
    expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
  });

  it('sorts by UTF-16 code units, as RFC 8785 does', () => {
    expect(canonicalJson({ b: 1, B: 2, '\u00e9': 3, a: 4 })).toBe('{"B":2,"a":4,"b":1,"é":3}');
  });

  it('refuses values with no JSON form', () => {
    expect(() => canonicalJson(undefined)).toThrow(TypeError);
    expect(() => canonicalJson({ n: BigInt(1) })).toThrow(TypeError);
  });
});

/**
 * Canonical JSON for hashing: object keys sorted by UTF-16 code units (as RFC 8785 does), no
 * insignificant whitespace, members whose value is `undefined` or a function dropped and such
 * array items written as null (as JSON.stringify does), `toJSON` honoured (a Date becomes its
 * ISO string). Two equal values always give the same string, whatever order their keys were
 * built in. Written with plain loops: it runs for every event appended.
 */
export function canonicalJson(value: unknown): string {
  const text = write(value);
  if (text === undefined) throw new TypeError(`canonicalJson: ${typeof value} is not representable`);
  return text;
}

function write(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
      return JSON.stringify(value);
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + (write(value[i]) ?? 'null');
        return `${out}]`;
      }
      const withToJson = value as { toJSON?: () => unknown };
      if (typeof withToJson.toJSON === 'function') return write(withToJson.toJSON());
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record).sort();
      let out = '{';
      for (const key of keys) {
        const member = write(record[key]);
        if (member === undefined) continue;
        out += `${out.length === 1 ? '' : ','}${JSON.stringify(key)}:${member}`;
      }
      return `${out}}`;
    }
    default:
      // undefined, functions and symbols have no JSON form; bigint makes JSON.stringify throw too.
      if (typeof value === 'bigint') throw new TypeError('canonicalJson: bigint is not representable');
      return undefined;
  }
}

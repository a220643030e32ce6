import fc from 'fast-check';

import { describeShape, parseRecord, parseValue, stringifyRecord, stringifyValue, ValueCodecError } from '../src/values';

/**
 * The value codec: what one task writes, the next reads back exactly. Properties
 * run on generated values of every kind the codec carries, nested in one another.
 */
const roundTrip = (value: unknown) => parseValue(stringifyValue(value));

/**
 * Exactly the same value: same kind and prototype, numbers by Object.is (NaN is
 * NaN, -0 is not 0), typed arrays by class and bytes, Maps and Sets and object
 * keys in the same order. Stricter than jest's equality on the points that
 * matter here, and blind to an own `constructor` key, which jest is not.
 */
function same(a: unknown, b: unknown): boolean {
  if (typeof a !== typeof b) {
    return false;
  }
  if (a === null || b === null || typeof a !== 'object') {
    return Object.is(a, b);
  }
  const kind = Object.prototype.toString.call(a);
  if (kind !== Object.prototype.toString.call(b) || Array.isArray(a) !== Array.isArray(b)) {
    return false;
  }
  const x = a as any;
  const y = b as any;
  if (ArrayBuffer.isView(x) || kind === '[object ArrayBuffer]') {
    const bytes = (v: any) => Buffer.from(ArrayBuffer.isView(v) ? v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength) : v);
    return bytes(x).equals(bytes(y));
  }
  if (kind === '[object Date]') {
    return Object.is(x.getTime(), y.getTime());
  }
  if (kind === '[object RegExp]') {
    return x.source === y.source && x.flags === y.flags;
  }
  if (kind === '[object Map]' || kind === '[object Set]') {
    const xs = [...x.entries()];
    const ys = [...y.entries()];
    return xs.length === ys.length && xs.every((e, i) => same(e, ys[i]));
  }
  if (Object.getPrototypeOf(x) !== Object.getPrototypeOf(y)) {
    return false;
  }
  const keys = Object.keys(x);
  const other = Object.keys(y);
  return keys.length === other.length && keys.every((k, i) => k === other[i] && same(x[k], y[k]));
}

const typedArray = fc.oneof(
  fc.float64Array({ maxLength: 8 }),
  fc.float32Array({ maxLength: 8 }),
  fc.int8Array({ maxLength: 8 }),
  fc.uint8Array({ maxLength: 8 }),
  fc.uint8ClampedArray({ maxLength: 8 }),
  fc.int16Array({ maxLength: 8 }),
  fc.uint16Array({ maxLength: 8 }),
  fc.int32Array({ maxLength: 8 }),
  fc.uint32Array({ maxLength: 8 }),
  fc.bigInt64Array({ maxLength: 8 }),
  fc.bigUint64Array({ maxLength: 8 })
);

const leaf = fc.oneof(
  fc.double(), // NaN, the infinities and -0 included
  fc.integer(),
  fc.string({ unit: 'binary' }), // lone surrogates and line terminators included
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.bigInt(),
  fc.date(), // invalid dates included
  typedArray,
  fc.constantFrom('$number', '$object', '__proto__')
);

/** Any value the codec carries: leaves inside arrays, plain objects (tag-like keys too), Maps and Sets. */
const { value: anyValue } = fc.letrec(tie => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('array'), tie('object'), tie('map'), tie('set')),
  array: fc.array(tie('value'), { maxLength: 5 }),
  object: fc.dictionary(
    fc.oneof(fc.string(), fc.constantFrom('$number', '$undefined', '$object', '$map', '$Float64Array', '__proto__', 'constructor')),
    tie('value'),
    { maxKeys: 4, noNullPrototype: true }
  ),
  map: fc.array(fc.tuple(tie('value'), tie('value')), { maxLength: 3 }).map(entries => new Map(entries)),
  set: fc.array(tie('value'), { maxLength: 3 }).map(items => new Set(items))
}));

describe('the value codec', () => {
  it('is checked by a comparison that tells apart what JSON would confuse', () => {
    expect(same([NaN, -0, new Float64Array([1])], [NaN, -0, new Float64Array([1])])).toBe(true);
    for (const [a, b] of [
      [-0, 0],
      [new Float64Array([1]), new Float32Array([1])],
      [new Map([[1, 2]]), { 1: 2 }],
      [{ a: 1, b: 2 }, { b: 2, a: 1 }],
      [new Date(0), new Date(1)],
      [undefined, null],
      [1n, 1]
    ]) {
      expect(same(a, b)).toBe(false);
    }
  });

  it('reads back exactly what it wrote, for every kind of value it carries', () => {
    fc.assert(
      fc.property(anyValue, value => {
        expect(same(roundTrip(value), value)).toBe(true);
      }),
      { numRuns: 2000, seed: 20261201 }
    );
  });

  it('writes plain JSON as plain JSON, and reads plain JSON as itself', () => {
    fc.assert(
      fc.property(fc.jsonValue({ noUnicodeString: false }), json => {
        // -0 is not JSON's: JSON.stringify writes it as 0, so leave it out here.
        fc.pre(!JSON.stringify(json).includes('"$') && !Object.is(json, -0));
        const text = JSON.stringify(json);
        expect(parseValue(text)).toStrictEqual(JSON.parse(text));
      }),
      { numRuns: 500, seed: 7 }
    );
  });

  it('keeps the values JSON cannot hold, each in its documented form', () => {
    const value = {
      nan: NaN,
      inf: [Infinity, -Infinity, -0, 0],
      when: new Date('2026-01-02T00:00:00Z'),
      never: new Date(NaN),
      big: 2n ** 70n,
      nothing: undefined,
      lookup: new Map<unknown, unknown>([['a', 1], [2, new Set(['x'])]]),
      weights: new Float64Array([0.5, NaN, -0]),
      pattern: /a+b/gi
    };
    const text = stringifyValue(value);
    expect(JSON.parse(text)).toEqual({
      nan: { $number: 'NaN' },
      inf: [{ $number: 'Infinity' }, { $number: '-Infinity' }, { $number: '-0' }, 0],
      when: { $date: '2026-01-02T00:00:00.000Z' },
      never: { $date: null },
      big: { $bigint: '1180591620717411303424' },
      nothing: { $undefined: true },
      lookup: { $map: [['a', 1], [2, { $set: ['x'] }]] },
      weights: { $Float64Array: Buffer.from(new Float64Array([0.5, NaN, -0]).buffer).toString('base64') },
      pattern: { $regexp: ['a+b', 'gi'] }
    });
    expect(same(parseValue(text), value)).toBe(true);
  });

  it('keeps a typed array that views part of a larger buffer as just that part', () => {
    const whole = new Int32Array([1, 2, 3, 4, 5]);
    const part = whole.subarray(1, 3);
    expect(roundTrip(part)).toStrictEqual(new Int32Array([2, 3]));
    const view = roundTrip(new DataView(whole.buffer, 4, 4)) as DataView;
    expect([view.byteLength, view.getInt32(0, true)]).toEqual([4, 2]);
    const buffer = roundTrip(whole.buffer) as ArrayBuffer;
    expect(Object.prototype.toString.call(buffer)).toBe('[object ArrayBuffer]');
    expect([...new Int32Array(buffer)]).toEqual([1, 2, 3, 4, 5]);
  });

  it('wraps an object that would read as a tag, so that it reads back as itself', () => {
    const looksTagged = { $date: 'not a date' };
    expect(JSON.parse(stringifyValue(looksTagged))).toEqual({ $object: { $date: 'not a date' } });
    expect(roundTrip(looksTagged)).toStrictEqual(looksTagged);
    expect(roundTrip({ $date: 1, other: 2 })).toStrictEqual({ $date: 1, other: 2 });
  });

  it('reads a __proto__ key as data, never as the prototype', () => {
    const text = '{"__proto__": {"polluted": {"$number": "NaN"}}, "x": {"$undefined": true}}';
    const value = parseValue(text) as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(value)).toEqual(['__proto__', 'x']);
    const record = parseRecord('{"__proto__": {"$number": "-0"}}', 'file.json');
    expect(Object.getPrototypeOf(record)).toBe(Object.prototype);
    expect(Object.is(record['__proto__'], -0)).toBe(true);
  });

  it.each([
    [{ model: { fit: () => 1 } }, 'rows.model.fit: a function (fit) is code, not data'],
    [{ when: [1, new (class Model {})()] }, 'rows.when[1]: a Model cannot be handed over as data'],
    [{ failure: new Error('x') }, 'rows.failure: an Error cannot be handed over as data'],
    [{ 'odd key': Symbol('s') }, 'rows["odd key"]: a symbol (Symbol(s)) cannot leave the process'],
    [new Map([[1, { p: Promise.resolve(1) }]]), 'rows[0].p: a Promise cannot be handed over']
  ])('refuses a value it cannot carry, naming where it is: %#', (value, message) => {
    expect(() => stringifyValue(value, 'rows')).toThrow(ValueCodecError);
    expect(() => stringifyValue(value, 'rows')).toThrow(message);
  });

  it('refuses a circular value with the path where it comes round', () => {
    const node: Record<string, unknown> = { name: 'a', children: [] };
    (node.children as unknown[]).push({ parent: node });
    expect(() => stringifyValue(node, 'tree')).toThrow('tree.children[0].parent: a circular reference');
    // The same object twice, but not inside itself, is fine: it comes back as two copies.
    const shared = { x: 1 };
    expect(roundTrip([shared, shared])).toStrictEqual([{ x: 1 }, { x: 1 }]);
  });

  it.each([
    ['{"a": {"$number": "nan"}}', 'a: $number must be "NaN", "Infinity", "-Infinity" or "-0"'],
    ['{"a": [1, {"$bigint": "1.5"}]}', 'a[1]: $bigint must be a string of decimal digits'],
    ['{"a": {"$Float64Array": "AAAA"}}', 'a: $Float64Array: 3 bytes is not a whole number of 8-byte elements'],
    ['{"a": {"$Int32Array": "**"}}', 'a: $Int32Array: expected base64 text'],
    ['{"a": {"$date": "yesterday"}}', 'a: $date must be an ISO date string or null'],
    ['{"a": ', 'file.json: not valid JSON'],
    ['[1, 2]', 'file.json: expected a JSON object of name: value, got an array']
  ])('refuses malformed text, naming the value: %s', (text, message) => {
    expect(() => parseRecord(text, 'file.json')).toThrow(message);
  });

  it('writes a record of outputs with their names as they are, each value encoded', () => {
    const text = stringifyRecord({ $odd: NaN, spend: [1, 2], when: new Date(0) });
    expect(text).toBe('{"$odd":{"$number":"NaN"},"spend":[1,2],"when":{"$date":"1970-01-01T00:00:00.000Z"}}');
    expect(parseRecord(text, 'x')).toStrictEqual({ $odd: NaN, spend: [1, 2], when: new Date(0) });
    expect(() => stringifyRecord({ model: () => 1 })).toThrow('model: a function');
  });

  it('leaves large plain values alone: the same arrays and records come out as went in', () => {
    const rows = Array.from({ length: 1000 }, (_, i) => ({ id: i, name: `r${i}`, ok: i % 2 === 0, score: i / 7 }));
    expect(stringifyValue(rows)).toBe(JSON.stringify(rows));
    const withNaN = rows.map(r => ({ ...r, score: r.id === 500 ? NaN : r.score }));
    const back = roundTrip(withNaN) as typeof rows;
    expect(back[500].score).toBeNaN();
    expect(back[499]).toStrictEqual(rows[499]);
  });
});

describe('describeShape', () => {
  it.each([
    [[1, 2, 3], 'number[3]'],
    [[{ id: 1, v: 2 }, { id: 2, v: 3 }], '{ id, v }[2]'],
    [new Float64Array(1000), 'Float64Array[1000]'],
    [new Map([[1, 2]]), 'Map(1)'],
    ['hello', 'string (5 characters)'],
    [NaN, 'number NaN'],
    [{ a: 1, b: 2 }, 'object { a, b }'],
    [new Date(0), 'Date 1970-01-01T00:00:00.000Z'],
    [[1, 'a'], '(number | string)[2]'],
    [[], 'empty[0]'],
    [10n, 'bigint 10n']
  ])('describes %p as %s', (value, shape) => {
    expect(describeShape(value)).toBe(shape);
  });
});

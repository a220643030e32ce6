import { LIMITS, preview, RESULT_LIMITS } from '../src/kernel/preview';

describe('previews of values for the panel', () => {
  it.each([
    [28.333333333333332, { kind: 'number', text: '28.333333333333332' }],
    [NaN, { kind: 'number', text: 'NaN' }],
    [-Infinity, { kind: 'number', text: '-Infinity' }],
    [-0, { kind: 'number', text: '-0' }],
    ['US', { kind: 'string', text: 'US' }],
    [true, { kind: 'boolean', text: 'true' }],
    [null, { kind: 'null', text: 'null' }],
    [undefined, { kind: 'undefined', text: 'undefined' }],
    [2n ** 64n, { kind: 'bigint', text: '18446744073709551616n' }],
    [new Date(Date.UTC(2026, 5, 30)), { kind: 'date', text: '2026-06-30T00:00:00.000Z' }]
  ])('%p', (value, expected) => {
    expect(preview(value)).toEqual(expected);
  });

  it('shows short arrays whole, with strings quoted inside', () => {
    expect(preview([10, 1, 0.4])).toMatchObject({ kind: 'array', length: 3, text: '[10, 1, 0.4]' });
    expect(preview(['a', 'b']).text).toBe('["a", "b"]');
  });

  it('bounds a huge array to a few items and its length, quickly', () => {
    const big = Array.from({ length: 1_000_000 }, (_, i) => i);
    const shown = preview(big);
    expect(shown).toMatchObject({ kind: 'array', length: 1_000_000 });
    expect(shown.kind === 'array' && shown.items).toHaveLength(LIMITS.items);
    expect(shown.text).toMatch(/^Array\(1000000\) \[0, 1, 2, .*, … 999980 more\]$/);
    expect(JSON.stringify(shown).length).toBeLessThan(2000);
  });

  it('names typed arrays', () => {
    expect(preview(new Float64Array([1.5, 2])).text).toBe('Float64Array(2) [1.5, 2]');
  });

  it('shows arrays of records as a table', () => {
    const rows = Array.from({ length: 25 }, (_, i) => ({ region: i % 2 ? 'EU' : 'US', orders: i }));
    const shown = preview(rows);
    expect(shown).toMatchObject({ kind: 'table', columns: ['region', 'orders'], totalRows: 25, text: '25 rows × region, orders' });
    expect(shown.kind === 'table' && shown.rows.slice(0, 2)).toEqual([
      ['US', '0'],
      ['EU', '1']
    ]);
    expect(shown.kind === 'table' && shown.rows).toHaveLength(LIMITS.rows);
  });

  it('shows maps, sets, objects and class instances by their contents', () => {
    expect(preview(new Map([['a', 1]])).text).toBe('Map(1) {"a" => 1}');
    expect(preview(new Set([1, 2])).text).toBe('Set(2) {1, 2}');
    expect(preview({ high_value: 24, lapsed: 3 }).text).toBe('{high_value: 24, lapsed: 3}');
    class Model { weights = [1, 2]; }
    expect(preview(new Model())).toMatchObject({ kind: 'object', typeName: 'Model', text: 'Model {weights: [1, 2]}' });
  });

  it('survives cycles, deep nesting, throwing getters and long strings', () => {
    const loop: Record<string, unknown> = { name: 'loop' };
    loop.self = loop;
    expect(preview(loop).text).toBe('{name: "loop", self: [circular]}');
    const deep = { a: { b: { c: { d: { e: 1 } } } } };
    expect(preview(deep).text).toBe('{a: {b: {c: {d: {…}}}}}');
    const tricky = Object.defineProperty({}, 'boom', { enumerable: true, get: () => { throw new Error('no'); } });
    expect(preview(tricky).text).toBe('{boom: Error: no}');
    expect(preview('x'.repeat(1000)).text).toHaveLength(LIMITS.string);
  });
});

describe("a run's result", () => {
  it('holds every row of a table up to the result limit, and the value as JSON for copying', () => {
    const rows = Array.from({ length: 118 }, (_, i) => ({ id: `c${i}`, amount: i * 1.5 }));
    const shown = preview(rows, { result: true });
    expect(shown.kind === 'table' && shown.rows).toHaveLength(118);
    expect(JSON.parse(shown.json as string)).toEqual(rows);
    // A node's preview while running stays small.
    const small = preview(rows);
    expect(small.kind === 'table' && small.rows).toHaveLength(LIMITS.rows);
    expect(small.json).toBeUndefined();
  });

  it('has no JSON when the value has none of bounded size', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(preview(cyclic, { result: true }).json).toBeUndefined();
    expect(preview('x'.repeat(RESULT_LIMITS.json + 10), { result: true }).json).toBeUndefined();
  });
});

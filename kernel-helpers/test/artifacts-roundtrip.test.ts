import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Table, tableFromArrays } from 'apache-arrow';
import { readArtifact, writeArtifact, type ArtifactFormat } from '../src/artifacts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dagcells-artifacts-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const owner = 'save_table';

/** A table with every cell type, nulls in every column, and strings that need quoting. */
function everyType() {
  return [
    { id: 1, score: 0.5, name: 'plain', ok: true, at: new Date('2024-03-01T12:30:00.125Z'), big: 12345678901234567890n },
    { id: -2, score: -0, name: 'comma, "quote"\nand newline', ok: false, at: new Date('1969-07-20T20:17:40Z'), big: -9007199254740993n },
    { id: null, score: null, name: null, ok: null, at: null, big: null },
    { id: 9007199254740991, score: 1e-300, name: 'ünïcödé 漢字 🙂', ok: true, at: new Date(0), big: 0n }
  ];
}

async function roundTrip(format: ArtifactFormat, value: unknown, read: Parameters<typeof readArtifact>[2] = {}, write = {}) {
  const path = join(dir, `t.${format}`);
  const result = await writeArtifact(format, path, value, { owner, ...write });
  return { result, back: await readArtifact(format, path, read) };
}

describe('parquet round trips', () => {
  it('gives back every cell type exactly, nulls included (bigints within 64 bits)', async () => {
    const rows = everyType().map(r => ({ ...r, big: r.big === null ? null : BigInt.asIntN(64, r.big) }));
    const { result, back } = await roundTrip('parquet', rows);
    expect(result).toEqual({ path: join(dir, 't.parquet'), format: 'parquet', bytes: readFileSync(join(dir, 't.parquet')).length, rows: 4 });
    expect(back).toEqual(rows);
    expect(Object.is((back as typeof rows)[1].score, -0)).toBe(true);
  });

  it('keeps NaN and the infinities, which parquet doubles hold', async () => {
    const rows = [{ x: NaN }, { x: Infinity }, { x: -Infinity }, { x: 1.5 }];
    expect((await roundTrip('parquet', rows)).back).toEqual(rows);
  });

  it('refuses a bigint beyond 64 bits, naming its row and column', async () => {
    await expect(writeArtifact('parquet', join(dir, 'b.parquet'), everyType(), { owner })).rejects.toMatchObject({
      code: 'ARTIFACT_VALUE',
      row: 0,
      column: 'big'
    });
  });

  it('writes column-oriented tables, typed arrays keeping their element type', async () => {
    const columns = {
      f64: new Float64Array([0.25, -1, 3]),
      f32: new Float32Array([0.5, 2, -4]),
      i32: new Int32Array([1, -2, 2147483647]),
      u8: new Uint8Array([0, 128, 255]),
      i64: new BigInt64Array([1n, -(2n ** 63n), 2n ** 62n]),
      label: ['a', 'b', null],
      when: [new Date(1), null, new Date(3)]
    };
    const { result, back } = await roundTrip('parquet', columns, { shape: 'columns' });
    expect(result.rows).toBe(3);
    const b = back as Record<string, ArrayLike<unknown>>;
    expect(Array.from(b.f64)).toEqual([0.25, -1, 3]);
    expect(Array.from(b.f32)).toEqual([0.5, 2, -4]);
    expect(Array.from(b.i32)).toEqual([1, -2, 2147483647]);
    expect(Array.from(b.u8)).toEqual([0, 128, 255]);
    // 2^62 is beyond 2^53, so the whole column comes back as bigints.
    expect(b.i64).toEqual([1n, -(2n ** 63n), 2n ** 62n]);
    expect(b.label).toEqual(['a', 'b', null]);
    expect(b.when).toEqual([new Date(1), null, new Date(3)]);
    expect(b.f64).toBeInstanceOf(Float64Array);
  });

  it('reads the columns asked for, in that order, and declared types', async () => {
    const rows = [{ a: 1, b: 'x', c: 2 }, { a: 3, b: 'y', c: 4 }];
    const { back } = await roundTrip('parquet', rows, { columns: ['c', 'a'], types: { a: 'bigint' } });
    expect(back).toEqual([{ c: 2, a: 1n }, { c: 4, a: 3n }]);
    expect(Object.keys((back as object[])[0])).toEqual(['c', 'a']);
  });

  it('writes a declared number type for integer values, and an empty table', async () => {
    const path = join(dir, 'n.parquet');
    await writeArtifact('parquet', path, [{ price: 10 }, { price: 20 }], { owner, types: { price: 'number' } });
    expect(await readArtifact('parquet', path)).toEqual([{ price: 10 }, { price: 20 }]);
    expect((await roundTrip('parquet', [])).back).toEqual([]);
  });
});

describe('parquet as Arrow tables', () => {
  it('writes an apache-arrow Table as it is and reads one back with shape "arrow"', async () => {
    // tableFromArrays makes a column of strings a dictionary, which the file keeps.
    const table = tableFromArrays({ id: new Int32Array([1, 2, 3]), score: new Float64Array([0.5, 1, 1.5]), label: ['a', 'b', 'a'] });
    const { result, back } = await roundTrip('parquet', table, { shape: 'arrow' });
    expect(result.rows).toBe(3);
    expect(back).toBeInstanceOf(Table);
    const got = back as Table;
    expect(got.schema.fields.map(f => `${f.name}:${f.type}`)).toEqual(['id:Int32', 'score:Float64', 'label:Dictionary<Int32, Utf8>']);
    expect(got.toArray().map(r => r.toJSON())).toEqual([
      { id: 1, score: 0.5, label: 'a' },
      { id: 2, score: 1, label: 'b' },
      { id: 3, score: 1.5, label: 'a' }
    ]);
    expect(await readArtifact('parquet', join(dir, 't.parquet'))).toEqual([
      { id: 1, score: 0.5, label: 'a' },
      { id: 2, score: 1, label: 'b' },
      { id: 3, score: 1.5, label: 'a' }
    ]);
  });

  it('refuses shape "arrow" for other formats, and types with it', async () => {
    const path = join(dir, 'a.csv');
    await writeArtifact('csv', path, [{ a: 1 }], { owner });
    await expect(readArtifact('csv', path, { shape: 'arrow' })).rejects.toMatchObject({
      code: 'ARTIFACT_OPTION',
      message: `${path}: shape must be "rows" or "columns" for csv, not "arrow"`
    });
    const pq = join(dir, 'a.parquet');
    await writeArtifact('parquet', pq, [{ a: 1 }], { owner });
    await expect(readArtifact('parquet', pq, { shape: 'arrow', types: { a: 'bigint' } })).rejects.toMatchObject({ code: 'ARTIFACT_OPTION' });
  });
});

describe('csv round trips', () => {
  it('gives back numbers, strings, booleans, nulls, Dates and bigints, typed by inference', async () => {
    const rows = everyType();
    const { result, back } = await roundTrip('csv', rows);
    expect(result.rows).toBe(4);
    expect(back).toEqual(rows);
    expect(Object.is((back as typeof rows)[1].score, -0)).toBe(true);
  });

  it('writes what a person expects to read, quoting only where needed', async () => {
    const path = join(dir, 'p.csv');
    await writeArtifact('csv', path, everyType().slice(0, 3), { owner });
    expect(readFileSync(path, 'utf8')).toBe(
      'id,score,name,ok,at,big\n' +
        '1,0.5,plain,true,2024-03-01T12:30:00.125Z,12345678901234567890\n' +
        '-2,-0,"comma, ""quote""\nand newline",false,1969-07-20T20:17:40.000Z,-9007199254740993\n' +
        ',,,,,\n'
    );
  });

  it('keeps NaN and the infinities in a number column', async () => {
    const rows = [{ x: NaN }, { x: Infinity }, { x: -Infinity }, { x: 1.5 }];
    expect((await roundTrip('csv', rows)).back).toEqual(rows);
  });

  it('reads a null of a one-column table back as a row, not as a skipped empty line', async () => {
    const rows = [{ x: 'a' }, { x: null }, { x: 'c' }];
    expect((await roundTrip('csv', rows)).back).toEqual(rows);
  });

  it('keeps strings that look like numbers when their column is declared string', async () => {
    const rows = [{ zip: '00501', n: '1' }, { zip: '10001', n: '2' }];
    const { back } = await roundTrip('csv', rows, { types: { zip: 'string' } });
    expect(back).toEqual([{ zip: '00501', n: 1 }, { zip: '10001', n: 2 }]);
  });

  it('writes column-oriented tables and reads them as columns', async () => {
    const { back } = await roundTrip('csv', { a: new Float64Array([1.5, 2]), b: ['x', 'y'], c: [true, null] }, { shape: 'columns' });
    const b = back as Record<string, ArrayLike<unknown>>;
    expect(Array.from(b.a)).toEqual([1.5, 2]);
    expect(b.b).toEqual(['x', 'y']);
    expect(b.c).toEqual([true, null]);
  });

  it('writes every key of rows that differ, in the order first seen, with a chosen delimiter', async () => {
    const path = join(dir, 'd.csv');
    await writeArtifact('csv', path, [{ a: 1 }, { b: 'x;y', a: 2 }], { owner, delimiter: ';' });
    expect(readFileSync(path, 'utf8')).toBe('a;b\n1;\n2;"x;y"\n');
    expect(await readArtifact('csv', path, { delimiter: ';' })).toEqual([{ a: 1, b: null }, { a: 2, b: 'x;y' }]);
  });

  it('reads an empty table back empty', async () => {
    expect((await roundTrip('csv', [])).back).toEqual([]);
  });
});

describe('ndjson and json round trips', () => {
  it.each(['ndjson', 'json'] as const)('%s gives back Dates and bigints through declared types', async format => {
    const rows = everyType();
    const { result, back } = await roundTrip(format, rows, { types: { at: 'date', big: 'bigint' } });
    expect(result.rows).toBe(4);
    // JSON has no -0: it is written as 0.
    expect(back).toEqual(rows.map((r, i) => (i === 1 ? { ...r, score: 0 } : r)));
  });

  it.each(['ndjson', 'json'] as const)('%s writes Dates as ISO strings and bigints as strings of digits', async format => {
    const { back } = await roundTrip(format, [{ at: new Date(0), big: 2n ** 70n }]);
    expect(back).toEqual([{ at: '1970-01-01T00:00:00.000Z', big: '1180591620717411303424' }]);
  });

  it('ndjson writes one line per row', async () => {
    const path = join(dir, 'l.ndjson');
    await writeArtifact('ndjson', path, [{ a: 1, b: 'x' }, { a: 2, b: null }, [1, { nested: true }]], { owner });
    expect(readFileSync(path, 'utf8')).toBe('{"a":1,"b":"x"}\n{"a":2,"b":null}\n[1,{"nested":true}]\n');
  });

  it('json holds any JSON value, typed arrays as arrays, and indents when asked', async () => {
    const value = { model: 'm1', weights: new Float64Array([0.5, 1]), nested: [{ a: [1, 2] }] };
    const path = join(dir, 'v.json');
    const result = await writeArtifact('json', path, value, { owner, indent: 2 });
    expect(result.rows).toBeUndefined();
    expect(readFileSync(path, 'utf8')).toBe(JSON.stringify({ model: 'm1', weights: [0.5, 1], nested: [{ a: [1, 2] }] }, null, 2) + '\n');
    expect(await readArtifact('json', path)).toEqual({ model: 'm1', weights: [0.5, 1], nested: [{ a: [1, 2] }] });
  });

  it('json writes a column-oriented table as its rows', async () => {
    const { back } = await roundTrip('json', { a: [1, 2], b: ['x', 'y'] });
    expect(back).toEqual([{ a: 1, b: 'x' }, { a: 2, b: 'y' }]);
  });

  it('reads a table as columns', async () => {
    const { back } = await roundTrip('ndjson', [{ a: 1, b: 'x' }, { a: 2 }], { shape: 'columns' });
    expect(back).toEqual({ a: [1, 2], b: ['x', null] });
  });
});

describe('column names', () => {
  it.each(['csv', 'parquet', 'ndjson', 'json'] as const)('%s keeps names that are not identifiers, __proto__ included', async format => {
    const row: Record<string, unknown> = { 'with space': 1, 'quote"s': 'a', '': 'empty name', 'ünï': true };
    Object.defineProperty(row, '__proto__', { value: 'own', enumerable: true, configurable: true, writable: true });
    const { back } = await roundTrip(format, [row]);
    const got = (back as Record<string, unknown>[])[0];
    expect(Object.getPrototypeOf(got)).toBe(Object.prototype);
    expect(Object.entries(got)).toEqual(Object.entries(row));
  });
});

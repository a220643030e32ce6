import { mkdtempSync, rmSync, writeFileSync, readFileSync, existsSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { ArtifactError, isArtifactError, readArtifact, writeArtifact, type ArtifactFormat } from '../src/artifacts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dagcells-artifact-errors-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const owner = 'save_it';

/** The error a promise rejects with, as the fields a caller reads. */
async function failure(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    expect(isArtifactError(error)).toBe(true);
    const e = error as ArtifactError;
    return { code: e.code, message: e.message, line: e.line, row: e.row, column: e.column, path: e.path };
  }
  throw new Error('expected a failure');
}

function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

describe('reading a file that is not there or empty', () => {
  it.each(['json', 'ndjson', 'csv', 'parquet'] as const)('%s: a missing file is ARTIFACT_MISSING naming the path', async format => {
    const path = join(dir, `nope.${format}`);
    expect(await failure(readArtifact(format, path))).toMatchObject({ code: 'ARTIFACT_MISSING', message: `${path}: no such file`, path });
  });

  it.each(['json', 'ndjson', 'csv', 'parquet'] as const)('%s: an empty file is ARTIFACT_EMPTY', async format => {
    const path = file(`empty.${format}`, '');
    expect(await failure(readArtifact(format, path))).toMatchObject({ code: 'ARTIFACT_EMPTY', path });
  });

  it('a folder is refused as such', async () => {
    expect(await failure(readArtifact('csv', dir))).toMatchObject({ code: 'ARTIFACT_IO', message: `${dir}: this is a folder, not a file` });
  });
});

describe('malformed csv', () => {
  it('names the line of a row with too few fields', async () => {
    const path = file('short.csv', 'id,name,score\n1,a,0.5\n2,b\n3,c,0.7\n');
    expect(await failure(readArtifact('csv', path))).toMatchObject({
      code: 'ARTIFACT_MALFORMED',
      line: 3,
      row: 1,
      message: `${path}, line 3, row 1: the row has 2 fields but the header has 3`
    });
  });

  it('names the line of a row with too many fields, counting lines inside quoted fields', async () => {
    const path = file('long.csv', 'id,note\n1,"two\nlines"\n2,x,extra\n');
    expect(await failure(readArtifact('csv', path))).toMatchObject({ code: 'ARTIFACT_MALFORMED', line: 4, row: 1 });
  });

  it('names the line where an unclosed quote starts', async () => {
    const path = file('quote.csv', 'id,note\n1,fine\n2,"never closed\n3,more\n');
    const f = await failure(readArtifact('csv', path));
    expect(f).toMatchObject({ code: 'ARTIFACT_MALFORMED', line: 3 });
    expect(f.message).toMatch(/quote/i);
  });

  it('refuses a header that names a column twice', async () => {
    const path = file('dup.csv', 'a,b,a\n1,2,3\n');
    expect(await failure(readArtifact('csv', path))).toMatchObject({
      code: 'ARTIFACT_MALFORMED',
      line: 1,
      message: `${path}, line 1: the header names column "a" twice (fields 1 and 3)`
    });
  });

  it('names path, line, row and column of a value that does not have its declared type', async () => {
    const path = file('typed.csv', 'id,amount\n1,9.5\n2,12\n3,abc\n');
    expect(await failure(readArtifact('csv', path, { types: { amount: 'number' } }))).toMatchObject({
      code: 'ARTIFACT_TYPE',
      line: 4,
      row: 2,
      column: 'amount',
      message: `${path}, line 4, row 2, column "amount": "abc" does not fit the column's declared type, number`
    });
  });

  it('names the right line and reads the right types in a file of many chunks', async () => {
    // About 3 MB: read a megabyte at a time, with quoted line breaks on the way.
    const lines = ['id,note,code'];
    for (let i = 0; i < 60_000; i++) lines.push(`${i},"note ${i}\nsecond line",${i % 7}`);
    lines.push('60000,"last"');
    const path = file('many.csv', lines.join('\n') + '\n');
    expect(await failure(readArtifact('csv', path))).toMatchObject({ code: 'ARTIFACT_MALFORMED', line: 120_002, row: 60_000 });
    lines[lines.length - 1] = '60000,"last",x7';
    writeFileSync(path, lines.join('\n') + '\n');
    const rows = (await readArtifact('csv', path)) as { id: number; note: string; code: unknown }[];
    expect(rows.length).toBe(60_001);
    expect(rows[59_999]).toEqual({ id: 59_999, note: 'note 59999\nsecond line', code: '2' });
    expect(rows[60_000]).toEqual({ id: 60_000, note: 'last', code: 'x7' });
    expect(await failure(readArtifact('csv', path, { types: { code: 'integer' } }))).toMatchObject({ code: 'ARTIFACT_TYPE', line: 120_002, row: 60_000 });
  });

  it('refuses a declared type that is no column type', async () => {
    const path = file('t.csv', 'id\n1\n');
    expect(await failure(readArtifact('csv', path, { types: { id: 'int' as 'integer' } }))).toMatchObject({
      code: 'ARTIFACT_TYPE',
      column: 'id',
      message: `${path}, column "id": the declared type "int" is none of number, integer, bigint, string, boolean, date`
    });
  });

  it('infers strings, not numbers with holes, for a column with one non-number', async () => {
    const path = file('mixed.csv', 'v\n1\n2\nabc\n');
    expect(await readArtifact('csv', path)).toEqual([{ v: '1' }, { v: '2' }, { v: 'abc' }]);
  });

  it('refuses a declared integer beyond 2^53, and a column that is not in the file', async () => {
    const path = file('big.csv', 'n\n1\n9007199254740993\n');
    expect(await failure(readArtifact('csv', path, { types: { n: 'integer' } }))).toMatchObject({ code: 'ARTIFACT_TYPE', line: 3, column: 'n' });
    expect(await readArtifact('csv', path)).toEqual([{ n: 1n }, { n: 9007199254740993n }]);
    expect(await failure(readArtifact('csv', path, { columns: ['m'] }))).toMatchObject({ code: 'ARTIFACT_COLUMN', column: 'm' });
  });
});

describe('malformed json, ndjson and parquet', () => {
  it('ndjson names the line that is not JSON', async () => {
    const path = file('bad.ndjson', '{"a":1}\n\n{"a":2}\n{"a":\n');
    const f = await failure(readArtifact('ndjson', path));
    expect(f).toMatchObject({ code: 'ARTIFACT_MALFORMED', line: 4, row: 2 });
    expect(f.message).toMatch(new RegExp(`^${path}, line 4, row 2: the line is not JSON: `));
  });

  it('json names the line of a syntax error', async () => {
    const path = file('bad.json', '[\n  {"a": 1},\n  {"a": 2,}\n]\n');
    expect(await failure(readArtifact('json', path))).toMatchObject({ code: 'ARTIFACT_MALFORMED', line: 3 });
  });

  it('json names the row and line of a value that does not have its declared type', async () => {
    const path = file('typed.ndjson', '{"at":"2024-01-01"}\n{"at":"yesterday"}\n');
    expect(await failure(readArtifact('ndjson', path, { types: { at: 'date' } }))).toMatchObject({ code: 'ARTIFACT_TYPE', line: 2, row: 1, column: 'at' });
  });

  it('parquet refuses a file that is not parquet, and one cut short', async () => {
    const text = file('text.parquet', 'id,name\n1,a\n');
    expect(await failure(readArtifact('parquet', text))).toMatchObject({ code: 'ARTIFACT_MALFORMED' });
    const good = join(dir, 'good.parquet');
    await writeArtifact('parquet', good, [{ a: 1 }, { a: 2 }], { owner });
    const cut = file('cut.parquet', readFileSync(good).subarray(0, 40));
    const f = await failure(readArtifact('parquet', cut));
    expect(f.code).toBe('ARTIFACT_MALFORMED');
    expect(f.message).toMatch(new RegExp(`^${cut}: not a readable parquet file: `));
  });

  it('parquet names the column of a declared type the file does not have', async () => {
    const path = join(dir, 's.parquet');
    await writeArtifact('parquet', path, [{ name: 'a' }], { owner });
    expect(await failure(readArtifact('parquet', path, { types: { name: 'number' } }))).toMatchObject({ code: 'ARTIFACT_TYPE', row: 0, column: 'name' });
    expect(await failure(readArtifact('parquet', path, { types: { nam: 'string' } }))).toMatchObject({ code: 'ARTIFACT_COLUMN', column: 'nam' });
    expect(await failure(readArtifact('parquet', path, { columns: ['name', 'nope'] }))).toMatchObject({
      code: 'ARTIFACT_COLUMN',
      column: 'nope',
      message: `${path}, column "nope": the file has no such column (its columns: "name")`
    });
  });
});

describe('values a format cannot hold are refused, and nothing is written', () => {
  const cases: [ArtifactFormat, unknown, Record<string, unknown>, Record<string, unknown>?][] = [
    ['json', { score: NaN }, { code: 'ARTIFACT_VALUE', message: /\$\.score is the number NaN; JSON cannot hold it/ }],
    ['json', { m: new Map() }, { code: 'ARTIFACT_VALUE', message: /\$\.m is a Map/ }],
    ['json', [{ f: () => 1 }], { code: 'ARTIFACT_VALUE', message: /\$\[0\]\.f is a function/ }],
    ['json', { at: new Date(NaN) }, { code: 'ARTIFACT_VALUE', message: /\$\.at is an invalid Date/ }],
    ['ndjson', [{ a: 1 }, { a: Infinity }], { code: 'ARTIFACT_VALUE', row: 1 }],
    ['ndjson', { not: 'an array' }, { code: 'ARTIFACT_VALUE' }],
    ['csv', [{ a: 1 }, { a: { nested: true } }], { code: 'ARTIFACT_VALUE', row: 1, column: 'a', message: /an object cannot be a csv cell/ }],
    ['csv', [1, 2], { code: 'ARTIFACT_VALUE', row: 0, message: /a table row must be a record/ }],
    ['csv', 'text', { code: 'ARTIFACT_VALUE', message: /a table must be an array of records or a record of column arrays/ }],
    ['parquet', [{ a: 1 }, { a: 'x' }], { code: 'ARTIFACT_TYPE', row: 1, column: 'a', message: /mixes integer \(row 0\) and string/ }],
    ['parquet', [{ a: [1, 2] }], { code: 'ARTIFACT_VALUE', row: 0, column: 'a' }],
    ['parquet', [{ d: new Date('nope') }], { code: 'ARTIFACT_VALUE', row: 0, column: 'd', message: /the Date is invalid/ }],
    ['parquet', { a: [1, 2], b: [1] }, { code: 'ARTIFACT_VALUE', column: 'b', message: /has 1 values but column "a" has 2/ }],
    ['parquet', [{ a: 1 }, { a: 1.5 }], { code: 'ARTIFACT_TYPE', row: 1, column: 'a', message: /the number 1.5 does not fit the column's declared type, integer/ }, { types: { a: 'integer' } }]
  ];
  it.each(cases)('%s of %p', async (format, value, expected, options = {}) => {
    const path = join(dir, 'sub', `v.${format}`);
    const f = await failure(writeArtifact(format, path, value, { owner, ...options }));
    const { message, ...fields } = expected;
    expect(f).toMatchObject(fields);
    if (message) expect(f.message).toMatch(message as RegExp);
    expect(existsSync(join(dir, 'sub'))).toBe(false);
  });

  it('an unknown format, a missing owner and a reserved name are refused', async () => {
    const path = join(dir, 'x.xlsx');
    expect(await failure(writeArtifact('xlsx' as ArtifactFormat, path, [], { owner }))).toMatchObject({
      code: 'ARTIFACT_FORMAT',
      message: `${path}: "xlsx" is no artifact format (formats: json, ndjson, csv, parquet)`
    });
    expect(await failure(readArtifact('yaml' as ArtifactFormat, path))).toMatchObject({ code: 'ARTIFACT_FORMAT' });
    expect(await failure(writeArtifact('csv', path, [], { owner: '' }))).toMatchObject({ code: 'ARTIFACT_OPTION' });
    expect(await failure(writeArtifact('json', join(dir, 'a.dagcells.json'), 1, { owner }))).toMatchObject({ code: 'ARTIFACT_OPTION' });
    expect(await failure(writeArtifact('csv', join(dir, 'd.csv'), [], { owner, delimiter: '"' }))).toMatchObject({ code: 'ARTIFACT_OPTION' });
    expect(await failure(writeArtifact('csv', join(dir, 'd.csv'), [{ a: 1 }], { owner, types: { a: 'float' as 'number' } }))).toMatchObject({
      code: 'ARTIFACT_TYPE',
      column: 'a'
    });
  });
});

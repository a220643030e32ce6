import { spawnSync } from 'child_process';
import { existsSync, mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { readArtifact, writeArtifact } from '../src/artifacts';

// pandas and pyarrow come from .venv-data, which `npm test` makes (scripts/setup-data.sh).
const python = join(__dirname, '..', '..', '.venv-data', 'bin', 'python');

let dir: string;
beforeAll(() => {
  if (!existsSync(python)) throw new Error(`${python} is missing: run bash scripts/setup-data.sh (npm test runs it)`);
  dir = mkdtempSync(join(tmpdir(), 'dagcells-interop-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs Python with pandas and pyarrow; the script prints one JSON value, which is returned. */
function py(script: string): any {
  const run = spawnSync(python, ['-c', `import json, math, sys\nimport pandas as pd, pyarrow as pa, pyarrow.parquet as pq\n${script}`], {
    encoding: 'utf8'
  });
  if (run.status !== 0) throw new Error(`python failed:\n${run.stderr}`);
  return JSON.parse(run.stdout);
}

// Turns a DataFrame into JSON a test can compare: dtypes, and cells with
// timestamps as ISO strings and NaN/inf spelled out.
const describeFrame = `
def cell(v):
    if v is None or v is pd.NA or v is pd.NaT: return None
    if isinstance(v, pd.Timestamp): return v.isoformat()
    if isinstance(v, float) and (math.isnan(v) or math.isinf(v)): return repr(v)
    if hasattr(v, 'item'): return cell(v.item())
    return v
def frame(df):
    return {"dtypes": {c: str(t) for c, t in df.dtypes.items()}, "rows": [{c: cell(v) for c, v in r.items()} for r in df.to_dict("records")]}
`;

const rows = [
  { id: 1, score: 0.5, name: 'plain', ok: true, at: new Date('2024-03-01T12:30:00.125Z'), big: 9007199254740993n },
  { id: -2, score: NaN, name: 'comma, "quote"\nnewline', ok: false, at: new Date('1969-07-20T20:17:40Z'), big: -1n },
  { id: 3, score: Infinity, name: 'ünï 漢字', ok: true, at: new Date(0), big: 0n }
];

describe('parquet written by dagcells, read by pandas and pyarrow', () => {
  it('has the dtypes and values a pandas user expects', async () => {
    const path = join(dir, 'from-dagcells.parquet');
    await writeArtifact('parquet', path, rows, { owner: 'interop' });
    const out = py(`${describeFrame}
df = pd.read_parquet(${JSON.stringify(path)}, engine="pyarrow")
schema = pq.read_schema(${JSON.stringify(path)})
print(json.dumps({"frame": frame(df), "arrow": {f.name: str(f.type) for f in schema}}))`);
    expect(out.frame.dtypes).toEqual({ id: 'int64', score: 'float64', name: 'object', ok: 'bool', at: 'datetime64[ms, UTC]', big: 'int64' });
    expect(out.arrow).toEqual({ id: 'int64', score: 'double', name: 'string', ok: 'bool', at: 'timestamp[ms, tz=UTC]', big: 'int64' });
    expect(out.frame.rows).toEqual([
      { id: 1, score: 0.5, name: 'plain', ok: true, at: '2024-03-01T12:30:00.125000+00:00', big: 9007199254740993 },
      { id: -2, score: 'nan', name: 'comma, "quote"\nnewline', ok: false, at: '1969-07-20T20:17:40+00:00', big: -1 },
      { id: 3, score: 'inf', name: 'ünï 漢字', ok: true, at: '1970-01-01T00:00:00+00:00', big: 0 }
    ]);
  });

  it('keeps nulls as pandas nulls, and typed arrays as their arrow types', async () => {
    const path = join(dir, 'nulls.parquet');
    await writeArtifact('parquet', path, { i: [1, null], s: ['a', null], b: [null, true], d: [null, new Date(0)], f32: new Float32Array([1.5, 2]), i32: new Int32Array([7, 8]) }, { owner: 'interop' });
    const out = py(`${describeFrame}
t = pq.read_table(${JSON.stringify(path)})
print(json.dumps({"types": {f.name: str(f.type) for f in t.schema}, "rows": t.to_pylist(), "nulls": {c: t.column(c).null_count for c in t.column_names}}, default=str))`);
    expect(out.types).toEqual({ i: 'int64', s: 'string', b: 'bool', d: 'timestamp[ms, tz=UTC]', f32: 'float', i32: 'int32' });
    expect(out.nulls).toEqual({ i: 1, s: 1, b: 1, d: 1, f32: 0, i32: 0 });
    expect(out.rows[0]).toEqual({ i: 1, s: 'a', b: null, d: null, f32: 1.5, i32: 7 });
  });
});

describe('parquet written by pandas, read by dagcells', () => {
  it('gives JS values of every common dtype, categoricals and nullable integers included', async () => {
    const path = join(dir, 'from-pandas.parquet');
    py(`
df = pd.DataFrame({
  "id": pd.Series([1, 2, 3], dtype="int64"),
  "i32": pd.Series([1, -2, 3], dtype="int32"),
  "f32": pd.Series([0.5, 1.5, -2.0], dtype="float32"),
  "score": [0.25, float("nan"), 1e300],
  "name": ["a", "b, \\"c\\"", None],
  "ok": [True, False, True],
  "naive": pd.to_datetime(["2024-03-01 12:30:00.123456789", "1969-07-20 20:17:40", "1970-01-01"], format="ISO8601"),
  "utc": pd.to_datetime(["2024-03-01T12:30:00Z", None, "2000-01-01T00:00:00.5Z"], format="ISO8601"),
  "cat": pd.Categorical(["x", "y", "x"]),
  "nullable": pd.array([1, None, 3], dtype="Int64"),
  "huge": pd.Series([2**62, 1, -1], dtype="int64"),
})
df.to_parquet(${JSON.stringify(path)}, engine="pyarrow", index=False)
print("null")`);
    const back = (await readArtifact('parquet', path)) as Record<string, unknown>[];
    expect(back).toEqual([
      {
        id: 1, i32: 1, f32: 0.5, score: 0.25, name: 'a', ok: true,
        naive: new Date('2024-03-01T12:30:00.123Z'), utc: new Date('2024-03-01T12:30:00Z'),
        cat: 'x', nullable: 1, huge: 2n ** 62n
      },
      {
        // pyarrow stores a NaN of pandas as a null.
        id: 2, i32: -2, f32: 1.5, score: null, name: 'b, "c"', ok: false,
        naive: new Date('1969-07-20T20:17:40Z'), utc: null, cat: 'y', nullable: null, huge: 1n
      },
      {
        id: 3, i32: 3, f32: -2, score: 1e300, name: null, ok: true,
        naive: new Date('1970-01-01T00:00:00Z'), utc: new Date('2000-01-01T00:00:00.500Z'), cat: 'x', nullable: 3, huge: -1n
      }
    ]);
  });
});

describe('csv between dagcells and pandas', () => {
  it('pandas reads a csv written by dagcells with the right dtypes and values', async () => {
    const path = join(dir, 'from-dagcells.csv');
    await writeArtifact('csv', path, rows.map(({ big, ...r }) => r), { owner: 'interop' });
    const out = py(`${describeFrame}
print(json.dumps(frame(pd.read_csv(${JSON.stringify(path)}, parse_dates=["at"]))))`);
    expect(out.dtypes).toEqual({ id: 'int64', score: 'float64', name: 'object', ok: 'bool', at: 'datetime64[ns, UTC]' });
    expect(out.rows).toEqual([
      { id: 1, score: 0.5, name: 'plain', ok: true, at: '2024-03-01T12:30:00.125000+00:00' },
      { id: -2, score: 'nan', name: 'comma, "quote"\nnewline', ok: false, at: '1969-07-20T20:17:40+00:00' },
      { id: 3, score: 'inf', name: 'ünï 漢字', ok: true, at: '1970-01-01T00:00:00+00:00' }
    ]);
  });

  it('dagcells reads a csv written by pandas, with its index, NaN and naive timestamps', async () => {
    const path = join(dir, 'from-pandas.csv');
    py(`
df = pd.DataFrame({
  "id": [1, 2, 3],
  "score": [0.5, float("nan"), float("inf")],
  "name": ["plain", "comma, \\"quote\\"\\nnewline", ""],
  "ok": [True, False, True],
  "at": pd.to_datetime(["2024-03-01 12:30:00.125", "1969-07-20 20:17:40", "1970-01-01"], format="ISO8601"),
})
df.to_csv(${JSON.stringify(path)})
print("null")`);
    expect(await readArtifact('csv', path)).toEqual([
      { '': 0, id: 1, score: 0.5, name: 'plain', ok: true, at: new Date('2024-03-01T12:30:00.125Z') },
      { '': 1, id: 2, score: null, name: 'comma, "quote"\nnewline', ok: false, at: new Date('1969-07-20T20:17:40Z') },
      { '': 2, id: 3, score: Infinity, name: null, ok: true, at: new Date('1970-01-01T00:00:00Z') }
    ]);
  });
});

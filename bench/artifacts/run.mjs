/**
 * Savers and loaders: a 1,000,000-row, 5-column table (integer, float, string,
 * boolean, timestamp) written and read by dagcells' artifact layer in csv,
 * ndjson and parquet, against pandas (to_csv/read_csv, to_parquet/read_parquet
 * with pyarrow, to_json/read_json with lines) on the same data in the same run.
 *
 *   node --expose-gc bench/artifacts/run.mjs [--rows 1000000] [--reps 3] [--no-pandas]
 *
 * dagcells is measured on the table as rows (an array of records, what a node
 * usually returns), as columns (a record of arrays: Float64Array for the
 * numbers) and, for parquet, as an apache-arrow Table (`shape: "arrow"`). Times
 * are medians; MB/s is the file's size over the time.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import os from 'node:os';

import { collect, fmt, machine, median, now, requireRuntime, ROOT, table } from '../common/measure.mjs';

const { writeArtifact, readArtifact } = requireRuntime('./dist/artifacts/index.js');

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(args[i + 1]);
};
const ROWS = option('rows', 1_000_000);
const REPS = option('reps', 3);
const PANDAS = !args.includes('--no-pandas');
const PYTHON = join(ROOT, '.venv-data', 'bin', 'python');
const FOLDER = join(ROOT, 'test-output', 'bench', 'artifacts-data');
const FORMATS = ['csv', 'ndjson', 'parquet'];
const SHAPES = ['rows', 'columns', 'arrow'];

/** The table of pandas_io.py, value for value. */
function makeColumns(n) {
  const id = new Float64Array(n);
  const value = new Float64Array(n);
  const name = new Array(n);
  const flag = new Array(n);
  const when = new Array(n);
  for (let i = 0; i < n; i++) {
    id[i] = i;
    value[i] = ((i * 7919) % 1000003) / 997;
    name[i] = `name-${i % 5000}`;
    flag[i] = i % 3 === 0;
    when[i] = new Date(1_600_000_000_000 + i * 1000);
  }
  return { id, value, name, flag, when };
}

function makeRows(columns) {
  const { id, value, name, flag, when } = columns;
  return Array.from({ length: id.length }, (_, i) => ({ id: id[i], value: value[i], name: name[i], flag: flag[i], when: when[i] }));
}

/** The pandas process: answers one request at a time, each timed on its side. */
function startPandas() {
  const child = spawn(PYTHON, [join(ROOT, 'bench', 'artifacts', 'pandas_io.py'), String(ROWS), FOLDER], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const waiting = [];
  lines.on('line', line => waiting.shift()?.(JSON.parse(line)));
  child.on('exit', code => {
    if (code) for (const w of waiting.splice(0)) w({ error: `pandas exited with ${code} (run bash scripts/setup-data.sh?)` });
  });
  const next = () => new Promise(resolve => waiting.push(resolve));
  return {
    versions: next(),
    run(format, op) {
      const answer = next();
      child.stdin.write(`${format} ${op}\n`);
      return answer.then(a => (a.error ? Promise.reject(new Error(a.error)) : a));
    },
    stop: () => child.stdin.end()
  };
}

/**
 * Median seconds of each operation for dagcells (both shapes) and pandas; each
 * repetition times the three one after another, so that a change of the
 * machine's load falls on all of them alike.
 */
async function measure(pandas) {
  const results = {};
  for (const format of FORMATS) {
    results[format] = {};
    for (const op of ['write', 'read']) {
      const times = { rows: [], columns: [], arrow: [], pandas: [] };
      const cpu = { rows: [], columns: [], arrow: [], pandas: [] };
      for (let r = 0; r < REPS; r++) {
        for (const shape of SHAPES.filter(sh => sh !== 'arrow' || format === 'parquet')) {
          const path = join(FOLDER, `dagcells-${shape}.${format}`);
          collect();
          const start = now();
          const used = process.cpuUsage();
          if (op === 'write') await writeArtifact(format, path, data[shape], { owner: 'bench', overwrite: true });
          else await readArtifact(format, path, { shape });
          times[shape].push((now() - start) / 1000);
          const { user, system } = process.cpuUsage(used);
          cpu[shape].push((user + system) / 1e6);
          results[format][`${shape}Bytes`] = statSync(path).size;
        }
        if (pandas) {
          const answer = await pandas.run(format, op);
          times.pandas.push(answer.seconds);
          cpu.pandas.push(answer.cpu);
          results[format].pandasBytes = answer.bytes;
        }
      }
      results[format][op] = {
        rows: median(times.rows),
        columns: median(times.columns),
        arrow: times.arrow.length ? median(times.arrow) : NaN,
        pandas: pandas ? median(times.pandas) : NaN,
        cpu: Object.fromEntries(Object.entries(cpu).map(([k, v]) => [k, v.length ? median(v) : NaN]))
      };
    }
  }
  return results;
}

const mbps = (bytes, seconds) => fmt(bytes / 1e6 / seconds);

rmSync(FOLDER, { recursive: true, force: true });
mkdirSync(FOLDER, { recursive: true });
const columns = makeColumns(ROWS);
// The same columns and types as the other shapes write (built once, not timed).
const arrow = requireRuntime('apache-arrow');
const arrowTable = new arrow.Table({
  id: arrow.makeVector(BigInt64Array.from(columns.id, BigInt)),
  value: arrow.makeVector(columns.value),
  name: arrow.vectorFromArray(columns.name, new arrow.Utf8()),
  flag: arrow.vectorFromArray(columns.flag, new arrow.Bool()),
  when: arrow.vectorFromArray(columns.when, new arrow.TimestampMillisecond('UTC'))
});
const data = { rows: makeRows(columns), columns, arrow: arrowTable };
const pandas = PANDAS ? startPandas() : undefined;
const versions = pandas ? await pandas.versions : undefined;
const results = await measure(pandas);
pandas?.stop();
rmSync(FOLDER, { recursive: true, force: true });

console.log(`### Artifacts: ${ROWS.toLocaleString('en-US')} rows x 5 columns, median of ${REPS}\n`);
console.log(machine() + (versions ? `; pandas ${versions.pandas}, pyarrow ${versions.pyarrow}` : '') + `; load average ${os.loadavg().map(l => l.toFixed(1)).join(' ')} at the end\n`);
const header = ['format', 'op', 'dagcells rows: s (MB/s)', 'dagcells columns: s (MB/s)', 'dagcells arrow: s (MB/s)'];
if (pandas) header.push('pandas: s (MB/s)', 'rows / pandas', 'columns / pandas', 'arrow / pandas');
const lines = [];
for (const format of FORMATS) {
  for (const op of ['write', 'read']) {
    const t = results[format][op];
    const f = results[format];
    const arrow = Number.isNaN(t.arrow) ? '' : `${fmt(t.arrow, 2)} (${mbps(f.arrowBytes, t.arrow)})`;
    const cells = [format, op, `${fmt(t.rows, 2)} (${mbps(f.rowsBytes, t.rows)})`, `${fmt(t.columns, 2)} (${mbps(f.columnsBytes, t.columns)})`, arrow];
    if (pandas) {
      cells.push(`${fmt(t.pandas, 2)} (${mbps(f.pandasBytes, t.pandas)})`, `${fmt(t.rows / t.pandas, 2)}x`, `${fmt(t.columns / t.pandas, 2)}x`);
      cells.push(arrow && `${fmt(t.arrow / t.pandas, 2)}x`);
    }
    lines.push(cells);
  }
}
console.log(table(header, lines));
if (pandas) {
  // Processor time is less moved by other processes on the machine than wall time.
  const ratio = (a, b) => (Number.isNaN(a) ? '' : `${fmt(a / b, 2)}x`);
  const cpuLines = [];
  for (const format of FORMATS) {
    for (const op of ['write', 'read']) {
      const c = results[format][op].cpu;
      cpuLines.push([format, op, fmt(c.rows, 2), fmt(c.columns, 2), Number.isNaN(c.arrow) ? '' : fmt(c.arrow, 2), fmt(c.pandas, 2), ratio(c.rows, c.pandas), ratio(c.columns, c.pandas), ratio(c.arrow, c.pandas)]);
    }
  }
  console.log('\nProcessor time (s, every thread of the process, garbage collection and pyarrow\'s threads included):\n');
  console.log(table(['format', 'op', 'rows', 'columns', 'arrow', 'pandas', 'rows / pandas', 'columns / pandas', 'arrow / pandas'], cpuLines));
}
console.log(
  `\nFile sizes (MB): ${FORMATS.map(f => `${f} ${fmt(results[f].rowsBytes / 1e6, 1)}${pandas ? ` (pandas ${fmt(results[f].pandasBytes / 1e6, 1)})` : ''}`).join(', ')}. ` +
    'MB/s is the file size over the time; "rows / pandas" is the time of dagcells over that of pandas (below 1: faster).'
);

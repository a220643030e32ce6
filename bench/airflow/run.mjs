/**
 * What an Airflow task pays for dagcells.
 *
 * 1. Per-task overhead: the wall time of a cold `dagcells run` process for one
 *    trivial output, against `node -e 0` (Node's own start) and against
 *    `python -c "import hamilton.driver"` (what a Hamilton task pays before its
 *    first node), alternating, in the same run. dagcells is measured twice: with
 *    the module compiled on an earlier run (what every task after the first
 *    pays; the compile cache holds it) and on a machine that never ran it (a
 *    fresh cache folder each time: the TypeScript compiler is loaded).
 * 2. `airflow dags test` of the one-task and the task-per-node DAG of one
 *    module: the run's wall time against the wall time of its tasks' dagcells
 *    processes (a timer wraps the task command), the rest being Airflow's own.
 *
 *   node bench/airflow/run.mjs [--rounds 15] [--dags 1]  (dags: runs of each dags test)
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { fmt, machine, median, now, numericOptions, quantile, ROOT, table } from '../common/measure.mjs';

const { rounds, dags: dagsRuns } = numericOptions(process.argv.slice(2), { rounds: 15, dags: 1 }, 'bench/airflow/run.mjs');
const bin = join(ROOT, 'kernel-helpers', 'dist', 'cli', 'bin.js');
const work = join(ROOT, 'test-output', 'bench', 'airflow');
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
const trivial = join(work, 'trivial.ts');
writeFileSync(trivial, '/** The one output. */\nexport function one(): number {\n  return 1;\n}\n');
const warmCache = join(work, 'cache');
const hamiltonPython = join(ROOT, 'bench', '.venv', 'bin', 'python');

/** Wall milliseconds of a process run to its end; throws when it fails. */
function timed(command, args, env = {}) {
  const start = now();
  const result = spawnSync(command, args, { encoding: 'utf8', env: { ...process.env, ...env } });
  const ms = now() - start;
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed:\n${result.stderr}`);
  }
  return ms;
}

const run = ['run', trivial, '--outputs', 'one'];
const contenders = {
  'node -e 0': () => timed(process.execPath, ['-e', '0']),
  'dagcells run, module compiled before': () => timed(process.execPath, [bin, ...run], { XDG_CACHE_HOME: warmCache }),
  'dagcells run, first run on the machine': () => {
    const fresh = mkdtempSync(join(tmpdir(), 'dagcells-cold-'));
    try {
      return timed(process.execPath, [bin, ...run], { XDG_CACHE_HOME: fresh });
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  },
  'python -c "import hamilton.driver"': () => timed(hamiltonPython, ['-c', 'import hamilton.driver'])
};
timed(process.execPath, [bin, ...run], { XDG_CACHE_HOME: warmCache }); // compiles the module into the warm cache
const times = Object.fromEntries(Object.keys(contenders).map(k => [k, []]));
for (let r = 0; r < rounds; r++) {
  // Alternate the order, so no contender always runs after the same one.
  const names = Object.keys(contenders);
  for (const name of r % 2 === 0 ? names : names.reverse()) {
    times[name].push(contenders[name]());
  }
}
const npx = [0, 1, 2].map(() => timed('npx', ['--no-install', 'dagcells', ...run], { XDG_CACHE_HOME: warmCache }));

const nodeMedian = median(times['node -e 0']);
console.log(`# Airflow: per-task overhead and the share of a DAG run (bench/airflow)\n\n${machine()}\n`);
console.log(`## A cold process per task (${rounds} rounds, alternating; ms)\n`);
console.log(
  table(
    ['process', 'median ms', 'p90 ms', 'min ms', '/ node -e 0'],
    [
      ...Object.entries(times).map(([name, values]) => [name, fmt(median(values), 0), fmt(quantile(values, 0.9), 0), fmt(Math.min(...values), 0), `${fmt(median(values) / nodeMedian, 2)}x`]),
      ['npx dagcells run, module compiled before (3 runs)', fmt(median(npx), 0), '', fmt(Math.min(...npx), 0), `${fmt(median(npx) / nodeMedian, 2)}x`]
    ]
  )
);

// --- airflow dags test: dagcells' share ------------------------------------------------
const venv = join(ROOT, '.venv-airflow');
const dags = join(work, 'dags');
const home = join(work, 'home');
mkdirSync(dags, { recursive: true });
const fixture = join(ROOT, 'kernel-helpers', 'test', 'fixtures', 'airflow');
for (const file of ['marketing.ts', 'marketing.inputs.json']) {
  copyFileSync(join(fixture, file), join(dags, file));
}
const env = {
  AIRFLOW_HOME: home,
  AIRFLOW__CORE__DAGS_FOLDER: dags,
  AIRFLOW__CORE__LOAD_EXAMPLES: 'False',
  PYTHONWARNINGS: 'ignore',
  PATH: `${join(venv, 'bin')}:${process.env.PATH}`
};
// The task command goes through a timer: the wall time of each dagcells process, as the task sees it.
const timer = join(work, 'timed.sh');
writeFileSync(timer, 's=$(date +%s%N); "$@"; code=$?; echo "dagcells wall $(( ($(date +%s%N) - s) / 1000000 )) ms" >&2; exit $code\n');
const command = JSON.stringify(['bash', timer, process.execPath, bin]);
for (const [dagId, split] of [['bench_one', []], ['bench_nodes', ['--task-per-node']]]) {
  const made = spawnSync(process.execPath, [bin, 'airflow', 'marketing.ts', '--dag-id', dagId, ...split, '--config', 'region=US', '--inputs', '@marketing.inputs.json', '--dagcells', command, '-o', `${dagId}.py`], { cwd: dags, encoding: 'utf8' });
  if (made.status !== 0) {
    throw new Error(made.stderr);
  }
}
timed(join(venv, 'bin', 'airflow'), ['db', 'migrate'], env);
const rows = [];
for (const dagId of ['bench_one', 'bench_nodes']) {
  for (let r = 0; r < dagsRuns; r++) {
    const start = now();
    const result = spawnSync(join(venv, 'bin', 'airflow'), ['dags', 'test', dagId], { encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 1 << 26 });
    const wall = now() - start;
    const output = `${result.stdout}\n${result.stderr}`;
    if (result.status !== 0 || !/state=success/.test(output)) {
      throw new Error(`dags test ${dagId} failed:\n${output.slice(-3000)}`);
    }
    // The timer around each task's dagcells process says how long it took, start to exit.
    const processes = [...output.matchAll(/dagcells wall (\d+) ms/g)].map(m => Number(m[1]));
    const inDagcells = processes.reduce((a, b) => a + b, 0);
    rows.push([
      dagId === 'bench_one' ? 'one task' : 'one task per node',
      String(processes.length),
      fmt(wall / 1000, 1),
      fmt(inDagcells / 1000, 2),
      `${fmt((100 * inDagcells) / wall, 1)}%`,
      fmt((wall - inDagcells) / 1000, 1),
      fmt(inDagcells / processes.length, 0)
    ]);
  }
}
console.log(`\n## airflow dags test: dagcells' share of the run\n`);
console.log(table(['DAG', 'tasks', 'dags test s', 'in dagcells s', 'dagcells share', "Airflow's own s", 'dagcells ms per task'], rows));

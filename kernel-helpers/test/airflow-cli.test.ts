import { spawnSync } from 'child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

import { parseRecord } from '../src/values';

/**
 * `dagcells airflow` and the hand-over flags of `dagcells run`, as a real
 * process on the built command. The DAGs themselves run in a real Airflow in
 * tests/airflow.
 */
const root = join(__dirname, '..');
const bin = join(root, 'dist', 'cli', 'bin.js');
const fixture = join(__dirname, 'fixtures', 'airflow');
let dir: string;
let cache: string;

beforeAll(() => {
  const built = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-b', root], { encoding: 'utf8' });
  if (built.status !== 0) {
    throw new Error(`building the CLI failed:\n${built.stdout}${built.stderr}`);
  }
  cache = mkdtempSync(join(tmpdir(), 'dagcells-cache-'));
});
afterAll(() => rmSync(cache, { recursive: true, force: true }));

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dagcells-airflow-'));
  for (const file of ['marketing.ts', 'marketing.inputs.json']) {
    writeFileSync(join(dir, file), readFileSync(join(fixture, file)));
  }
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function dagcells(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [bin, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, XDG_CACHE_HOME: cache, ...env } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const SPLIT = ['--task', 'load=spend,signups', '--task', 'features=avg_3wk_spend,spend_per_signup,spend_zero_mean,weeks', '--task', 'report=summary'];
const GENERATE = ['airflow', 'marketing.ts', '--dag-id', 'marketing', ...SPLIT, '--config', 'region=US', '--inputs', '@marketing.inputs.json'];

describe('dagcells airflow', () => {
  it('writes the DAG beside the module and says what it holds', () => {
    const { code, stdout, stderr } = dagcells(GENERATE);
    expect([code, stderr]).toEqual([0, '']);
    expect(stdout).toBe(
      'Wrote marketing_dag.py (DAG marketing) from marketing.ts.\n' +
        '  task load: spend, signups\n' +
        '  task features: avg_3wk_spend, spend_per_signup, spend_zero_mean, weeks (after load)\n' +
        '  task report: summary (after load, features)\n' +
        '  params: region, channels, raw_signups, raw_spend, scale, start_date\n'
    );
    const text = readFileSync(join(dir, 'marketing_dag.py'), 'utf8');
    expect(text).toContain('MODULE = HERE / "marketing.ts"\n');
    expect(text).toContain('ARTIFACTS = HERE / "dagcells-artifacts"\n');
    expect(text).toMatch(/^DAGCELLS = \["node", str\(Path\(".*\/dist\/cli\/bin\.js"\)\)\]$/m);
  });

  it('keeps no cache unless asked, and with --cache DIR every task runs with that cache, checked like --artifacts', () => {
    expect(dagcells(GENERATE).code).toBe(0);
    expect(readFileSync(join(dir, 'marketing_dag.py'), 'utf8')).toContain('CACHE = None\n');
    const made = dagcells([...GENERATE, '--cache', 'shared/cache', '--force']);
    expect([made.code, made.stderr]).toEqual([0, '']);
    expect(made.stdout).toContain('  cache: each task reuses what did not change (dagcells run --cache)\n');
    const text = readFileSync(join(dir, 'marketing_dag.py'), 'utf8');
    expect(text).toContain('CACHE = HERE / "shared/cache"\n');
    expect(text).toContain('command += ["--cache", str(CACHE)]');
    // --check makes the same file again from its recipe, the cache included.
    expect(dagcells(['airflow', '--check', 'marketing_dag.py']).code).toBe(0);
    const refused = dagcells([...GENERATE, '--cache', 'marketing.ts/sub', '-o', 'other.py']);
    expect([refused.code, refused.stderr]).toEqual([1, expect.stringContaining('--cache ' + join(dir, 'marketing.ts', 'sub') + ': ' )]);
    expect(refused.stderr).toContain('so tasks could not keep values there; nothing written.');
  });

  it('tells whether a generated DAG is still what its module gives', () => {
    expect(dagcells(GENERATE).code).toBe(0);
    expect(dagcells(['airflow', '--check', 'marketing_dag.py'])).toEqual({ code: 0, stdout: 'marketing_dag.py is up to date with marketing.ts.\n', stderr: '' });
    // A new function changes the graph, so the monolith's outputs would change: but this split
    // names its outputs, and a new output no task delivers changes the file's comments.
    writeFileSync(join(dir, 'marketing.ts'), readFileSync(join(dir, 'marketing.ts'), 'utf8') + '\nexport function extra(spend_mean: number): number { return spend_mean; }\n');
    const stale = dagcells(['airflow', '--check', 'marketing_dag.py']);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toMatch(/^dagcells airflow: marketing_dag\.py is not what marketing\.ts gives now; generate it again/);
    // A split that no longer works is out of date too, and says why.
    writeFileSync(join(dir, 'marketing.ts'), readFileSync(join(dir, 'marketing.ts'), 'utf8').replace('export function weeks', 'export function weeks_table'));
    expect(dagcells(['airflow', '--check', 'marketing_dag.py']).stderr).toContain(
      'is out of date: generating it again from marketing.ts fails: no DAG written for marketing.ts: the task features asks for weeks, which is an external input, not computed'
    );
  });

  it('never replaces a DAG file it did not write or that was edited, unless forced', () => {
    writeFileSync(join(dir, 'marketing_dag.py'), '# my own DAG\n');
    const refused = dagcells(GENERATE);
    expect([refused.code, refused.stderr]).toEqual([1, 'dagcells airflow: marketing_dag.py exists and was not written by dagcells; nothing written. Use --force to replace it, or -o to write elsewhere.\n']);
    expect(readFileSync(join(dir, 'marketing_dag.py'), 'utf8')).toBe('# my own DAG\n');
    expect(dagcells([...GENERATE, '--force']).code).toBe(0);
    writeFileSync(join(dir, 'marketing_dag.py'), readFileSync(join(dir, 'marketing_dag.py'), 'utf8').replace('schedule=None', 'schedule="@daily"'));
    expect(dagcells(GENERATE).stderr).toContain('was edited since dagcells wrote it');
  });

  it.each([
    [['--task', 'load=spend,spnd'], "the task load asks for spnd, which is not a node of the module. Did you mean 'spend'?"],
    [['--task', 'a=spend', '--task', 'b=spend'], 'spend is assigned to two tasks, a and b'],
    [['--task', 'a='], 'the task a has no outputs'],
    [['--task', 'x=spend,summary', '--task', 'y=weeks'], 'tasks x and y would wait for each other: x reads weeks from y; y reads spend from x.'],
    [['--dag-id', 'has space'], 'the DAG id "has space" is not one Airflow accepts'],
    [['--artifacts', 'marketing.ts/sub'], 'is a file, not a folder, so tasks could not hand values over there; nothing written.']
  ])('refuses %j with one paragraph, exit 1, and writes nothing', (extra, message) => {
    const args = ['airflow', 'marketing.ts', '--dag-id', 'm', ...extra];
    const dagId = extra.indexOf('--dag-id');
    if (dagId >= 0) {
      args.splice(2, 2);
    }
    const { code, stdout, stderr } = dagcells(args);
    expect([code, stdout]).toEqual([1, '']);
    expect(stderr).toContain(message);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(join(dir, 'marketing_dag.py'))).toBe(false);
  });

  it('refuses a module that does not load, and usage errors with exit 2', () => {
    writeFileSync(join(dir, 'broken.ts'), 'throw new Error("no");\n');
    expect(dagcells(['airflow', 'broken.ts', '--dag-id', 'b'])).toMatchObject({ code: 1, stderr: 'dagcells airflow: broken.ts: could not be loaded: no\n' });
    expect(existsSync(join(dir, 'broken_dag.py'))).toBe(false);
    for (const args of [
      ['airflow', 'marketing.ts'],
      ['airflow', 'marketing.ts', '--dag-id', 'm', '--task', 'nothing'],
      ['airflow', 'marketing.ts', '--dag-id', 'm', '--task', 'a=spend', '--task-per-node'],
      ['airflow', '--check', 'x.py', '--dag-id', 'm']
    ]) {
      expect(dagcells(args).code).toBe(2);
    }
  });
});

describe('dagcells run --from, --deliver, --progress', () => {
  const inputs = ['--inputs', '@marketing.inputs.json', '--config', 'region=US'];

  it('delivers values JSON cannot hold exactly, and takes them back from upstream files instead of computing', () => {
    const load = dagcells(['run', 'marketing.ts', '--outputs', 'spend,signups', ...inputs, '--deliver', 'run/1/load.json']);
    expect(load.code).toBe(0);
    const file = readFileSync(join(dir, 'run/1/load.json'), 'utf8');
    expect(load.stdout).toBe(file);
    expect(parseRecord(file, 'load.json').spend).toEqual(new Float64Array([10, 10, 20, 40, 40, 50]));
    // The upstream value is used as given: a changed file changes the result, no raw input needed.
    writeFileSync(join(dir, 'run/1/load.json'), file.replace(/"spend":\{[^}]*\}/, '"spend":{"$Float64Array":"AAAAAAAA8D8AAAAAAAAAQAAAAAAAAAhAAAAAAAAAEEAAAAAAAAAUQAAAAAAAABhA"}'));
    const report = dagcells(['run', 'marketing.ts', '--outputs', 'avg_3wk_spend,spend_per_signup', '--from', 'run/1/load.json', '--deliver', 'run/1/f.json']);
    expect([report.code, report.stderr]).toEqual([0, '']);
    const values = parseRecord(report.stdout, 'stdout');
    expect(values.avg_3wk_spend).toEqual([NaN, NaN, 2, 3, 4, 5]);
    expect(values.spend_per_signup).toEqual([1, 0.2, Infinity, 0.04, 0.025, 0.015]);
    expect(readdirSync(join(dir, 'run/1')).sort()).toEqual(['f.json', 'load.json']);
  });

  it('logs each node with its time and the upstream values on stderr, keeping stdout the result', () => {
    dagcells(['run', 'marketing.ts', '--outputs', 'spend,signups', ...inputs, '--deliver', 'load.json']);
    const { code, stdout, stderr } = dagcells(['run', 'marketing.ts', '--outputs', 'spend_mean', '--from', 'load.json', '--progress']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ spend_mean: 28.333333333333332 });
    const lines = stderr.trim().split('\n');
    expect(lines[0]).toBe('[dagcells] run marketing.ts: spend_mean');
    expect(lines[1]).toBe('[dagcells] from upstream load.json: spend, signups (not computed again)');
    expect(lines[2]).toMatch(/^\[dagcells\] \d\d:\d\d:\d\d\.\d{3} start {2}spend_mean$/);
    expect(lines[3]).toMatch(/^\[dagcells\] \d\d:\d\d:\d\d\.\d{3} finish spend_mean in [\d.]+ ms: number 28\.333333333333332$/);
    expect(lines[4]).toMatch(/^\[dagcells\] delivered spend_mean in \d+(\.\d+)? ms \(the process ran \d+ ms, Node start-up included\)$/);
  });

  it('names the failing node, its message and its inputs shapes, and delivers nothing', () => {
    const { code, stdout, stderr } = dagcells(['run', 'marketing.ts', '--outputs', 'spend', '--inputs', '{"raw_spend":[1,2]}', '--config', 'region=XX', '--progress', '--deliver', 'out.json']);
    expect([code, stdout]).toEqual([1, '']);
    expect(stderr).toMatch(/\[dagcells\] \S+ FAILED exchange_rate after [\d.]+ ms: no exchange rate for region XX\n\[dagcells\] {3}its inputs: region = string \(2 characters\)\n/);
    expect(stderr).toMatch(/dagcells run: exchange_rate failed: no exchange rate for region XX\n$/);
    expect(existsSync(join(dir, 'out.json'))).toBe(false);
  });

  it('refuses a value that is not data, a missing upstream file and a folder it cannot write', () => {
    writeFileSync(join(dir, 'model.ts'), 'export function model(): { fit: () => number } { return { fit: () => 1 }; }\n');
    const model = dagcells(['run', 'model.ts', '--outputs', 'model', '--deliver', 'm.json']);
    expect([model.code, model.stderr]).toEqual([1, 'dagcells run: cannot deliver model.fit: a function (fit) is code, not data. Compute its consumers in the same run (the same Airflow task), or make it a plain value (JSON, Date, Map, Set, typed arrays, BigInt) before handing it over.\n']);
    expect(existsSync(join(dir, 'm.json'))).toBe(false);
    const missing = dagcells(['run', 'marketing.ts', '--outputs', 'spend_mean', '--from', 'gone.json']);
    expect(missing.stderr).toBe('dagcells run: --from gone.json: cannot read it (no such file or folder, ENOENT). It holds what an upstream run delivered; run that first (in Airflow: its upstream task, for the same run id).\n');
    mkdirSync(join(dir, 'locked'));
    writeFileSync(join(dir, 'locked', 'file'), '');
    const blocked = dagcells(['run', 'marketing.ts', '--outputs', 'signups', '--inputs', '{"raw_signups":[1]}', '--deliver', 'locked/file/x.json']);
    expect(blocked.code).toBe(1);
    expect(blocked.stderr).toMatch(/^dagcells run: --deliver locked\/file\/x\.json: cannot write it \(.*\); nothing was delivered\.\n$/);
    chmodSync(join(dir, 'locked'), 0o755);
  });

  it('runs an unchanged module without loading the TypeScript compiler', () => {
    const guard = join(dir, 'no-typescript.js');
    writeFileSync(
      guard,
      "const M = require('module'); const load = M._load; M._load = function (request, ...rest) {" +
        " if (request === 'typescript') throw new Error('the compiler was loaded'); return load.call(this, request, ...rest); };\n"
    );
    const args = ['run', 'marketing.ts', '--outputs', 'spend_mean', ...inputs];
    const first = dagcells(args);
    expect(first.code).toBe(0);
    const again = dagcells(args, { NODE_OPTIONS: `--require ${guard}` });
    expect([again.code, again.stderr]).toEqual([0, '']);
    expect(again.stdout).toBe(first.stdout);
    // A changed module is compiled again (and with the guard, the compiler is refused).
    writeFileSync(join(dir, 'marketing.ts'), readFileSync(join(dir, 'marketing.ts'), 'utf8') + '\n// changed\n');
    expect(dagcells(args, { NODE_OPTIONS: `--require ${guard}` }).stderr).toContain('the compiler was loaded');
  });
});

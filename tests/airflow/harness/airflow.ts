/**
 * Running the real Airflow of .venv-airflow against one Airflow home per test
 * run (SQLite, migrated once by the global setup), with the DAGs folder a test
 * gives. Every call is a real `airflow` process.
 */
import { spawnSync } from 'child_process';
import { join } from 'path';

export const ROOT = join(__dirname, '..', '..', '..');
export const OUT = join(ROOT, 'test-output', 'airflow');
export const HOME = join(OUT, 'home');
export const VENV = join(ROOT, '.venv-airflow');
export const DAGCELLS = join(ROOT, 'kernel-helpers', 'dist', 'cli', 'bin.js');

/** The environment of an Airflow call: its home, the DAGs folder, no examples, warnings off stdout. */
export function airflowEnv(dagsFolder: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    AIRFLOW_HOME: HOME,
    AIRFLOW__CORE__DAGS_FOLDER: dagsFolder,
    AIRFLOW__CORE__LOAD_EXAMPLES: 'False',
    PYTHONWARNINGS: 'ignore',
    PATH: `${join(VENV, 'bin')}:${process.env.PATH}`
  };
}

export interface Run {
  code: number | null;
  /** stdout and stderr together, as Airflow's task logs land in both. */
  output: string;
}

export function airflow(args: string[], dagsFolder: string): Run {
  const result = spawnSync(join(VENV, 'bin', 'airflow'), args, { env: airflowEnv(dagsFolder), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { code: result.status, output: `${result.stdout}\n${result.stderr}` };
}

/** `airflow dags test`, with the run id it made and the final state. */
export function dagsTest(dagId: string, dagsFolder: string, conf?: Record<string, unknown>): Run & { runId: string; state: string } {
  const run = airflow(['dags', 'test', dagId, ...(conf ? ['--conf', JSON.stringify(conf)] : [])], dagsFolder);
  const finished = /DagRun Finished: dag_id=[^,]+, .*?run_id=([^,]+), .*?state=(\w+)/.exec(run.output);
  if (!finished) {
    throw new Error(`airflow dags test ${dagId} did not finish a run (exit ${run.code}):\n${run.output.slice(-4000)}`);
  }
  return { ...run, runId: finished[1], state: finished[2] };
}

/** The state of each task of a run, read from the SQLite database. */
export function taskStates(dagId: string, runId: string): Record<string, string> {
  const script =
    'import json, sqlite3, sys\n' +
    'rows = sqlite3.connect(sys.argv[1]).execute("select task_id, state from task_instance where dag_id = ? and run_id = ?", sys.argv[2:4]).fetchall()\n' +
    'print(json.dumps(dict(rows)))';
  const result = spawnSync(join(VENV, 'bin', 'python'), ['-c', script, join(HOME, 'airflow.db'), dagId, runId], { encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(result.stderr);
  }
  return JSON.parse(result.stdout);
}

/** The folder of a run under an artifacts folder, named as the DAG names it. */
export function runFolder(artifacts: string, runId: string): string {
  return join(artifacts, runId.replace(/[^A-Za-z0-9._-]/g, '_'));
}

/** The lines of one task's log within the output of `dags test`. */
export function taskLog(output: string, taskId: string): string {
  const start = output.indexOf(`[DAG TEST] starting task_id=${taskId} `);
  const end = output.indexOf(`[DAG TEST] end task task_id=${taskId} `, start);
  return start < 0 ? '' : output.slice(start, end < 0 ? undefined : end);
}

/** `node dagcells ...` from the built package. */
export function dagcells(args: string[], cwd: string): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [DAGCELLS, ...args], { cwd, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

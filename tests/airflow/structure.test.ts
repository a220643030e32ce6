import { spawnSync } from 'child_process';
import { copyFileSync, existsSync, mkdirSync } from 'fs';
import { join } from 'path';

import { airflowEnv, dagcells, OUT, ROOT, runFolder, VENV } from './harness/airflow';

/**
 * Many generated DAG files checked in one Python process through Airflow's
 * DagBag: task ids, dependencies and params as Airflow reads them, the task
 * commands as Airflow renders them, hostile names and paths included.
 */
const folder = join(OUT, 'structure');
const fixtures = join(ROOT, 'kernel-helpers', 'test', 'fixtures');
/** A folder name that is also shell, Jinja and Python syntax. */
const ODD = `odd 'dir' "q" $(touch x) {{ 7*7 }}`;

interface DagReport {
  file: string;
  tasks: Record<string, string[]>;
  params: Record<string, { value: unknown; schema: Record<string, unknown>; description: string }>;
  commands?: Record<string, string[]>;
  template?: Record<string, string>;
  refused?: Record<string, string | null>;
}
let report: { import_errors: Record<string, string>; dags: Record<string, DagReport> };

function generate(cwd: string, args: string[]): void {
  const made = dagcells(['airflow', ...args], cwd);
  expect([args.join(' '), made.code, made.stderr]).toEqual([args.join(' '), 0, '']);
}

beforeAll(() => {
  mkdirSync(join(folder, ODD), { recursive: true });
  for (const place of [folder, join(folder, ODD)]) {
    copyFileSync(join(fixtures, 'airflow', 'marketing.ts'), join(place, 'marketing.ts'));
    copyFileSync(join(fixtures, 'airflow', 'marketing.inputs.json'), join(place, 'marketing.inputs.json'));
  }
  copyFileSync(join(fixtures, 'hello_world.ts'), join(folder, 'hello_world.ts'));
  const inputs = ['--inputs', '@marketing.inputs.json', '--config', 'region=US'];
  generate(folder, ['marketing.ts', '--dag-id', 'm_one', ...inputs, '-o', 'm_one.py']);
  generate(folder, ['marketing.ts', '--dag-id', 'm_three', '--task', 'load=spend,signups', '--task', 'features=avg_3wk_spend,spend_per_signup,spend_zero_mean,weeks', '--task', 'report=summary', ...inputs, '-o', 'm_three.py']);
  generate(folder, ['marketing.ts', '--dag-id', 'm_nodes', '--task-per-node', ...inputs, '-o', 'm_nodes.py']);
  generate(folder, ['hello_world.ts', '--dag-id', 'hello', '--task', 'a=spend_mean', '--task', 'b=spend_zero_mean_unit_variance', '-o', 'hello.py']);
  generate(join(folder, ODD), ['marketing.ts', '--dag-id', 'odd', '--inputs', '@marketing.inputs.json', '--config', JSON.stringify({ region: "US' {{ 1 }}\n" })]);
  const wanted = {
    odd: { run_id: "manual__2026-12-01T21:34:29+00:00 '$(x)' {{ y }}", params: { start_date: "2026-01-05' {{ run_id }}; echo $(id)" } },
    m_three: { bad_params: { raw_spend: 'abc', region: 3, scale: 'x' } }
  };
  const checked = spawnSync(join(VENV, 'bin', 'python'), [join(__dirname, 'check_dags.py'), folder, JSON.stringify(wanted)], {
    env: airflowEnv(folder),
    encoding: 'utf8'
  });
  if (checked.status !== 0) {
    throw new Error(`check_dags.py failed:\n${checked.stderr}`);
  }
  report = JSON.parse(checked.stdout.trim().split('\n').pop() as string);
});

describe('generated DAG files, as Airflow reads them', () => {
  it('all parse, with the task ids and dependencies the split gives', () => {
    expect(report.import_errors).toEqual({});
    expect(Object.keys(report.dags).sort()).toEqual(['hello', 'm_nodes', 'm_one', 'm_three', 'odd']);
    expect(report.dags.m_one.tasks).toEqual({ dataflow: [] });
    expect(report.dags.m_three.tasks).toEqual({ load: ['features', 'report'], features: ['report'], report: [] });
    expect(report.dags.hello.tasks).toEqual({ a: ['b'], b: [] });
    const nodes = report.dags.m_nodes.tasks;
    expect(nodes.spend).toEqual(['avg_3wk_spend', 'by_channel', 'spend_mean', 'spend_per_signup', 'spend_zero_mean', 'total_cents', 'weeks']);
    expect(nodes.exchange_rate).toEqual(['spend']);
    expect(nodes.summary).toEqual([]);
  });

  it('has the config keys and external inputs as typed params with their defaults', () => {
    const params = report.dags.m_three.params;
    expect(Object.keys(params)).toEqual(['region', 'channels', 'raw_signups', 'raw_spend', 'scale', 'start_date']);
    expect(params.region).toMatchObject({ value: 'US', schema: { type: 'string' } });
    expect(params.raw_spend).toMatchObject({ value: [10, 10, 20, 40, 40, 50], schema: { type: 'array', items: { type: 'number' } } });
    expect(params.scale).toEqual({ value: null, schema: {}, description: 'optional external input (null leaves it out), read by spend_zero_mean' });
    expect(report.dags.hello.params.raw_spend).toMatchObject({ value: null, schema: { type: 'array', items: { type: 'number' } } });
  });

  it('refuses params of the wrong type before a run, naming the param', () => {
    expect(report.dags.m_three.refused).toEqual({
      raw_spend: expect.stringMatching(/^Invalid input for param raw_spend: 'abc' is not of type 'array'/),
      region: expect.stringMatching(/^Invalid input for param region: 3 is not of type 'string'/),
      scale: null // no type to check it against: the task that reads it checks it
    });
  });

  it('renders each task command with hostile paths and params as separate, exact words', () => {
    const odd = report.dags.odd;
    expect(odd.file).toBe(join(folder, ODD, 'marketing_dag.py'));
    expect(odd.template).toEqual({ dataflow: '{{ dagcells_command(task.task_id, params, run_id) }}' });
    const words = odd.commands?.dataflow as string[];
    const run = runFolder(join(folder, ODD, 'dagcells-artifacts'), "manual__2026-12-01T21:34:29+00:00 '$(x)' {{ y }}");
    expect(run).toMatch(/\/manual__2026-12-01T21_34_29_00_00_+x_+y_+$/);
    expect(words.slice(0, 4)).toEqual(['node', expect.stringMatching(/node_modules\/dagcells\/dist\/cli\/bin\.js$/), 'run', join(folder, ODD, 'marketing.ts')]);
    expect(words.slice(4)).toEqual([
      '--outputs', 'avg_3wk_spend,spend_per_signup,spend_zero_mean,summary',
      '--config', JSON.stringify({ region: "US' {{ 1 }}\n" }).replace(/,/g, ', ').replace(/":/g, '": '),
      '--inputs', expect.stringContaining('"start_date": "2026-01-05\' {{ run_id }}; echo $(id)"'),
      '--deliver', join(run, 'dataflow.json'),
      '--progress'
    ]);
    expect(existsSync(join(folder, ODD, 'x'))).toBe(false);
  });
});

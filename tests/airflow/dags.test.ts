import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'fs';
import { join } from 'path';

import { parseRecord } from '../../kernel-helpers/src/values';
import { airflow, dagcells, dagsTest, OUT, ROOT, runFolder, taskLog, taskStates } from './harness/airflow';

/**
 * Generated DAGs run by a real Airflow 3 (`airflow dags test`, SQLite): the
 * same module in one task, three tasks and one task per node gives the same
 * final values as `dagcells run`; params pick other config; a failing node
 * fails its task; each task also runs alone on its upstream artifacts. A
 * handful of `dags test` runs in all: each costs 10-30 s.
 */
const fixture = join(ROOT, 'kernel-helpers', 'test', 'fixtures', 'airflow');
const dags = join(OUT, 'dags');
const artifacts = join(dags, 'dagcells-artifacts');
const FINALS = ['avg_3wk_spend', 'spend_per_signup', 'spend_zero_mean', 'summary'];
const THREE = ['--task', 'load=spend,signups', '--task', 'features=avg_3wk_spend,spend_per_signup,spend_zero_mean,weeks', '--task', 'report=summary'];
const common = ['--config', 'region=US', '--inputs', '@marketing.inputs.json'];

/** The final values `dagcells run` gives for a config, decoded. */
function reference(region: string): Record<string, unknown> {
  const run = dagcells(['run', 'marketing.ts', '--outputs', FINALS.join(','), '--inputs', '@marketing.inputs.json', '--config', `region=${region}`, '--deliver', `reference-${region}.json`], dags);
  expect([run.code, run.stderr]).toEqual([0, '']);
  return parseRecord(run.stdout, 'dagcells run');
}

/** What the tasks of a run delivered, all files merged, decoded. */
function delivered(runId: string): Record<string, unknown> {
  const folder = runFolder(artifacts, runId);
  return Object.assign({}, ...readdirSync(folder).map(f => parseRecord(readFileSync(join(folder, f), 'utf8'), f)));
}

const finalsOf = (values: Record<string, unknown>) => Object.fromEntries(FINALS.map(n => [n, values[n]]));

let US: Record<string, unknown>;
let threeRun: string;

beforeAll(() => {
  mkdirSync(dags, { recursive: true });
  for (const file of ['marketing.ts', 'marketing.inputs.json']) {
    copyFileSync(join(fixture, file), join(dags, file));
  }
  for (const [dagId, split] of [['marketing_one', []], ['marketing_three', THREE], ['marketing_nodes', ['--task-per-node']], ['marketing_cached', [...THREE, '--cache', 'dagcells-cache']]] as const) {
    const made = dagcells(['airflow', 'marketing.ts', '--dag-id', dagId, ...split, ...common, '-o', `${dagId}.py`], dags);
    expect([made.code, made.stderr]).toEqual([0, '']);
  }
  US = reference('US');
});

describe('a generated DAG in a real Airflow', () => {
  it('in one task gives the final values of dagcells run', () => {
    const run = dagsTest('marketing_one', dags);
    expect([run.code, run.state]).toEqual([0, 'success']);
    expect(taskStates('marketing_one', run.runId)).toEqual({ dataflow: 'success' });
    expect(delivered(run.runId)).toStrictEqual(US);
    // NaN, Infinity, a Float64Array, a Map, a BigInt and a Date crossed the hand-over exactly.
    const summary = US.summary as Record<string, unknown>;
    expect([summary.by_channel, summary.total_cents, summary.first_day]).toStrictEqual([new Map([['search', 70], ['social', 100]]), 17000n, new Date('2026-01-05')]);
    // The task's last line of output is its XCom: the same object as its file.
    const log = taskLog(run.output, 'dataflow');
    expect(log).toMatch(/\[dagcells\] run \S*marketing\.ts: avg_3wk_spend, spend_per_signup, spend_zero_mean, summary/);
    const file = readFileSync(join(runFolder(artifacts, run.runId), 'dataflow.json'), 'utf8').trim();
    expect(log).toMatch(new RegExp(`\\[dagcells\\] delivered .*\n.*\\[info +\\] ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} `));
    expect(log).toMatch(/\[dagcells\] \S+ finish exchange_rate in [\d.]+ ms: number 1/);
  });

  it('in three tasks gives the same values, each task reading what the one before delivered', () => {
    const run = dagsTest('marketing_three', dags);
    expect([run.code, run.state]).toEqual([0, 'success']);
    threeRun = run.runId;
    expect(taskStates('marketing_three', run.runId)).toEqual({ load: 'success', features: 'success', report: 'success' });
    expect(finalsOf(delivered(run.runId))).toStrictEqual(US);
    expect(taskLog(run.output, 'features')).toMatch(/\[dagcells\] from upstream \S+load\.json: spend, signups \(not computed again\)/);
    expect(taskLog(run.output, 'features')).not.toContain('start  spend\n');
  });

  it('in one task per node gives the same values', () => {
    const run = dagsTest('marketing_nodes', dags);
    expect([run.code, run.state]).toEqual([0, 'success']);
    const states = taskStates('marketing_nodes', run.runId);
    expect(Object.keys(states).sort()).toEqual(
      ['avg_3wk_spend', 'by_channel', 'exchange_rate', 'first_day', 'signups', 'spend', 'spend_mean', 'spend_per_signup', 'spend_zero_mean', 'summary', 'total_cents', 'weeks']
    );
    expect(new Set(Object.values(states))).toEqual(new Set(['success']));
    expect(finalsOf(delivered(run.runId))).toStrictEqual(US);
  });

  // Each case: the params of a run, and the config `dagcells run` gives the same values with.
  // (A config key that picks a variant goes here as another row.)
  it.each([[{ region: 'EU' }, 'EU']])('with --conf %j picks that config, with no change to the DAG file', (conf, region) => {
    const expected = reference(region);
    expect(expected).not.toStrictEqual(US);
    const run = dagsTest('marketing_three', dags, conf);
    expect([run.code, run.state]).toEqual([0, 'success']);
    expect(finalsOf(delivered(run.runId))).toStrictEqual(expected);
  });

  it('fails the task of a failing node with its message, and leaves the tasks after it upstream_failed', () => {
    const run = dagsTest('marketing_three', dags, { region: 'XX' });
    expect([run.code, run.state]).toEqual([1, 'failed']);
    expect(taskStates('marketing_three', run.runId)).toEqual({ load: 'failed', features: 'upstream_failed', report: 'upstream_failed' });
    const log = taskLog(run.output, 'load');
    expect(log).toMatch(/\[dagcells\] \S+ FAILED exchange_rate after [\d.]+ ms: no exchange rate for region XX/);
    expect(log).toContain('its inputs: region = string (2 characters)');
    expect(log).toContain('dagcells run: exchange_rate failed: no exchange rate for region XX');
    expect(existsSync(join(runFolder(artifacts, run.runId), 'load.json'))).toBe(false);
  });

  it('with --cache, computes on the first run and retrieves on the next, with the same values', () => {
    const first = dagsTest('marketing_cached', dags);
    expect([first.code, first.state]).toEqual([0, 'success']);
    expect(finalsOf(delivered(first.runId))).toStrictEqual(US);
    expect(taskLog(first.output, 'load')).toMatch(/cache: [1-9]\d* computed, 0 retrieved/);
    const again = dagsTest('marketing_cached', dags);
    expect([again.code, again.state]).toEqual([0, 'success']);
    expect(finalsOf(delivered(again.runId))).toStrictEqual(US);
    for (const task of ['load', 'features', 'report']) {
      expect([task, taskLog(again.output, task)]).toEqual([task, expect.stringMatching(/cache: 0 computed, [1-9]\d* retrieved/)]);
    }
    expect(readdirSync(join(dags, 'dagcells-cache')).length).toBeGreaterThan(0);
  });

  it('runs each task of the three alone, in its own process, given only its upstream tasks files', () => {
    const folder = runFolder(artifacts, threeRun);
    const before = Object.fromEntries(['load', 'features', 'report'].map(t => [t, readFileSync(join(folder, `${t}.json`), 'utf8')]));
    rmSync(folder, { recursive: true });
    mkdirSync(folder);
    for (const task of ['load', 'features', 'report']) {
      const upstream = { load: [], features: ['load'], report: ['load', 'features'] }[task] as string[];
      expect(readdirSync(folder).sort()).toEqual(upstream.map(t => `${t}.json`).sort());
      const run = airflow(['tasks', 'test', 'marketing_three', task, threeRun], dags);
      expect([task, run.code]).toEqual([task, 0]);
      expect(readFileSync(join(folder, `${task}.json`), 'utf8')).toBe(before[task]);
    }
  });
});

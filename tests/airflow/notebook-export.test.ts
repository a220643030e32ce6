import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { join } from 'path';

import { exportNotebook } from '../../kernel-helpers/src/export';
import type { NotebookCell } from '../../kernel-helpers/src/export';
import { makeRecipe, moduleDag } from '../../kernel-helpers/src/notebook';
import { parseRecord } from '../../kernel-helpers/src/values';
import { dagcells, DAGCELLS, dagsTest, OUT, ROOT, runFolder, taskStates } from './harness/airflow';

/**
 * The DAG the notebook panel exports, run by a real Airflow: the bundled
 * feature_engineering notebook, with the two task boundaries its browser test
 * draws, made into a module and a DAG file by the same library calls the
 * panel's export makes (the export of the cells, then moduleDag over the
 * module's text). Its tasks deliver the values `dagcells run` gives, and
 * `dagcells airflow --check` finds the file to be what the command line makes.
 */
const dags = join(OUT, 'notebook-dags');
const TASKS = [
  { name: 'prepare', outputs: ['orders', 'clean_orders'] },
  { name: 'report', outputs: ['segments', 'region_summary'] }
];

function notebookCells(path: string): NotebookCell[] {
  const notebook = JSON.parse(readFileSync(path, 'utf8')) as { cells: { cell_type: string; source: string | string[]; id?: string; metadata?: { tags?: string[] } }[] };
  return notebook.cells.map(cell => ({
    type: cell.cell_type === 'code' || cell.cell_type === 'markdown' ? cell.cell_type : 'raw',
    source: Array.isArray(cell.source) ? cell.source.join('') : cell.source,
    ...(cell.id ? { id: cell.id } : {}),
    ...(cell.metadata?.tags ? { tags: cell.metadata.tags } : {})
  }));
}

beforeAll(() => {
  rmSync(dags, { recursive: true, force: true });
  mkdirSync(join(dags, 'data'), { recursive: true });
  copyFileSync(join(ROOT, 'notebooks', 'data', 'orders.csv'), join(dags, 'data', 'orders.csv'));
  const module = exportNotebook(notebookCells(join(ROOT, 'notebooks', 'feature_engineering.ipynb')), { notebook: 'feature_engineering.ipynb' });
  expect(module.problems).toEqual([]);
  writeFileSync(join(dags, 'feature_engineering.ts'), module.text as string);
  const dag = moduleDag(
    module.text as string,
    makeRecipe({
      source: 'feature_engineering.ts',
      dagId: 'feature_engineering',
      tasks: TASKS,
      module: { from: 'dag-folder', path: 'feature_engineering.ts' },
      command: ['node', { from: 'absolute', path: DAGCELLS }],
      artifacts: { from: 'dag-folder', path: 'dagcells-artifacts' }
    })
  );
  expect(dag.problems).toEqual([]);
  writeFileSync(join(dags, 'feature_engineering_dag.py'), dag.text as string);
});

describe("the DAG the notebook panel exports", () => {
  it('is the file the command line makes from its recipe', () => {
    const check = dagcells(['airflow', '--check', 'feature_engineering_dag.py'], dags);
    expect([check.code, check.stderr]).toEqual([0, '']);
    expect(check.stdout).toContain('feature_engineering_dag.py is up to date with feature_engineering.ts');
  });

  it('runs in Airflow in its two tasks and delivers the values of dagcells run', () => {
    // The CSV's path is relative to the module's folder, where `dagcells run` resolves it.
    const inputs = { data_path: join(dags, 'data', 'orders.csv'), as_of: '2026-06-30', high_value_quantile: 0.8 };
    const run = dagsTest('feature_engineering', dags, inputs);
    expect([run.code, run.state]).toEqual([0, 'success']);
    expect(taskStates('feature_engineering', run.runId)).toEqual({ prepare: 'success', report: 'success' });
    const folder = runFolder(join(dags, 'dagcells-artifacts'), run.runId);
    const files = readdirSync(folder).sort();
    expect(files).toEqual(['prepare.json', 'report.json']);
    const delivered = Object.assign({}, ...files.map(f => parseRecord(readFileSync(join(folder, f), 'utf8'), f)));

    const outputs = TASKS.flatMap(t => t.outputs);
    const reference = dagcells(['run', 'feature_engineering.ts', '--outputs', outputs.join(','), '--inputs', JSON.stringify(inputs), '--deliver', 'reference.json'], dags);
    expect([reference.code, reference.stderr]).toEqual([0, '']);
    expect(delivered).toStrictEqual(parseRecord(reference.stdout, 'dagcells run'));
    expect(Object.keys(delivered).sort()).toEqual([...outputs].sort());
  });
});

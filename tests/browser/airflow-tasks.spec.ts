import { spawnSync } from 'child_process';
import { existsSync, mkdirSync } from 'fs';
import { join } from 'path';
import type { Page } from '@playwright/test';

import { expect, test } from './fixtures';

/**
 * Airflow task boundaries drawn in the panel, at the sidebar's default width,
 * on the bundled feature_engineering notebook: nodes are assigned to named
 * tasks (a colour each, `data-task` on the nodes), the panel shows the task
 * graph the library's splitter makes of them (and refuses a split whose tasks
 * would wait for each other), keeps them in the notebook's metadata, and
 * exports the module with a DAG file that `dagcells airflow --check` finds up
 * to date (the same file the command line makes) and that Airflow parses with
 * the expected tasks.
 */
const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'kernel-helpers', 'dist', 'cli', 'bin.js');
const AIRFLOW_PYTHON = join(ROOT, '.venv-airflow', 'bin', 'python');

const node = (page: Page, name: string) => page.locator(`#dagcells-panel [data-dagcells-node="${name}"]`);

async function pick(page: Page, names: string[]): Promise<void> {
  await page.evaluate(() => (window as any).jupyterapp.commands.execute('dagcells:fit'));
  for (const [name] of (await page.$$eval('#dagcells-panel [data-selected="true"]', els => els.map(e => [e.getAttribute('data-dagcells-node')]))) as string[][]) {
    await node(page, name).click();
  }
  for (const name of names) {
    await node(page, name).click();
    await expect(node(page, name)).toHaveAttribute('data-selected', 'true');
  }
}

async function assign(page: Page, task: string): Promise<void> {
  await page.fill('[data-dagcells-task-name]', task);
  await page.click('[data-dagcells-action="assign-task"]');
}

test('tasks drawn in the panel become the Airflow DAG, kept in the notebook and exported beside it', async ({ lab, page }) => {
  test.setTimeout(240_000);
  // A copy in the test's own folder: what the export writes beside it stays there.
  const original = await lab.contents('feature_engineering.ipynb');
  const notebook = `${lab.folder}/feature_engineering.ipynb`;
  await lab.contents(notebook, { method: 'PUT', body: { type: 'notebook', format: 'json', content: original.content } });
  await lab.openNotebook(notebook);
  if (!(await page.locator('#dagcells-panel').isVisible())) {
    await lab.command('dagcells:toggle-panel');
  }
  await expect(node(page, 'segments')).toBeVisible();
  const section = page.locator('[data-dagcells-tasks-section]');
  await section.locator('summary').click();

  // A name Airflow would refuse is refused here, saying why.
  await pick(page, ['raw_rows']);
  await assign(page, 'my task');
  await expect(page.locator('[data-dagcells-task-message]')).toContainText('"my task" is not an Airflow task id');

  await pick(page, ['raw_rows', 'orders', 'clean_orders']);
  await assign(page, 'prepare');
  await expect(page.locator('[data-dagcells-task-message]')).toHaveText('');
  await pick(page, ['segments', 'region_summary']);
  await assign(page, 'report');
  for (const name of ['raw_rows', 'orders', 'clean_orders']) {
    await expect(node(page, name)).toHaveAttribute('data-task', 'prepare');
  }
  await expect(node(page, 'segments')).toHaveAttribute('data-task', 'report');
  await expect(node(page, 'customer_features')).not.toHaveAttribute('data-task', /.*/);
  // The task graph: report reads what prepare delivers.
  await expect(page.locator('[data-dagcells-airflow-task]')).toHaveCount(2);
  await expect(page.locator('[data-dagcells-airflow-task="report"]')).toHaveAttribute('data-upstream', 'prepare');
  await expect(page.locator('[data-dagcells-task-edge="prepare->report"]')).toHaveCount(1);
  await lab.screenshot('airflow-tasks', page.locator('#dagcells-panel'));
  await section.scrollIntoViewIfNeeded();
  await lab.screenshot('airflow-tasks-section', section);
  // A theme changed again before its style sheets settle makes JupyterLab itself fail to remove one: let each settle.
  await lab.command('apputils:change-theme', { theme: 'JupyterLab Dark' });
  await expect(page.locator('body')).toHaveAttribute('data-jp-theme-light', 'false');
  await page.waitForTimeout(500);
  await lab.screenshot('airflow-tasks-section-dark', section);
  await lab.command('apputils:change-theme', { theme: 'JupyterLab Light' });
  await expect(page.locator('body')).toHaveAttribute('data-jp-theme-light', 'true');
  await page.waitForTimeout(500);

  // Moving raw_rows to report makes the tasks wait for each other: the panel says so, naming them.
  await pick(page, ['raw_rows']);
  await assign(page, 'report');
  await expect(node(page, 'raw_rows')).toHaveAttribute('data-task', 'report');
  const problem = page.locator('[data-dagcells-task-problem]');
  await expect(problem).toHaveCount(1);
  await expect(problem).toContainText('would wait for each other');
  await expect(problem).toContainText('raw_rows');
  await expect(page.locator('[data-dagcells-task-edge]')).toHaveCount(0);
  // Unassigned, raw_rows is computed where it is needed, and the split is whole again.
  await page.click('[data-dagcells-action="unassign-task"]');
  await expect(node(page, 'raw_rows')).not.toHaveAttribute('data-task', /.*/);
  await expect(problem).toHaveCount(0);
  await expect(page.locator('[data-dagcells-task-edge="prepare->report"]')).toHaveCount(1);

  // The notebook's metadata keeps the tasks.
  const kept = await page.evaluate(() => (window as any).jupyterapp.shell.currentWidget.context.model.getMetadata('dagcells')?.tasks);
  expect(kept).toEqual([
    { name: 'prepare', outputs: ['orders', 'clean_orders'] },
    { name: 'report', outputs: ['segments', 'region_summary'] }
  ]);

  // Export: the dialog lists the tasks; the module and the DAG file are written beside the notebook.
  await page.click('[data-dagcells-action="export-airflow"]');
  const dialog = page.locator('[data-dagcells-dialog="export-airflow"]');
  await expect(dialog).toBeVisible();
  await expect(dialog.locator('[data-dagcells-airflow="dagId"]')).toHaveValue('feature_engineering');
  await expect(dialog.locator('[data-dagcells-export-section="tasks"] li')).toHaveText([
    'prepare: orders, clean_orders',
    'report: segments, region_summary (after prepare)'
  ]);
  await expect(dialog.locator('[data-dagcells-export-section="problems"]')).toHaveCount(0);
  await lab.screenshot('airflow-export-dialog', page.locator('.jp-Dialog-content'));
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  await expect(page.locator('.Toastify__toast').filter({ hasText: 'Wrote the Airflow DAG feature_engineering (2 tasks)' })).toBeVisible();

  const folder = join(lab.server.rootDir, lab.folder);
  const dagFile = join(folder, 'feature_engineering_dag.py');
  expect(await lab.readFile(`${lab.folder}/feature_engineering.ts`)).toContain('export function segments(');
  const text = await lab.readFile(`${lab.folder}/feature_engineering_dag.py`);
  expect(text).toContain('# @generated by dagcells airflow from feature_engineering.ts');

  // The same file the command line makes from its recipe.
  const check = spawnSync(process.execPath, [CLI, 'airflow', '--check', dagFile], { encoding: 'utf8' });
  expect(check.stderr).toBe('');
  expect(check.stdout).toContain('is up to date with feature_engineering.ts');
  expect(check.status).toBe(0);

  // Airflow parses it: two tasks, prepare before report, the inputs as params.
  const home = join(ROOT, 'test-output', 'browser', 'airflow-home');
  mkdirSync(home, { recursive: true });
  expect(existsSync(AIRFLOW_PYTHON)).toBe(true);
  const parsed = spawnSync(AIRFLOW_PYTHON, [join(ROOT, 'tests', 'airflow', 'check_dags.py'), folder, '{}'], {
    encoding: 'utf8',
    env: { ...process.env, AIRFLOW_HOME: home, AIRFLOW__CORE__LOAD_EXAMPLES: 'False', PYTHONWARNINGS: 'ignore' }
  });
  expect(parsed.status).toBe(0);
  const report = JSON.parse(parsed.stdout.trim().split('\n').pop() as string);
  expect(report.import_errors).toEqual({});
  expect(report.dags.feature_engineering.tasks).toEqual({ prepare: ['report'], report: [] });
  expect(Object.keys(report.dags.feature_engineering.params).sort()).toEqual(['as_of', 'data_path', 'high_value_quantile', 'min_amount']);
  expect(lab.unexpectedErrors()).toEqual([]);
});

test('a task naming a function that is gone, and a DAG id Airflow refuses, are named before anything is written', async ({ lab, page }) => {
  test.setTimeout(180_000);
  const path = `${lab.folder}/orders.ipynb`;
  const code = (source: string, i: number) => ({ cell_type: 'code', id: `c${i}`, metadata: {}, source, execution_count: null, outputs: [] });
  await lab.contents(path, {
    method: 'PUT',
    body: {
      type: 'notebook',
      format: 'json',
      content: {
        cells: [
          code('function orders(raw: number[]): number[] { return raw; }', 0),
          code('function total(orders: number[]): number { return orders.length; }', 1)
        ],
        // Kept from an earlier version of the notebook, which had a function `old_total`.
        metadata: {
          kernelspec: { name: 'tslab', display_name: 'TypeScript', language: 'typescript' },
          dagcells: { tasks: [{ name: 'load', outputs: ['orders'] }, { name: 'report', outputs: ['old_total'] }] }
        },
        nbformat: 4,
        nbformat_minor: 5
      }
    }
  });
  await lab.openNotebook(path);
  if (!(await page.locator('#dagcells-panel').isVisible())) {
    await lab.command('dagcells:toggle-panel');
  }
  await expect(node(page, 'orders')).toHaveAttribute('data-task', 'load');
  const problem = page.locator('[data-dagcells-task-problem]');
  await expect(problem).toHaveText('The task report asks for old_total, which is not a node of the module.');

  // Exporting now lists the same problem and writes nothing.
  await page.evaluate(() => {
    (window as any).__airflowExport = (window as any).jupyterapp.commands.execute('dagcells:export-airflow');
  });
  const dialog = page.locator('[data-dagcells-dialog="export-airflow"]');
  await expect(dialog.locator('[data-dagcells-export-section="problems"] li')).toHaveText(['The task report asks for old_total, which is not a node of the module.']);
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  await expect(dialog.locator('[data-dagcells-export-section="problems"] li')).toHaveCount(1);
  await page.getByRole('button', { name: 'Cancel', exact: true }).click();
  expect(await page.evaluate(() => (window as any).__airflowExport)).toEqual({ status: 'cancelled' });
  expect(await lab.readFile(`${lab.folder}/orders_dag.py`)).toBeUndefined();
  expect(await lab.readFile(`${lab.folder}/orders.ts`)).toBeUndefined();

  // Without the stale task, a DAG id Airflow refuses is named, then a good one is written.
  await page.locator('[data-dagcells-airflow-task="report"] [data-dagcells-action="remove-task"]').click();
  await expect(problem).toHaveCount(0);
  await page.evaluate(() => {
    (window as any).__airflowExport = (window as any).jupyterapp.commands.execute('dagcells:export-airflow');
  });
  await dialog.locator('[data-dagcells-airflow="dagId"]').fill('orders daily');
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  await expect(dialog.locator('[data-dagcells-export-section="problems"] li')).toHaveText([
    'The DAG id "orders daily" is not one Airflow accepts: use letters, digits, _, . and - (at most 250).'
  ]);
  await dialog.locator('[data-dagcells-airflow="dagId"]').fill('orders_daily');
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  await expect.poll(() => page.evaluate(() => (window as any).__airflowExport)).toEqual({ status: 'written', path: `${lab.folder}/orders_dag.py`, module: `${lab.folder}/orders.ts` });
  const text = (await lab.readFile(`${lab.folder}/orders_dag.py`)) as string;
  expect(text).toContain('DAG orders_daily: the dataflow of orders.ts, in one task.');
  expect(text).toMatch(/"load": \{"outputs": \["orders"\]/);
  expect(lab.unexpectedErrors()).toEqual([]);
});

import { readFileSync } from 'fs';
import { join } from 'path';

import * as notebookModule from '../../kernel-helpers/src/notebook';
import { readNotebook } from '../../kernel-helpers/src/export';
import { runSelection } from '../../extension/src/execute/runner';
import { NotebookGraphModel } from '../../extension/src/model/graph-model';
import { PROJECT_ROOT } from './harness/server';
import { startKernel, TestKernel } from './harness/kernel';

/**
 * The panel's Execute (its model and runner, without the page) against real
 * tslab kernels: what the panel shows is what the kernel runs, in a kernel
 * where no cell has run, after a restart, and with the notebook's own
 * definitions when they were run.
 */
const notebooks = join(PROJECT_ROOT, 'notebooks');

function cellsOf(name: string) {
  return readNotebook(readFileSync(join(notebooks, name), 'utf8'), name);
}

/** A panel model of a notebook: every cell given, as the watcher gives them. */
function modelOf(cells: ReturnType<typeof cellsOf>): NotebookGraphModel {
  const model = new NotebookGraphModel();
  model.setAnalysis(notebookModule);
  const ids = cells.map((_, i) => `cell-${i + 1}`);
  model.updateCells(
    cells.map((cell, i) => ({ id: ids[i], source: cell.type === 'code' ? cell.source : null })),
    ids
  );
  return model;
}

/** Runs outputs as the Execute button does, and the text of each result. */
async function execute(model: NotebookGraphModel, kernel: TestKernel, outputs: string[], inputs: Record<string, string>) {
  model.select(outputs);
  for (const [name, text] of Object.entries(inputs)) {
    model.setInput(name, text);
  }
  await runSelection(model, kernel.kernel);
  const view = model.view;
  expect({ message: view.message, errors: Object.fromEntries(view.errors) }).toEqual({
    message: expect.objectContaining({ kind: 'info' }),
    errors: {}
  });
  return Object.fromEntries([...view.results].map(([name, preview]) => [name, preview.text]));
}

const EXAMPLES = [
  {
    notebook: 'hello_world.ipynb',
    inputs: { raw_spend: '[10, 10, 20, 40, 40, 50]', raw_signups: '[1, 10, 50, 100, 200, 400]' }
  },
  {
    notebook: 'feature_engineering.ipynb',
    inputs: { data_path: 'data/orders.csv', as_of: '2026-06-30', high_value_quantile: '0.8' }
  }
];

describe.each(EXAMPLES)('every output of $notebook from the panel', ({ notebook, inputs }) => {
  const cells = cellsOf(notebook);
  const functions = [...modelOf(cells).view.graph.nodes.values()].filter(n => n.kind === 'function').map(n => n.name);
  let fresh: TestKernel | undefined;
  let ran: TestKernel | undefined;
  afterEach(async () => {
    await fresh?.shutdown();
    await ran?.shutdown();
  });

  it('runs in a kernel where no cell has run, and again after a restart, with the values the cells give', async () => {
    expect(functions.length).toBeGreaterThan(5);
    // What the notebook's cells give: every code cell run first, as a user would.
    ran = await startKernel({ cwd: notebooks, name: 'ran' });
    const withCells = modelOf(cells);
    for (const cell of cells.filter(c => c.type === 'code')) {
      const result = await ran.execute(cell.source);
      expect(result.status).toBe('ok');
      withCells.cellExecuted(cell.source, true);
    }
    const expected = await execute(withCells, ran, functions, inputs);
    expect(Object.keys(expected).sort()).toEqual([...functions].sort());

    fresh = await startKernel({ cwd: notebooks, name: 'fresh' });
    const model = modelOf(cells);
    expect(await execute(model, fresh, functions, inputs)).toEqual(expected);
    expect(functions.map(name => model.view.states.get(name))).toEqual(functions.map(() => 'ok'));

    await fresh.kernel.restart();
    model.kernelReset();
    expect(await execute(model, fresh, functions, inputs)).toEqual(expected);
    // One output alone, in a kernel that already holds what it needs: nothing is defined again.
    expect(await execute(model, fresh, [functions[functions.length - 1]], inputs)).toEqual({
      [functions[functions.length - 1]]: expected[functions[functions.length - 1]]
    });
  });
});

describe('runs that tell the truth', () => {
  let kernel: TestKernel | undefined;
  afterEach(async () => {
    await kernel?.shutdown();
  });

  const notebook = (...sources: string[]) => sources.map(source => ({ type: 'code' as const, source }));

  it('runs a name defined in two cells with the later definition, and keeps the conflict marked', async () => {
    kernel = await startKernel({ cwd: notebooks, name: 'twice' });
    const model = modelOf(
      notebook('function total(a: number): number { return a + 1; }', 'function total(a: number): number { return a * 100; }')
    );
    expect(await execute(model, kernel, ['total'], { a: '2' })).toEqual({ total: '200' });
    expect(model.view.states.get('total')).toBe('conflict');
    expect(model.view.graph.problems.map(p => [p.code, p.severity])).toEqual([['DUPLICATE_NODE', 'warning']]);
  });

  it("omits a '?' parameter that has no value, as the panel shows it optional", async () => {
    kernel = await startKernel({ cwd: notebooks, name: 'optional' });
    const model = modelOf(notebook('function total(a: number, bonus?: number): number { return a + (bonus ?? 0.5); }'));
    expect(model.view.plan.inputs).toEqual([]);
    model.select(['total']);
    expect(model.view.plan.inputs.map(i => [i.name, i.required])).toEqual([
      ['a', true],
      ['bonus', false]
    ]);
    expect(await execute(model, kernel, ['total'], { a: '1' })).toEqual({ total: '1.5' });
  });

  it("clears the previous run's results and errors when the next run starts", async () => {
    kernel = await startKernel({ cwd: notebooks, name: 'clears' });
    const model = modelOf(notebook('function fails(x: number): number { if (x < 0) throw new Error("negative"); return x; }', 'function fine(y: number): number { return y; }'));
    model.select(['fails', 'fine']);
    model.setInput('x', '-1');
    model.setInput('y', '1');
    await runSelection(model, kernel.kernel);
    expect(model.view.errors.get('fails')).toBe('fails failed: negative');
    expect(model.view.message?.text).toMatch(/^fails failed: negative/);
    model.setInput('x', '3');
    await runSelection(model, kernel.kernel);
    expect({ errors: [...model.view.errors], results: [...model.view.results.keys()], message: model.view.message?.kind }).toEqual({
      errors: [],
      results: ['fails', 'fine'],
      message: 'info'
    });
  });
});

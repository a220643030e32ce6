/**
 * @jest-environment jsdom
 */
import * as analysis from 'dagcells/notebook';

import { sugiyamaLayout } from '../src/layout/sugiyama';
import { layoutInput } from '../src/layout/input';
import { NotebookGraphModel } from '../src/model/graph-model';
import { TasksSection } from '../src/panel/tasks-section';
import { GraphView } from '../src/view/graph-view';

/**
 * Airflow tasks drawn on the panel's model: assignment rules, what the
 * notebook's metadata is told, the task graph from the library's splitter,
 * and the marks on the graph and in the section.
 */
const CELLS = [
  'function raw(path: string): number[] { return [1]; }',
  'function clean(raw: number[]): number[] { return raw; }',
  'function total(clean: number[]): number { return 1; }',
  'function mean(clean: number[]): number { return 1; }'
];

function setUp() {
  const model = new NotebookGraphModel();
  model.setAnalysis(analysis);
  model.updateCells(
    CELLS.map((source, i) => ({ id: `c${i}`, source })),
    CELLS.map((_, i) => `c${i}`)
  );
  const told: unknown[] = [];
  model.onTasks = tasks => told.push(JSON.parse(JSON.stringify(tasks)));
  return { model, told };
}

describe('Airflow tasks in the panel model', () => {
  it('assigns selected functions to named tasks, moving a node between tasks, and tells the metadata each time', () => {
    const { model, told } = setUp();
    expect(model.assignTask('load', ['raw', 'clean'])).toBeUndefined();
    expect(model.assignTask('report', ['total', 'mean'])).toBeUndefined();
    expect(model.assignTask('report', ['clean'])).toBeUndefined();
    expect(model.view.tasks).toEqual([
      { name: 'load', outputs: ['raw'] },
      { name: 'report', outputs: ['total', 'mean', 'clean'] }
    ]);
    expect(model.view.taskOf.get('clean')).toBe('report');
    expect(told).toHaveLength(3);
    expect(told[2]).toEqual(model.view.tasks);
    // A task whose last node leaves goes.
    model.unassign(['raw']);
    expect(model.view.tasks.map(t => t.name)).toEqual(['report']);
    model.removeTask('report');
    expect(model.view.tasks).toEqual([]);
    expect(model.view.taskPlan).toBeUndefined();
  });

  it('refuses a bad task id, an empty selection and inputs, saying why, and changes nothing', () => {
    const { model, told } = setUp();
    expect(model.assignTask('my task', ['raw'])).toBe('"my task" is not an Airflow task id: use letters, digits, _, . and - (at most 250).');
    expect(model.assignTask('', ['raw'])).toMatch(/^Name the task first/);
    expect(model.assignTask('load', [])).toMatch(/^Select the nodes/);
    expect(model.assignTask('load', ['path'])).toBe("path is not computed by the dataflow (inputs and config are the DAG's params): select functions.");
    expect(model.view.tasks).toEqual([]);
    expect(told).toEqual([]);
  });

  it('plans the task graph with the library: order, reads, and a split whose tasks would wait for each other', () => {
    const { model } = setUp();
    model.assignTask('report', ['total']);
    model.assignTask('load', ['clean']);
    const plan = model.view.taskPlan;
    expect(plan?.problems).toEqual([]);
    expect(plan?.tasks.map(t => [t.id, t.reads])).toEqual([
      ['load', []],
      ['report', [{ task: 'load', values: ['clean'] }]]
    ]);
    expect(plan?.undelivered).toEqual(['mean']);
    // raw in report while load delivers clean (which needs raw): each waits for the other.
    model.assignTask('report', ['raw']);
    expect(model.view.taskPlan?.problems.map(p => p.tasks.sort())).toEqual([['load', 'report']]);
    expect(model.view.taskPlan?.problems[0].message).toContain('load reads raw from report');
  });

  it('restores tasks kept in the metadata, leaving out malformed entries', () => {
    const { model, told } = setUp();
    model.setTasks([{ name: 'load', outputs: ['raw', 7 as unknown as string] }, { name: 3, outputs: [] } as never, { name: 'x' } as never]);
    expect(model.view.tasks).toEqual([{ name: 'load', outputs: ['raw'] }]);
    expect(told).toEqual([]); // restoring is not a change to remember
  });
});

describe('the marks of tasks', () => {
  it('bands the nodes of each task in its colour, with data-task, and lists the task graph in the section', () => {
    const { model } = setUp();
    model.assignTask('load', ['raw', 'clean']);
    model.assignTask('report', ['total']);
    const host = document.createElement('div');
    document.body.append(host);
    const view = new GraphView(host, { toggle: () => undefined, open: () => undefined, context: () => undefined });
    view.render(model.view, sugiyamaLayout(layoutInput(model.view, 'LR')));
    const attr = (name: string, key: string) => host.querySelector(`[data-dagcells-node="${name}"]`)?.getAttribute(key);
    expect([attr('raw', 'data-task'), attr('clean', 'data-task'), attr('total', 'data-task'), attr('mean', 'data-task')]).toEqual(['load', 'load', 'report', null]);
    const band = (name: string) => host.querySelector(`[data-dagcells-node="${name}"] .jp-DagcellsGraph-task`)?.getAttribute('class');
    expect([band('raw'), band('total'), band('mean')]).toEqual(['jp-DagcellsGraph-task jp-mod-task0', 'jp-DagcellsGraph-task jp-mod-task1', 'jp-DagcellsGraph-task']);
    const ring = (name: string) => (host.querySelector(`[data-dagcells-node="${name}"] .jp-DagcellsGraph-task`) as SVGElement).style.getPropertyValue('--jp-DagcellsTask');
    expect([ring('raw'), ring('total'), ring('mean')]).toEqual(['var(--jp-DagcellsTask-0)', 'var(--jp-DagcellsTask-1)', '']);

    const section = new TasksSection({ assign: () => undefined, unassign: () => undefined, remove: () => undefined, pick: () => undefined, exportDag: () => undefined });
    section.render(model.view);
    const items = [...section.node.querySelectorAll('[data-dagcells-airflow-task]')];
    expect(items.map(i => [i.getAttribute('data-dagcells-airflow-task'), i.getAttribute('data-upstream')])).toEqual([
      ['load', ''],
      ['report', 'load']
    ]);
    const swatches = [...section.node.querySelectorAll<HTMLElement>('.jp-DagcellsTasks-swatch')].map(s => s.style.getPropertyValue('--jp-DagcellsTask'));
    expect(swatches).toEqual(['var(--jp-DagcellsTask-0)', 'var(--jp-DagcellsTask-1)']);
    expect([...section.node.querySelectorAll('[data-dagcells-task-edge]')].map(e => e.getAttribute('data-dagcells-task-edge'))).toEqual(['load->report']);
    expect(section.node.querySelector('.jp-DagcellsTasks-notes')?.textContent).toBe('No task delivers mean.');
    expect(section.node.open).toBe(true);
  });
});

/**
 * @jest-environment jsdom
 */
import * as analysis from 'dagcells/notebook';

import { sugiyamaLayout } from '../src/layout/sugiyama';
import { NotebookGraphModel } from '../src/model/graph-model';
import { layoutInput } from '../src/layout/input';
import { GraphView } from '../src/view/graph-view';

/** A model of cells, laid out, drawn into a detached host. */
function setUp(...cells: string[]) {
  const model = new NotebookGraphModel();
  model.setAnalysis(analysis);
  model.updateCells(
    cells.map((source, i) => ({ id: `c${i}`, source })),
    cells.map((_, i) => `c${i}`)
  );
  const host = document.createElement('div');
  document.body.append(host);
  const view = new GraphView(host, { toggle: () => undefined, open: () => undefined, context: () => undefined });
  const draw = () => view.render(model.view, sugiyamaLayout(layoutInput(model.view, 'LR')));
  return { model, host, view, draw };
}

/** The names of the nodes whose elements changed while `act` ran. */
async function touchedBy(host: HTMLElement, act: () => void): Promise<string[]> {
  const touched = new Set<string>();
  const observer = new MutationObserver(records => {
    for (const record of records) {
      const element = record.target instanceof Element ? record.target : record.target.parentElement;
      const name = element?.closest('[data-dagcells-node]')?.getAttribute('data-dagcells-node');
      if (name) {
        touched.add(name);
      }
    }
  });
  observer.observe(host, { subtree: true, attributes: true, childList: true, characterData: true });
  act();
  await Promise.resolve();
  observer.disconnect();
  return [...touched].sort();
}

const cells = [
  'function spend(raw_spend: number[]): number[] { return raw_spend; }',
  'function spend_mean(spend: number[]): number { return spend[0]; }',
  'function signups(raw_signups: number[]): number[] { return raw_signups; }'
];

describe('the graph view', () => {
  it('draws a node per function and input, and an edge per parameter', () => {
    const { host, draw } = setUp(...cells);
    draw();
    const names = [...host.querySelectorAll('[data-dagcells-node]')].map(n => n.getAttribute('data-dagcells-node')).sort();
    expect(names).toEqual(['raw_signups', 'raw_spend', 'signups', 'spend', 'spend_mean']);
    const edges = [...host.querySelectorAll('[data-dagcells-edge]')].map(e => e.getAttribute('data-dagcells-edge')).sort();
    expect(edges).toEqual(['raw_signups->signups', 'raw_spend->spend', 'spend->spend_mean']);
  });

  it('touches only the nodes whose picture changed when it draws again', async () => {
    const { model, host, draw } = setUp(...cells);
    draw();
    expect(await touchedBy(host, draw)).toEqual([]);
    model.toggleSelection('spend_mean');
    expect(await touchedBy(host, draw)).toEqual(['spend_mean']);
    expect(host.querySelector('[data-dagcells-node="spend_mean"]')?.getAttribute('data-selected')).toBe('true');
  });

  it('updates a node whose type changed, and leaves the others alone', async () => {
    const { model, host, draw } = setUp(...cells);
    draw();
    const touched = await touchedBy(host, () => {
      model.updateCells([{ id: 'c2', source: 'function signups(raw_signups: number[]): string[] { return []; }' }], ['c0', 'c1', 'c2']);
      draw();
    });
    expect(touched).toEqual(['signups']);
    expect(host.querySelector('[data-dagcells-node="signups"] .jp-DagcellsGraph-type')?.textContent).toBe('string[]');
  });

  it('draws everything again after being cleared', () => {
    const { host, view, draw } = setUp(...cells);
    draw();
    view.clear();
    expect(host.querySelectorAll('[data-dagcells-node]')).toHaveLength(0);
    draw();
    expect(host.querySelector('[data-dagcells-node="spend"]')?.getAttribute('data-state')).toBe('unrun');
  });
});

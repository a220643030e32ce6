/**
 * @jest-environment jsdom
 */
import * as analysis from 'dagcells/notebook';

import { sugiyamaLayout } from '../src/layout/sugiyama';
import { NotebookGraphModel } from '../src/model/graph-model';
import { layoutInput } from '../src/layout/input';
import { GraphView } from '../src/view/graph-view';
import { nodeWidth } from '../src/view/geometry';
import { foldPaths } from '../src/view/marks';

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
  it('draws savers and loaders as files: the box first, its corner folded, a glyph each; plain nodes without', () => {
    const { host, draw, model } = setUp(
      'import { loadFrom, saveTo } from "dagcells";',
      'const report = saveTo.json({ path: "r.json" }, (raw: number[]): number[] => raw);',
      'const orders = loadFrom.csv({ path: "o.csv" }, (data: { a: number }[]): { a: number }[] => data);'
    );
    draw();
    const shape = (name: string) => {
      const g = host.querySelector(`[data-dagcells-node="${name}"]`) as Element;
      return {
        kind: g.getAttribute('data-kind'),
        first: g.querySelector('rect')?.getAttribute('class'),
        fold: g.querySelector('.jp-DagcellsGraph-fold')?.getAttribute('d') !== '',
        glyph: g.querySelector('.jp-DagcellsGraph-kind')?.getAttribute('d') ?? ''
      };
    };
    const saver = shape('save_report');
    const loader = shape('load_orders');
    expect(saver).toMatchObject({ kind: 'saver', first: 'jp-DagcellsGraph-box', fold: true });
    expect(loader).toMatchObject({ kind: 'loader', first: 'jp-DagcellsGraph-box', fold: true });
    expect(saver.glyph).not.toBe('');
    expect(loader.glyph).not.toBe(saver.glyph);
    expect(shape('report')).toEqual({ kind: 'function', first: 'jp-DagcellsGraph-box', fold: false, glyph: '' });
    // Room for the glyph: a saver's box is wider than a function's of the same name and type.
    const node = model.view.graph.nodes.get('save_report')!;
    expect(nodeWidth(node)).toBe(nodeWidth({ name: node.name, type: node.type }) + 14);
  });

  it('folds the top-right corner of a box centred on the origin', () => {
    expect(foldPaths(100, 40, 10)).toEqual({ cut: 'M40,-22H52V-10H50L40,-20Z', fold: 'M40,-20L50,-10H40Z' });
  });

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

describe('config variants in the graph view', () => {
  const variantCells = [
    'import { config } from "dagcells";',
    'const spend__us = config.when({ region: "US" }, (raw_spend: number[]): number[] => raw_spend);\n' +
      'const spend__eu = config.when({ region: "EU" }, (raw_eur: number[]): number[] => raw_eur);',
    'function total(spend: number[]): number { return spend[0]; }'
  ];
  const attr = (host: HTMLElement, name: string, attribute: string) => host.querySelector(`[data-dagcells-node="${name}"]`)?.getAttribute(attribute);
  const edges = (host: HTMLElement) => [...host.querySelectorAll('[data-dagcells-edge]')].map(e => e.getAttribute('data-dagcells-edge')).sort();

  it('draws the chosen variant as the node and the one not chosen dimmed, named as declared, with the config that would choose it', () => {
    const { model, host, draw } = setUp(...variantCells);
    model.setConfigValue('region', 'US');
    draw();
    expect(attr(host, 'spend', 'data-variant')).toBe('chosen');
    expect(attr(host, 'spend__eu', 'data-variant')).toBe('unchosen');
    expect(attr(host, 'spend__eu', 'aria-disabled')).toBe('true');
    expect(host.querySelector('[data-dagcells-node="spend__eu"] title')?.textContent).toContain('chosen when region == "EU"');
    expect(host.querySelector('[data-dagcells-node="spend__us"]')).toBeNull();
    // Consumers follow the chosen variant only; the dimmed one has no edges.
    expect(edges(host)).toEqual(['raw_spend->spend', 'spend->total']);
    // The run graph never holds the dimmed variant.
    expect(model.view.graph.nodes.has('spend__eu')).toBe(false);
  });

  it('swaps them when the config changes', () => {
    const { model, host, draw } = setUp(...variantCells);
    model.setConfigValue('region', 'US');
    draw();
    model.setConfigValue('region', 'EU');
    draw();
    expect(attr(host, 'spend__us', 'data-variant')).toBe('unchosen');
    expect(host.querySelector('[data-dagcells-node="spend__eu"]')).toBeNull();
    expect(edges(host)).toEqual(['raw_eur->spend', 'spend->total']);
  });

  it('a click on a dimmed variant picks nothing', () => {
    const toggled: string[] = [];
    const model = new NotebookGraphModel();
    model.setAnalysis(analysis);
    model.updateCells(variantCells.map((source, i) => ({ id: `c${i}`, source })), variantCells.map((_, i) => `c${i}`));
    model.setConfigValue('region', 'US');
    const host = document.createElement('div');
    document.body.append(host);
    const view = new GraphView(host, { toggle: name => toggled.push(name), open: () => undefined, context: () => undefined });
    view.render(model.view, sugiyamaLayout(layoutInput(model.view, 'LR')));
    host.querySelector('[data-dagcells-node="spend__eu"]')?.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    host.querySelector('[data-dagcells-node="spend"]')?.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    expect(toggled).toEqual(['spend']);
  });

  it('no variant applies: both are dimmed, and the consumer says which config would define the node', () => {
    const { model, host, draw } = setUp(...variantCells);
    model.setConfigValue('region', 'APAC');
    draw();
    expect(attr(host, 'spend__us', 'data-variant')).toBe('unchosen');
    expect(attr(host, 'spend__eu', 'data-variant')).toBe('unchosen');
    expect(attr(host, 'spend', 'data-kind')).toBe('input');
    expect(host.querySelector('[data-dagcells-node="total"] title')?.textContent).toContain(
      'No variant of spend applies with this config; region == "US" (spend__us) or region == "EU" (spend__eu) would define it.'
    );
  });
});

/**
 * @jest-environment jsdom
 */
import * as analysis from 'dagcells/notebook';
import { zoomIdentity, zoomTransform } from 'd3-zoom';

import { sugiyamaLayout } from '../src/layout/sugiyama';
import { NotebookGraphModel } from '../src/model/graph-model';
import { layoutInput } from '../src/layout/input';
import type { Layout } from '../src/layout/types';
import { CULL_ABOVE } from '../src/view/culling';
import { FRAME_PAD, GraphView, READABLE_SCALE } from '../src/view/graph-view';
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

// jsdom has no SVG transform lists, which d3 reads to animate a transform: an empty one will do.
if (!('transform' in SVGElement.prototype)) {
  Object.defineProperty(SVGElement.prototype, 'transform', { get: () => ({ baseVal: { consolidate: () => null } }) });
}

/** A drawing of 400 by 300 pixels: jsdom lays nothing out, so the host says its size. */
function sized(host: HTMLElement, width = 400, height = 300): void {
  host.getBoundingClientRect = () => ({ x: 0, y: 0, left: 0, top: 0, right: width, bottom: height, width, height, toJSON: () => ({}) });
}

const frame = () => new Promise(resolve => requestAnimationFrame(resolve));

/** `n` functions, two per cell, in a layered flow ten wide (as the panel benchmark's notebooks). */
function layered(n: number): string[] {
  const cells: string[] = [];
  for (let i = 0; i < n; i += 2) {
    cells.push(
      [i, i + 1]
        .map(k => {
          const deps = k < 10 ? [`raw_${k % 3}`] : [`f${k - 10}`];
          return `function f${k}(${deps.map(d => `${d}: number`).join(', ')}): number { return ${deps.join(' + ')}; }`;
        })
        .join('\n')
    );
  }
  return cells;
}

describe('a graph too large to draw whole: only the part in view is in the page', () => {
  const drawnNames = (host: HTMLElement) => [...host.querySelectorAll('[data-dagcells-node]')].map(n => n.getAttribute('data-dagcells-node') as string);
  /** The nodes whose boxes a view of 400 x 300 at transform t shows, at least partly, from the layout alone. */
  const shown = (layout: Layout, t: { x: number; y: number; k: number }, width = 400, height = 300) =>
    Object.entries(layout.positions)
      .filter(([, p]) => {
        const x = p.x * t.k + t.x;
        const y = p.y * t.k + t.y;
        return x + 60 * t.k >= 0 && x - 60 * t.k <= width && y + 20 * t.k >= 0 && y - 20 * t.k <= height;
      })
      .map(([name]) => name);

  // One model and layout for the tests below (laying out 400 nodes takes a moment); each test draws it afresh.
  const base = setUp(...layered(400));
  const layout = sugiyamaLayout(layoutInput(base.model.view, 'LR'));
  const total = Object.keys(layout.positions).length;
  function large() {
    const host = document.createElement('div');
    document.body.append(host);
    sized(host);
    const view = new GraphView(host, { toggle: () => undefined, open: () => undefined, context: () => undefined });
    view.render(base.model.view, layout);
    return { host, view };
  }

  it('draws every node of a small graph, wherever the view is', async () => {
    const { host, view, draw } = setUp(...cells);
    sized(host);
    draw();
    view.transformTo(zoomIdentity.translate(-5000, -5000));
    await frame();
    expect(drawnNames(host).sort()).toEqual(['raw_signups', 'raw_spend', 'signups', 'spend', 'spend_mean']);
    expect(host.querySelector('svg')?.getAttribute('data-drawn')).toBe('all');
  });

  it(`above ${CULL_ABOVE} nodes, draws the boxes in view and a margin around it, not the rest`, () => {
    expect(total).toBeGreaterThan(CULL_ABOVE);
    const { host } = large();
    const drawn = new Set(drawnNames(host));
    const svg = host.querySelector('svg') as SVGSVGElement;
    expect(svg.getAttribute('data-drawn')).toBe('in-view');
    expect(svg.getAttribute('data-nodes')).toBe(String(total));
    // Everything in view is there...
    const inView = shown(layout, zoomIdentity);
    expect(inView.length).toBeGreaterThan(3);
    expect(inView.filter(name => !drawn.has(name))).toEqual([]);
    // ...and far less than the whole graph: nothing beyond two views away, except the node Tab reaches.
    expect(drawn.size).toBeLessThan(total / 4);
    const far = new Set(Object.keys(layout.positions).filter(name => !shown(layout, { x: 400, y: 300, k: 1 }, 1200, 900).includes(name)));
    const tabbable = host.querySelector('[tabindex="0"]')?.getAttribute('data-dagcells-node');
    expect([...drawn].filter(name => far.has(name) && name !== tabbable)).toEqual([]);
    // Edges too: only those with an end or a stretch near the view.
    const edges = [...host.querySelectorAll('[data-dagcells-edge]')].map(e => e.getAttribute('data-dagcells-edge') as string);
    expect(edges.length).toBeGreaterThan(0);
    expect(edges.length).toBeLessThan(base.model.view.graph.edges.length / 4);
  });

  it('draws what comes into view as the view moves, and removes what left the region around it', async () => {
    const { host, view } = large();
    const before = new Set(drawnNames(host));
    // The far end of the flow.
    const p = layout.positions.f399;
    const t = zoomIdentity.translate(200 - p.x, 150 - p.y);
    view.transformTo(t);
    await frame();
    const drawn = new Set(drawnNames(host));
    const inView = shown(layout, t);
    expect(inView).toContain('f399');
    expect(inView.filter(name => !drawn.has(name))).toEqual([]);
    // What was drawn at the start of the flow has gone, but for the node Tab reaches.
    const tabbable = host.querySelector('[tabindex="0"]')?.getAttribute('data-dagcells-node');
    expect([...before].filter(name => drawn.has(name))).toEqual(tabbable ? [tabbable] : []);
    // The edges into what is in view are drawn with it.
    expect(host.querySelector('[data-dagcells-edge="f389->f399"]')).not.toBeNull();
  });

  it('a pan within the margin drawn around the view puts nothing new in the page', async () => {
    const { host, view } = large();
    const touched = new Set<string>();
    const observer = new MutationObserver(records => records.forEach(r => r.type === 'childList' && touched.add('children')));
    observer.observe(host.querySelector('.jp-DagcellsGraph-layer') as Node, { subtree: true, childList: true });
    view.transformTo(zoomIdentity.translate(-60, -40));
    await frame();
    observer.disconnect();
    expect([...touched]).toEqual([]);
  });

  it('focus reaches a node out of view: drawn at once, focused, and the view brought to it', async () => {
    const { host, view } = large();
    expect(view.isDrawn('f399')).toBe(false);
    expect(view.focus('f399', true)).toBe(true);
    const element = host.querySelector('[data-dagcells-node="f399"]');
    expect(element).not.toBeNull();
    expect(document.activeElement).toBe(element);
    expect(element?.getAttribute('tabindex')).toBe('0');
    // The view travels there (animated); the node stays drawn, and so do its neighbours once in view.
    const svg = host.querySelector('svg') as SVGSVGElement;
    const p = layout.positions.f399;
    for (let i = 0; i < 100 && Math.abs(zoomTransform(svg).applyX(p.x) - 200) > 1; i++) {
      await frame();
    }
    expect(zoomTransform(svg).applyX(p.x)).toBeCloseTo(200, 0);
    expect(zoomTransform(svg).applyY(p.y)).toBeCloseTo(150, 0);
    await frame();
    const drawn = new Set(drawnNames(host));
    expect(shown(layout, zoomTransform(svg)).filter(name => !drawn.has(name))).toEqual([]);
    expect(drawn.has('f389')).toBe(true);
  });

  it('framed on a part at an end of the flow, shows the graph from its edge: no empty band beside it', () => {
    const { host, view } = large();
    const svg = host.querySelector('svg') as SVGSVGElement;
    const edges = (t: ReturnType<typeof zoomTransform>) => {
      const sides = Object.entries(layout.positions).map(([name, p]) => {
        const half = nodeWidth(base.model.view.graph.nodes.get(name) as never, layout.density) / 2;
        return [t.applyX(p.x - half), t.applyX(p.x + half)];
      });
      return { left: Math.min(...sides.map(s => s[0])), right: Math.max(...sides.map(s => s[1])) };
    };
    const inView = (name: string, t: ReturnType<typeof zoomTransform>) => {
      const x = t.applyX(layout.positions[name].x);
      return x > 0 && x < 400;
    };
    // At the start of the flow: centred on f0, the graph would begin a third of the way across; it begins at the edge.
    view.fit(false, ['f0']);
    let t = zoomTransform(svg);
    expect(t.k).toBeGreaterThanOrEqual(READABLE_SCALE);
    expect(edges(t).left).toBeCloseTo(FRAME_PAD, 3);
    expect(inView('f0', t)).toBe(true);
    // At its end, the same on the other side.
    view.fit(false, ['f399']);
    t = zoomTransform(svg);
    expect(edges(t).right).toBeCloseTo(400 - FRAME_PAD, 3);
    expect(inView('f399', t)).toBe(true);
    // In the middle, the part stays in the middle.
    view.fit(false, ['f200']);
    expect(zoomTransform(svg).applyX(layout.positions.f200.x)).toBeCloseTo(200, 0);
  });

  it("pressing the overview's corner shows the graph from that corner, not the corner in the middle of an empty view", () => {
    const { host, view } = large();
    view.fit(false, ['f200']);
    const svg = host.querySelector('svg') as SVGSVGElement;
    const map = host.querySelector('[data-dagcells-minimap]') as HTMLCanvasElement;
    expect(map.hidden).toBe(false);
    // The overview's top-left corner, inside its padding: the graph's top-left corner.
    map.dispatchEvent(new MouseEvent('pointerdown', { clientX: 0, clientY: 0, bubbles: true }));
    const t = zoomTransform(svg);
    const boxes = Object.entries(layout.positions).map(([name, p]) => ({
      left: t.applyX(p.x - nodeWidth(base.model.view.graph.nodes.get(name) as never, layout.density) / 2),
      top: t.applyY(p.y - layout.nodeHeight / 2),
      bottom: t.applyY(p.y + layout.nodeHeight / 2)
    }));
    expect(Math.min(...boxes.map(b => b.left))).toBeCloseTo(FRAME_PAD, 3);
    const top = Math.min(...boxes.map(b => b.top));
    const bottom = Math.max(...boxes.map(b => b.bottom));
    if (bottom - top + 2 * FRAME_PAD > 300) {
      expect(top).toBeCloseTo(FRAME_PAD, 3);
    } else {
      expect((top + bottom) / 2).toBeCloseTo(150, 3);
    }
  });

  it('the arrow keys walk the flow past the part drawn: each next node is drawn and takes the focus', () => {
    const { host, view } = large();
    view.focus('f0', true);
    let name = 'f0';
    const visited: string[] = [];
    for (let step = 0; step < 30; step++) {
      const element = host.querySelector(`[data-dagcells-node="${name}"]`) as SVGGElement;
      element.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
      const focused = document.activeElement?.getAttribute('data-dagcells-node');
      expect(focused).toBeDefined();
      if (focused === name) {
        break; // the end of the flow
      }
      name = focused as string;
      visited.push(name);
    }
    // Far along the flow (ten functions a layer), well beyond the view the walk started in.
    expect(visited.length).toBeGreaterThanOrEqual(20);
    expect(shown(layout, zoomIdentity)).not.toContain(name);
    expect(host.querySelector(`[data-dagcells-node="${name}"]`)?.getAttribute('tabindex')).toBe('0');
  });
});

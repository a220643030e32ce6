import { extendLayout } from '../src/layout/incremental';
import { reroute } from '../src/layout/reroute';
import { routeEdges } from '../src/layout/route';
import { sugiyamaLayout } from '../src/layout/sugiyama';
import type { Layout, LayoutInput, Orientation } from '../src/layout/types';

/** Points along an SVG path of M, L, C and Q segments, sampled finely. */
function samples(d: string): { x: number; y: number }[] {
  const tokens = d.match(/[MLCQ]|-?\d+(\.\d+)?/g) ?? [];
  const points: { x: number; y: number }[] = [];
  let at = { x: 0, y: 0 };
  let i = 0;
  const num = () => Number(tokens[i++]);
  while (i < tokens.length) {
    const command = tokens[i++];
    if (command === 'M') {
      at = { x: num(), y: num() };
      points.push(at);
    } else if (command === 'L') {
      const next = { x: num(), y: num() };
      for (let t = 0; t <= 1; t += 0.02) {
        points.push({ x: at.x + (next.x - at.x) * t, y: at.y + (next.y - at.y) * t });
      }
      at = next;
    } else if (command === 'C') {
      const [c1, c2, end] = [{ x: num(), y: num() }, { x: num(), y: num() }, { x: num(), y: num() }];
      for (let t = 0; t <= 1; t += 0.02) {
        const u = 1 - t;
        points.push({
          x: u * u * u * at.x + 3 * u * u * t * c1.x + 3 * u * t * t * c2.x + t * t * t * end.x,
          y: u * u * u * at.y + 3 * u * u * t * c1.y + 3 * u * t * t * c2.y + t * t * t * end.y
        });
      }
      at = end;
    } else if (command === 'Q') {
      const [c, end] = [{ x: num(), y: num() }, { x: num(), y: num() }];
      for (let t = 0; t <= 1; t += 0.05) {
        const u = 1 - t;
        points.push({ x: u * u * at.x + 2 * u * t * c.x + t * t * end.x, y: u * u * at.y + 2 * u * t * c.y + t * t * end.y });
      }
      at = end;
    }
  }
  return points;
}

/** Every edge that passes through a box other than its own two ends, as `edge / box`. */
function crossings(layout: Layout, input: LayoutInput): string[] {
  const widths = new Map(input.nodes.map(n => [n.name, n.width]));
  const routes = routeEdges(layout, name => widths.get(name) ?? 0, input.edges);
  const found: string[] = [];
  for (const [key, { d }] of routes) {
    const [from, to] = key.split('->');
    const points = samples(d);
    for (const [name, p] of Object.entries(layout.positions)) {
      if (name === from || name === to) {
        continue;
      }
      const w = (widths.get(name) ?? 0) / 2 - 1;
      const h = layout.nodeHeight / 2 - 1;
      if (points.some(q => Math.abs(q.x - p.x) < w && Math.abs(q.y - p.y) < h)) {
        found.push(`${key} / ${name}`);
      }
    }
  }
  return found;
}

/** A seeded graph: long edges skipping layers, fan-outs, a few sources. */
function generated(n: number, seed: number, orientation: Orientation, maxAcross?: number): LayoutInput {
  let state = seed;
  const random = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
  const nodes = Array.from({ length: n }, (_, i) => ({ name: `n${i}`, width: 70 + Math.floor(random() * 120) }));
  const edges: [string, string][] = [];
  for (let i = 1; i < n; i++) {
    const count = 1 + Math.floor(random() * 3);
    for (let k = 0; k < count; k++) {
      const from = Math.floor(random() * i);
      if (!edges.some(e => e[0] === `n${from}` && e[1] === `n${i}`)) {
        edges.push([`n${from}`, `n${i}`]);
      }
    }
  }
  return { nodes, edges, orientation, density: 'full', ...(maxAcross ? { maxAcross } : {}) };
}

describe('edge routing', () => {
  it('while typing, routes again only the edges a new node touches, and crosses no box', () => {
    const input = generated(40, 11, 'TB', 400);
    const layout = sugiyamaLayout(input);
    const widths = new Map(input.nodes.map(n => [n.name, n.width]));
    const first = reroute(undefined, layout, widths, input.edges);
    const grown: LayoutInput = { ...input, nodes: [...input.nodes, { name: 'extra', width: 90 }], edges: [...input.edges, ['n3', 'extra']] };
    const extended = extendLayout(layout, grown) as Layout;
    const second = reroute(first, extended, new Map([...widths, ['extra', 90]]), grown.edges);
    const kept = [...first.routes].filter(([key, route]) => second.routes.get(key) === route).length;
    expect(kept).toBeGreaterThan(first.routes.size * 0.7);
    expect(second.routes.has('n3->extra')).toBe(true);
    const widthsAfter = new Map([...widths, ['extra', 90]]);
    for (const [key, { d }] of second.routes) {
      const [from, to] = key.split('->');
      for (const [name, p] of Object.entries(extended.positions)) {
        if (name === from || name === to) {
          continue;
        }
        const w = (widthsAfter.get(name) ?? 0) / 2 - 1;
        const h = extended.nodeHeight / 2 - 1;
        expect(samples(d).some(q => Math.abs(q.x - p.x) < w && Math.abs(q.y - p.y) < h) ? `${key} / ${name}` : '').toBe('');
      }
    }
  });

  for (const orientation of ['TB', 'LR'] as const) {
    it(`passes no edge through a box, top to bottom and left to right (${orientation})`, () => {
      for (const seed of [1, 2, 3, 4, 5]) {
        const input = generated(30, seed, orientation);
        expect(crossings(sugiyamaLayout(input), input)).toEqual([]);
      }
    });

    it(`passes no edge through a box when layers wrap to a narrow panel (${orientation})`, () => {
      for (const seed of [6, 7, 8]) {
        const input = { ...generated(25, seed, orientation, 260), density: 'compact' as const };
        const layout = sugiyamaLayout(input);
        expect(crossings(layout, input)).toEqual([]);
      }
    });
  }

  it('takes an edge against the flow (a cycle) around every box, entering its consumer from upstream', () => {
    const input: LayoutInput = {
      nodes: ['a', 'b', 'c', 'd'].map(name => ({ name, width: 100 })),
      edges: [['a', 'b'], ['b', 'c'], ['c', 'a'], ['a', 'd'], ['d', 'd']],
      orientation: 'TB'
    };
    const layout = sugiyamaLayout(input);
    expect(crossings(layout, input)).toEqual([]);
    const d = routeEdges(layout, () => 100, input.edges).get('c->a')?.d as string;
    const end = samples(d).at(-1) as { x: number; y: number };
    expect(end.y).toBeLessThan(layout.positions.a.y - layout.nodeHeight / 2); // arrives from above
  });
});

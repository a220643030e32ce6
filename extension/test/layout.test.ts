import { extendLayout } from '../src/layout/incremental';
import { sugiyamaLayout } from '../src/layout/sugiyama';
import { LayoutInput, NODE_HEIGHT } from '../src/layout/types';

const chain = (n: number, orientation: 'LR' | 'TB' = 'LR'): LayoutInput => ({
  nodes: Array.from({ length: n }, (_, i) => ({ name: `n${i}`, width: 100 })),
  edges: Array.from({ length: n - 1 }, (_, i) => [`n${i}`, `n${i + 1}`] as [string, string]),
  orientation
});

function overlaps(layout: ReturnType<typeof sugiyamaLayout>, widths: Map<string, number>): string[] {
  const found: string[] = [];
  const entries = Object.entries(layout.positions);
  for (let i = 0; i < entries.length; i++) {
    for (let j = i + 1; j < entries.length; j++) {
      const [a, p] = entries[i];
      const [b, q] = entries[j];
      const dx = Math.abs(p.x - q.x) * 2 < (widths.get(a) ?? 0) + (widths.get(b) ?? 0);
      const dy = Math.abs(p.y - q.y) < NODE_HEIGHT;
      if (dx && dy) {
        found.push(`${a}/${b}`);
      }
    }
  }
  return found;
}

describe('the layered layout', () => {
  it('flows left to right: each node right of what it needs', () => {
    const layout = sugiyamaLayout(chain(5));
    for (let i = 1; i < 5; i++) {
      expect(layout.positions[`n${i}`].x).toBeGreaterThan(layout.positions[`n${i - 1}`].x);
    }
  });

  it('flows top to bottom when asked', () => {
    const layout = sugiyamaLayout(chain(3, 'TB'));
    expect(layout.positions.n2.y).toBeGreaterThan(layout.positions.n1.y);
  });

  it('places nodes without overlaps, and copes with a cycle', () => {
    const input: LayoutInput = {
      nodes: ['a', 'b', 'c', 'd', 'e'].map(name => ({ name, width: 120 })),
      edges: [['a', 'b'], ['b', 'c'], ['c', 'a'], ['a', 'd'], ['a', 'e']],
      orientation: 'LR'
    };
    const layout = sugiyamaLayout(input);
    expect(Object.keys(layout.positions).sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(overlaps(layout, new Map(input.nodes.map(n => [n.name, n.width])))).toEqual([]);
  });
});

describe('a layout for a narrow panel', () => {
  it('wraps a layer wider than the room onto several rows, every box within the room', () => {
    const input: LayoutInput = {
      nodes: ['src', 'a', 'b', 'c', 'd', 'e'].map(name => ({ name, width: 100 })),
      edges: ['a', 'b', 'c', 'd', 'e'].map(n => ['src', n] as [string, string]),
      orientation: 'TB',
      maxAcross: 230
    };
    const layout = sugiyamaLayout(input);
    const rows = new Set(['a', 'b', 'c', 'd', 'e'].map(n => layout.positions[n].y));
    expect(rows.size).toBe(3); // two per row
    for (const p of Object.values(layout.positions)) {
      expect(p.x - 50).toBeGreaterThanOrEqual(0);
      expect(p.x + 50).toBeLessThanOrEqual(230);
    }
    expect(overlaps(layout, new Map(input.nodes.map(n => [n.name, n.width])))).toEqual([]);
    // Still a flow: the source above everything it feeds.
    expect(Math.min(...['a', 'b', 'c', 'd', 'e'].map(n => layout.positions[n].y))).toBeGreaterThan(layout.positions.src.y);
  });
});

describe('keeping the layout still while typing', () => {
  it('keeps every existing node in place when one is added', () => {
    const before = sugiyamaLayout(chain(6));
    const input = chain(6);
    input.nodes.push({ name: 'extra', width: 100 });
    input.edges.push(['n2', 'extra']);
    const after = extendLayout(before, input);
    expect(after).toBeDefined();
    for (let i = 0; i < 6; i++) {
      expect(after?.positions[`n${i}`]).toEqual(before.positions[`n${i}`]);
    }
    // The new node goes right of its producer, without covering anything.
    expect(after?.positions.extra.x).toBeGreaterThan(before.positions.n2.x);
    expect(overlaps(after as NonNullable<typeof after>, new Map([...input.nodes.map(n => [n.name, n.width] as [string, number])]))).toEqual([]);
  });

  it('keeps the rest in place when a node goes', () => {
    const before = sugiyamaLayout(chain(4));
    const after = extendLayout(before, chain(3));
    expect(after?.positions).toEqual({ n0: before.positions.n0, n1: before.positions.n1, n2: before.positions.n2 });
  });

  it('asks for a full layout when most of the graph is new, or the orientation changed', () => {
    expect(extendLayout(sugiyamaLayout(chain(3)), chain(20))).toBeUndefined();
    expect(extendLayout(sugiyamaLayout(chain(3)), chain(3, 'TB'))).toBeUndefined();
    expect(extendLayout(undefined, chain(3))).toBeUndefined();
  });
});

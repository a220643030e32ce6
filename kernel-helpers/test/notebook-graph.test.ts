import type { GraphSnapshot } from '../src/graph';
import { NotebookGraph } from '../src/notebook';

const edges = (graph: GraphSnapshot) => graph.edges.map(e => `${e.from}->${e.to}`).sort();

describe('NotebookGraph: the graph of a notebook as its cells change', () => {
  it('shows a function typed in a new cell, with its inputs', () => {
    const graph = new NotebookGraph();
    expect(graph.setCell('c1', 'function spend(raw_spend: number[]): number[] { return raw_spend; }')).toBe(true);
    const snapshot = graph.snapshot();
    expect(snapshot.nodes.get('spend')).toMatchObject({ kind: 'function', type: 'number[]' });
    expect(snapshot.nodes.get('raw_spend')).toMatchObject({ kind: 'input', type: 'number[]' });
  });

  it('moves an edge when a parameter is renamed', () => {
    const graph = new NotebookGraph();
    graph.setCell('c1', 'function a(x: number) { return x; }\nfunction b(y: number) { return y; }');
    graph.setCell('c2', 'function total(a: number) { return a; }');
    expect(edges(graph.snapshot())).toContain('a->total');
    graph.setCell('c2', 'function total(b: number) { return b; }');
    expect(edges(graph.snapshot())).toContain('b->total');
    expect(edges(graph.snapshot())).not.toContain('a->total');
  });

  it('keeps the rest of the graph when a cell does not parse, and shows its problem', () => {
    const graph = new NotebookGraph();
    graph.setCell('c1', 'function a(x: number) { return x; }');
    graph.setCell('c2', 'function b(a: number) { return a + ; }');
    expect(graph.snapshot().nodes.get('a')?.kind).toBe('function');
    expect(graph.analysis('c2')?.diagnostics[0]).toMatchObject({ severity: 'error' });
  });

  it('keeps the same snapshot when only comments or exploration change', () => {
    const graph = new NotebookGraph();
    graph.setCell('c1', 'function a(x: number) { return x; }\nconsole.log(1);');
    const before = graph.snapshot();
    expect(graph.setCell('c1', 'function a(x: number) { return x; }\nconsole.log(2); // more')).toBe(false);
    expect(graph.snapshot()).toBe(before);
  });

  it('gives a new version to a function whose body changed', () => {
    const graph = new NotebookGraph();
    graph.setCell('c1', 'function a(x: number) { return x; }');
    const before = graph.snapshot().nodes.get('a')?.hash;
    graph.setCell('c1', 'function a(x: number) { return x + 1; }');
    expect(graph.snapshot().nodes.get('a')?.hash).not.toBe(before);
  });

  it('reports a name defined in two cells with both cells; the later one wins as in the kernel', () => {
    const graph = new NotebookGraph();
    graph.setCell('c1', 'function spend(a: number) { return a; }');
    graph.setCell('c2', 'const other = 1;');
    graph.setCell('c3', 'function spend(b: number) { return b; }');
    const snapshot = graph.snapshot();
    expect(snapshot.nodes.get('spend')?.dependencies.map(d => d.name)).toEqual(['b']);
    expect(snapshot.nodes.get('spend')?.origins.map(o => [o.cellId, o.cellIndex])).toEqual([
      ['c1', 1],
      ['c3', 3]
    ]);
    const duplicate = snapshot.problems.find(p => p.code === 'DUPLICATE_NODE');
    expect(duplicate?.message).toBe(
      'spend is defined 2 times (cell 1, line 1, cell 3, line 1); the last definition is used. Rename or delete the others.'
    );
    graph.removeCell('c1');
    expect(graph.snapshot().problems).toEqual([]);
  });

  it('follows the notebook order: moving a cell changes which definition wins', () => {
    const graph = new NotebookGraph();
    graph.setCell('c1', 'function spend(a: number) { return a; }');
    graph.setCell('c2', 'function spend(b: number) { return b; }');
    expect(graph.snapshot().nodes.get('spend')?.dependencies[0].name).toBe('b');
    expect(graph.setOrder(['c2', 'c1'])).toBe(true);
    expect(graph.snapshot().nodes.get('spend')?.dependencies[0].name).toBe('a');
    expect(graph.setOrder(['c2', 'c1'])).toBe(false);
  });

  it("judges edge types through the notebook's own aliases and interfaces, and again when they change", () => {
    const graph = new NotebookGraph();
    graph.setCell('types', 'type Amount = number;');
    graph.setCell('c1', 'function amount(): Amount { return 1; }\nfunction doubled(amount: number) { return amount * 2; }');
    expect(graph.snapshot().problems).toEqual([]);
    graph.setCell('types', 'type Amount = string;');
    expect(graph.snapshot().problems.map(p => p.code)).toEqual(['TYPE_MISMATCH']);
    expect(graph.snapshot().edges.find(e => e.to === 'doubled')?.typeMismatch).toBe(true);
  });

  it('makes config keys nodes, and updates when config changes', () => {
    const graph = new NotebookGraph({ config: { region: 'US' } });
    graph.setCell('c1', 'function report(region: string, rows: number[]) { return region; }');
    expect(graph.snapshot().nodes.get('region')?.kind).toBe('config');
    graph.setConfig({});
    expect(graph.snapshot().nodes.get('region')?.kind).toBe('input');
  });

  it('reports a cycle created by an edit, and clears it when the edit is undone', () => {
    const graph = new NotebookGraph();
    graph.setCell('c1', 'function a(b: number) { return b; }');
    graph.setCell('c2', 'function b(x: number) { return x; }');
    expect(graph.snapshot().problems).toEqual([]);
    graph.setCell('c2', 'function b(a: number) { return a; }');
    expect(graph.snapshot().problems.map(p => [p.code, p.nodes])).toEqual([['CYCLE', ['a', 'b']]]);
    graph.setCell('c2', 'function b(x: number) { return x; }');
    expect(graph.snapshot().problems).toEqual([]);
  });
});

/**
 * The incremental graph must always equal a graph built from scratch from the
 * same cells. Random notebooks and random edits, from a seeded generator so a
 * failure can be replayed.
 */
describe('NotebookGraph: after any edits, the same graph as reading the notebook afresh', () => {
  const NAMES = ['a', 'b', 'c', 'd', 'e', 'f', 'raw', 'cfg'];
  const TYPES = ['number', 'string', 'number[]', 'Amount', undefined];

  function random(seed: number) {
    let state = seed;
    return () => {
      state = (state * 1103515245 + 12345) & 0x7fffffff;
      return state / 0x7fffffff;
    };
  }

  function makeCell(rnd: () => number): string {
    const pick = <T>(list: readonly T[]) => list[Math.floor(rnd() * list.length)];
    const lines: string[] = [];
    const count = Math.floor(rnd() * 3);
    for (let i = 0; i < count; i++) {
      const name = pick(NAMES.slice(0, 6));
      const params = NAMES.filter(() => rnd() < 0.25).map(p => {
        const type = pick(TYPES);
        return `${p}${rnd() < 0.2 ? '?' : ''}${type ? `: ${type}` : ''}`;
      });
      const ret = pick(TYPES);
      lines.push(`function ${name}(${params.join(', ')})${ret ? `: ${ret}` : ''} { return ${Math.floor(rnd() * 9)} as any; }`);
    }
    if (rnd() < 0.2) {
      lines.push(`type Amount = ${pick(['number', 'string'])};`);
    }
    if (rnd() < 0.1) {
      lines.push('function broken(');
    }
    return lines.join('\n');
  }

  /** A graph made at once from the notebook as it is now, as when a notebook is opened. */
  function fromScratch(cells: Map<string, string>, order: string[], config: Record<string, unknown>) {
    const graph = new NotebookGraph({ config });
    graph.setOrder(order);
    for (const id of order) {
      const source = cells.get(id);
      if (source !== undefined) {
        graph.setCell(id, source);
      }
    }
    return graph.snapshot();
  }

  function normal(graph: GraphSnapshot) {
    return {
      nodes: [...graph.nodes.values()]
        .map(({ fn: _fn, ...node }) => ({ ...node, type: node.type ?? undefined }))
        .sort((x, y) => (x.name < y.name ? -1 : 1)),
      edges: [...graph.edges].sort((x, y) => (`${x.from}>${x.to}` < `${y.from}>${y.to}` ? -1 : 1)),
      problems: [...graph.problems].sort((x, y) => (x.message < y.message ? -1 : 1))
    };
  }

  it.each(Array.from({ length: 24 }, (_, i) => i + 1))('random edit sequence %i', seed => {
    const rnd = random(seed);
    const graph = new NotebookGraph();
    const cells = new Map<string, string>();
    // Every cell of the notebook, markdown ones (never given a source) included.
    let order: string[] = [];
    let config: Record<string, unknown> = {};
    const at = () => Math.floor(rnd() * (order.length + 1));
    for (let step = 0; step < 120; step++) {
      const roll = rnd();
      if (roll < 0.45 || cells.size === 0) {
        // Type into a cell, or insert a new one somewhere.
        const known = [...cells.keys()];
        const id = known.length < 6 && rnd() < 0.4 ? `cell${step}` : known[Math.floor(rnd() * known.length)] ?? `cell${step}`;
        const source = makeCell(rnd);
        if (!order.includes(id)) {
          order.splice(at(), 0, id);
          graph.setOrder(order);
        }
        cells.set(id, source);
        graph.setCell(id, source);
      } else if (roll < 0.55) {
        // A markdown cell, or a code cell turned into markdown.
        const id = rnd() < 0.5 ? `md${step}` : order[Math.floor(rnd() * order.length)];
        if (!order.includes(id)) {
          order.splice(at(), 0, id);
        }
        cells.delete(id);
        graph.removeCell(id);
        graph.setOrder(order);
      } else if (roll < 0.65) {
        // Delete or cut a cell.
        const id = order[Math.floor(rnd() * order.length)];
        cells.delete(id);
        order = order.filter(x => x !== id);
        graph.setOrder(order);
      } else if (roll < 0.75) {
        // Paste a cut cell back elsewhere, under a new id, as JupyterLab does.
        const id = [...cells.keys()][Math.floor(rnd() * cells.size)];
        const source = cells.get(id) as string;
        cells.delete(id);
        order = order.filter(x => x !== id);
        const pasted = `pasted${step}`;
        order.splice(at(), 0, pasted);
        cells.set(pasted, source);
        graph.setOrder(order);
        graph.setCell(pasted, source);
      } else if (roll < 0.88) {
        // Move a cell up or down.
        const from = Math.floor(rnd() * order.length);
        const [id] = order.splice(from, 1);
        order.splice(at(), 0, id);
        graph.setOrder(order);
      } else {
        config = rnd() < 0.5 ? {} : { cfg: 1, ...(rnd() < 0.5 ? { a: 'x' } : {}) };
        graph.setConfig(config);
      }
      if (rnd() < 0.5 || step === 119) {
        expect(normal(graph.snapshot())).toEqual(normal(fromScratch(cells, order, config)));
      }
    }
  });
});

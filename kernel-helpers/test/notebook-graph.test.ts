import type { GraphSnapshot } from '../src/graph';
import { indexOf } from '../src/graph/indexed';
import * as build from '../src/graph/build';
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

  it('a body edit gives the node its new version and doc and keeps every edge and problem as it was', () => {
    const graph = new NotebookGraph();
    graph.setCell('c1', 'function a(x: number): number { return x; }');
    graph.setCell('c1b', 'function b(a: number, y: string): number { return a; }');
    graph.setCell('c2', '/** Total. */\nfunction total(a: number, b: string): number { return a; }');
    const before = graph.snapshot();
    const edgesBefore = before.edges.map(e => ({ ...e }));
    const problemsBefore = before.problems.map(p => p.message);
    expect(problemsBefore.some(p => /total/.test(p))).toBe(true); // b is a number, total declares a string
    graph.setCell('c1', 'function a(x: number): number { return x * 2; }');
    const after = graph.snapshot();
    expect(after).not.toBe(before);
    expect(after.nodes.get('a')?.hash).not.toBe(before.nodes.get('a')?.hash);
    expect(after.nodes.get('a')?.dependents).toEqual(['b', 'total']);
    expect(after.edges).toEqual(edgesBefore);
    expect(after.problems.map(p => p.message)).toEqual(problemsBefore);
    // The node named in a problem: its edit builds again, and the problem's places follow the new text.
    graph.setCell('c2', '\n\n/** The total. */\nfunction total(a: number, b: string): number { return a + 1; }');
    const moved = graph.snapshot();
    expect(moved.nodes.get('total')?.doc).toBe('The total.');
    const line = (graph: GraphSnapshot) => graph.problems.find(p => /total/.test(p.message))?.origins.find(o => o.cellId === 'c2')?.range?.line;
    expect(line(moved)).toBe((line(after) as number) + 2);
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

  /**
   * A cell of wrapped and plain functions whose wiring is fixed by `shape`
   * (names, parameters, types) and whose bodies, docs, tags and check
   * bounds vary with `rnd`: edits between two such cells change only what
   * the nodes carry, unless `shape` changes too.
   */
  function bodyCell(rnd: () => number, shape: number): string {
    const n = () => Math.floor(rnd() * 9);
    const wrapped = [
      `export const w${shape} = tag({ owner: "o${n()}" }, (a: number): number => a * ${n()});`,
      `export const v${shape}__on = config.when({ cfg: 1 }, (b: number): number => b + ${n()});`,
      `export const k${shape} = checkOutput({ range: [0, ${n() + 10}] }, (w${shape}: number): number => w${shape} - ${n()});`
    ];
    const plain = `/** Step ${n()}${rnd() < 0.5 ? ' of the flow' : ''}. */\nfunction p${shape}(a: number, raw?: string): number {\n  ${rnd() < 0.5 ? `const t = ${n()};\n  ` : ''}return a + ${n()};\n}`;
    return [plain, ...wrapped.filter((_, i) => (shape + i) % 2 === 0 || rnd() < 0.5)].join('\n');
  }

  it.each(Array.from({ length: 12 }, (_, i) => i + 1))('random body, doc and modifier-argument edits %i, the graph read between them', seed => {
    const rnd = random(seed * 7919);
    const graph = new NotebookGraph({ config: { cfg: 1 } });
    const cells = new Map<string, string>();
    const order = ['imports', 'c0', 'c1', 'c2', 'c3', 'c4', 'c5'];
    cells.set('imports', 'import { checkOutput, config, tag } from "dagcells";');
    order.slice(1).forEach((id, i) => cells.set(id, bodyCell(rnd, i % 4)));
    graph.setOrder(order);
    order.forEach(id => graph.setCell(id, cells.get(id) as string));
    for (let step = 0; step < 80; step++) {
      const id = order[1 + Math.floor(rnd() * (order.length - 1))];
      // Mostly the same wiring with another body; sometimes another wiring (two cells may then define one name).
      const shape = rnd() < 0.85 ? Number(id.slice(1)) % 4 : Math.floor(rnd() * 6);
      const source = bodyCell(rnd, shape);
      cells.set(id, source);
      graph.setCell(id, source);
      const roll = rnd();
      if (roll < 0.3) {
        // What the panel reads after an update: the nodes and edges, before the next edit comes.
        expect(graph.snapshot().nodes.size).toBeGreaterThan(0);
        expect(graph.snapshot().edges.length).toBeGreaterThan(0);
      } else if (roll < 0.6) {
        // A snapshot taken and not read (its nodes are made only when first read).
        graph.snapshot();
      }
      if (rnd() < 0.5 || step === 79) {
        expect(normal(graph.snapshot())).toEqual(normal(fromScratch(cells, order, { cfg: 1 })));
      }
    }
  });

  it('puts edits of wrapped functions in place after an edit that changed only exploration lines', () => {
    const built = jest.spyOn(build, 'buildGraph');
    try {
      const graph = new NotebookGraph({ config: { cfg: 1 } });
      graph.setCell('c0', 'import { config, tag } from "dagcells";');
      graph.setCell('c1', 'const w = tag({ owner: "a" }, (raw: number): number => raw * 2);\nconsole.log(1);');
      graph.setCell('c2', 'function total(w: number): number { return w; }');
      const before = graph.snapshot();
      const edges = before.edges;
      built.mockClear();
      expect(graph.setCell('c1', 'const w = tag({ owner: "a" }, (raw: number): number => raw * 2);\nconsole.log(2);')).toBe(false);
      graph.setCell('c1', 'const w = tag({ owner: "a" }, (raw: number): number => raw * 3);\nconsole.log(2);');
      const after = graph.snapshot();
      expect(after.nodes.get('w')?.hash).not.toBe(before.nodes.get('w')?.hash);
      expect(after.edges).toBe(edges); // the edges as they were: not built again
      expect(built).not.toHaveBeenCalled();
    } finally {
      built.mockRestore();
    }
  });

  it('adds a function after a config variant in place, chosen or not, and keeps an edited unchosen variant drawn', () => {
    const built = jest.spyOn(build, 'buildGraph');
    try {
      const cells = new Map([
        ['c0', 'import { config } from "dagcells";'],
        ['c1', 'const spend__us = config.when({ region: "US" }, (raw: number[]): number => raw.length);\nconst spend__eu = config.when({ region: "EU" }, (raw: number[]): number => 0);']
      ]);
      const order = ['c0', 'c1'];
      const graph = new NotebookGraph({ config: { region: 'US' } });
      order.forEach(id => graph.setCell(id, cells.get(id) as string));
      graph.snapshot();
      let rebuilt = 0; // builds of the graph under edit, not of the fresh ones it is compared with
      const edit = (source: string) => {
        cells.set('c1', source);
        const calls = built.mock.calls.length;
        graph.setCell('c1', source);
        graph.snapshot();
        graph.unchosenVariants();
        rebuilt += built.mock.calls.length - calls;
        const fresh = new NotebookGraph({ config: { region: 'US' } });
        order.forEach(id => fresh.setCell(id, cells.get(id) as string));
        expect(normal(graph.snapshot())).toEqual(normal(fresh.snapshot()));
        expect(graph.unchosenVariants()).toEqual(fresh.unchosenVariants());
      };
      // After the chosen variant, then after the unchosen one (the last in the cell).
      edit(`${cells.get('c1')?.split('\n')[0]}\nfunction doubled(spend: number): number { return spend * 2; }\n${cells.get('c1')?.split('\n')[1]}`);
      edit(`${cells.get('c1')}\nfunction tripled(spend: number): number { return spend * 3; }`);
      // The unchosen variant's body: it stays dimmed, with its new version.
      const version = graph.unchosenVariants()[0].hash;
      edit((cells.get('c1') as string).replace('=> 0)', '=> 1)'));
      expect(graph.unchosenVariants()[0].hash).not.toBe(version);
      expect(rebuilt).toBe(0);
      // Its parameters renamed: drawn otherwise, so built again, and still right.
      edit((cells.get('c1') as string).replace('(raw: number[]): number => 1', '(other: number[]): number => 1'));
      expect(graph.unchosenVariants()[0].dependencies.map(d => d.name)).toEqual(['other']);
    } finally {
      built.mockRestore();
    }
  });

  it('adds a function after two variants that both apply as a fresh read does (the node stands where the first was defined)', () => {
    const first = 'import { config } from "dagcells";\nconst spend__us = config.when({ region: "US" }, (raw: number[]): number => 1);\nfunction mid(spend: number): number { return spend; }';
    const second = 'const spend__any = config.whenNot({ region: "EU" }, (raw: number[]): number => 2);';
    const graph = new NotebookGraph({ config: { region: 'US' } });
    graph.setCell('c1', first);
    graph.setCell('c2', second);
    expect(graph.snapshot().problems.map(p => p.code)).toContain('DUPLICATE_NODE');
    graph.setCell('c2', `${second}\nfunction after(spend: number, mid: number): number { return spend + mid; }`);
    const fresh = new NotebookGraph({ config: { region: 'US' } });
    fresh.setCell('c1', first);
    fresh.setCell('c2', `${second}\nfunction after(spend: number, mid: number): number { return spend + mid; }`);
    expect([...graph.snapshot().nodes.keys()]).toEqual([...fresh.snapshot().nodes.keys()]);
    expect(normal(graph.snapshot())).toEqual(normal(fresh.snapshot()));
  });

  it('adds a function reading an input in place when it declares the input as before, and as a fresh read does when it clashes', () => {
    const built = jest.spyOn(build, 'buildGraph');
    try {
      const first = 'function a(raw: number): number { return raw; }';
      const graph = new NotebookGraph();
      graph.setCell('c1', first);
      graph.setCell('c2', 'function b(a: number): number { return a; }');
      graph.snapshot();
      const calls = built.mock.calls.length;
      graph.setCell('c1', `${first}\nfunction c(raw: number, a: number): number { return raw + a; }`);
      expect(graph.snapshot().nodes.get('c')?.dependencies.map(d => d.name)).toEqual(['raw', 'a']);
      expect(built.mock.calls.length).toBe(calls); // in place
      const clashing = `${first}\nfunction c(raw: number, a: number): number { return raw + a; }\nfunction d(raw: string): string { return raw; }`;
      graph.setCell('c1', clashing);
      const fresh = new NotebookGraph();
      fresh.setCell('c1', clashing);
      fresh.setCell('c2', 'function b(a: number): number { return a; }');
      expect(fresh.snapshot().problems.some(p => /raw/.test(p.message))).toBe(true);
      expect(normal(graph.snapshot())).toEqual(normal(fresh.snapshot()));
    } finally {
      built.mockRestore();
    }
  });

  it.each(Array.from({ length: 16 }, (_, i) => i + 1))('random renames and new functions %i, as people type them', seed => {
    const rnd = random(seed * 104729);
    type Fn = { name: string; params: { name: string; type?: string }[]; body: number };
    const TYPES = ['number', 'number', 'string', undefined];
    const made: Fn[] = [];
    const text = (fn: Fn) => `function ${fn.name}(${fn.params.map(p => `${p.name}${p.type ? `: ${p.type}` : ''}`).join(', ')}): number {\n  return ${fn.body};\n}`;
    const cells = new Map<string, Fn[]>();
    const order: string[] = [];
    let counter = 0;
    const newFn = (): Fn => {
      const params: Fn['params'] = [];
      for (let i = 0; i < 1 + Math.floor(rnd() * 3); i++) {
        const useInput = made.length === 0 || rnd() < 0.2;
        const name = useInput ? ['raw', 'other', 'config'][Math.floor(rnd() * 3)] : made[Math.floor(rnd() * made.length)].name;
        if (!params.some(p => p.name === name)) {
          params.push({ name, type: useInput ? (rnd() < 0.8 ? 'number' : undefined) : TYPES[Math.floor(rnd() * TYPES.length)] });
        }
      }
      const fn = { name: `f${counter++}`, params, body: Math.floor(rnd() * 9) };
      made.push(fn);
      return fn;
    };
    for (let c = 0; c < 8; c++) {
      const id = `c${c}`;
      order.push(id);
      cells.set(id, Array.from({ length: 1 + Math.floor(rnd() * 3) }, newFn));
    }
    const source = (id: string) => (cells.get(id) as Fn[]).map(text).join('\n');
    const graph = new NotebookGraph();
    graph.setOrder(order);
    order.forEach(id => graph.setCell(id, source(id)));
    graph.snapshot();
    for (let step = 0; step < 100; step++) {
      const id = order[Math.floor(rnd() * order.length)];
      const fns = cells.get(id) as Fn[];
      const roll = rnd();
      if (roll < 0.4 && fns.length > 0) {
        // A parameter now names another function (perhaps a later one: a cycle, or an edge going back up).
        const fn = fns[Math.floor(rnd() * fns.length)];
        const target = made[Math.floor(rnd() * made.length)];
        const param = fn.params[Math.floor(rnd() * fn.params.length)];
        if (param && !fn.params.some(p => p.name === target.name)) {
          param.name = target.name;
          if (rnd() < 0.2) {
            param.type = TYPES[Math.floor(rnd() * TYPES.length)];
          }
        }
      } else if (roll < 0.7) {
        // A function typed into the cell, at its end or between two others.
        fns.splice(Math.floor(rnd() * (fns.length + 1)), 0, newFn());
      } else if (roll < 0.8 && fns.length > 1) {
        fns.splice(Math.floor(rnd() * fns.length), 1); // one deleted
      } else {
        fns.forEach(fn => (fn.body = Math.floor(rnd() * 9)));
      }
      graph.setCell(id, source(id));
      const read = rnd();
      if (read < 0.3) {
        expect(graph.snapshot().nodes.size).toBeGreaterThan(0);
      } else if (read < 0.6) {
        graph.snapshot();
      }
      if (rnd() < 0.5 || step === 99) {
        const sources = new Map(order.map(c => [c, source(c)]));
        expect(normal(graph.snapshot())).toEqual(normal(fromScratch(sources, order, {})));
        // The problems in the order the panel lists them.
        expect(graph.snapshot().problems.map(p => p.message)).toEqual(fromScratch(sources, order, {}).problems.map(p => p.message));
        // What planning reads too: the same order of nodes and the same producers.
        const ours = indexOf(graph.snapshot());
        const theirs = indexOf(fromScratch(sources, order, {}));
        expect([...ours.names]).toEqual([...theirs.names]);
        expect([...ours.producers]).toEqual([...theirs.producers]);
        expect([...ours.optional]).toEqual([...theirs.optional]);
        // The type each parameter declares, which the checks of input values read.
        const declared = (index: typeof ours) => Array.from({ length: index.producers.length }, (_, k) => index.declared?.[k]);
        expect(declared(ours)).toEqual(declared(theirs));
        expect(ours.ordered).toBe(theirs.ordered);
      }
    }
  });

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

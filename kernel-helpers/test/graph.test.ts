import { buildGraph } from '../src/graph';
import type { GraphSnapshot, NodeSpec } from '../src/graph';

/** A spec from a compact description: `fn('c', ['a', 'b?'])`; `name:type` sets a parameter type. */
function fn(name: string, params: string[] = [], extra: Partial<NodeSpec> = {}): NodeSpec {
  return {
    name,
    dependencies: params.map(p => {
      const [base, type] = p.split(':');
      const optional = base.endsWith('?');
      const dep = { name: optional ? base.slice(0, -1) : base, optional };
      return type ? { ...dep, type } : dep;
    }),
    ...extra
  };
}

const kinds = (graph: GraphSnapshot) =>
  Object.fromEntries([...graph.nodes.values()].map(n => [n.name, n.kind]));
const edges = (graph: GraphSnapshot) => graph.edges.map(e => `${e.from}->${e.to}`).sort();
const codes = (graph: GraphSnapshot) => graph.problems.map(p => p.code);

describe('building a graph', () => {
  it('makes a node of each function and an edge of each parameter', () => {
    const graph = buildGraph([fn('spend', ['raw_spend']), fn('spend_mean', ['spend'])]);
    expect(kinds(graph)).toEqual({ spend: 'function', spend_mean: 'function', raw_spend: 'input' });
    expect(edges(graph)).toEqual(['raw_spend->spend', 'spend->spend_mean']);
    expect(graph.nodes.get('spend')?.dependents).toEqual(['spend_mean']);
    expect(graph.problems).toEqual([]);
  });

  it('leaves out functions whose names start with _ (helpers)', () => {
    const graph = buildGraph([fn('_clean', ['x']), fn('total', ['raw'])]);
    expect(kinds(graph)).toEqual({ total: 'function', raw: 'input' });
  });

  it('treats a parameter named like a helper as an external input, since no node produces it', () => {
    const graph = buildGraph([fn('_clean', ['x']), fn('total', ['_clean'])]);
    expect(kinds(graph)).toEqual({ total: 'function', _clean: 'input' });
  });

  it('gives an external input the type its consumers declare', () => {
    const graph = buildGraph([fn('a', ['raw:number[]']), fn('b', ['raw:number[]'])]);
    expect(graph.nodes.get('raw')).toMatchObject({ kind: 'input', type: 'number[]', dependents: ['a', 'b'] });
    expect(graph.problems).toEqual([]);
  });

  it('reports consumers that declare an input with types that cannot agree', () => {
    const graph = buildGraph([fn('a', ['raw:number[]']), fn('b', ['raw:string'])]);
    expect(graph.problems).toEqual([
      expect.objectContaining({
        code: 'TYPE_MISMATCH',
        nodes: ['raw', 'a', 'b'],
        message: 'input raw is declared number[] by a but string by b; one value cannot be both.'
      })
    ]);
    expect(graph.edges.filter(e => e.typeMismatch).map(e => e.to)).toEqual(['a', 'b']);
  });

  it('marks optional dependencies on their edges', () => {
    const graph = buildGraph([fn('f', ['a', 'b?'])]);
    expect(graph.edges.map(e => [e.from, e.optional])).toEqual([
      ['a', false],
      ['b', true]
    ]);
  });

  it('makes a node of each config key, which satisfies a parameter of that name', () => {
    const graph = buildGraph([fn('report', ['region', 'rows'])], { config: { region: 'US', limit: 3 } });
    expect(kinds(graph)).toEqual({ report: 'function', region: 'config', limit: 'config', rows: 'input' });
    expect(graph.nodes.get('region')?.type).toBe('string');
    expect(graph.nodes.get('limit')?.type).toBe('number');
  });

  it('reports a name that is both a function and a config key', () => {
    const graph = buildGraph([fn('region')], { config: { region: 'US' } });
    expect(graph.problems).toEqual([
      expect.objectContaining({ code: 'DUPLICATE_NODE', nodes: ['region'] })
    ]);
  });

  it('checks the producer type against the consumer type on every edge, before anything runs', () => {
    const graph = buildGraph([
      fn('label', ['id'], { type: 'string' }),
      fn('doubled', ['label:number']),
      fn('shown', ['label:string'])
    ]);
    const mismatch = graph.edges.find(e => e.to === 'doubled');
    expect(mismatch).toMatchObject({ producerType: 'string', consumerType: 'number', typeMismatch: true });
    expect(graph.edges.find(e => e.to === 'shown')?.typeMismatch).toBe(false);
    expect(graph.problems).toEqual([
      expect.objectContaining({
        code: 'TYPE_MISMATCH',
        nodes: ['label', 'doubled'],
        message: 'label -> doubled: label returns string but doubled declares its parameter label: number.'
      })
    ]);
  });

  it('uses the type judge it is given', () => {
    const judge = jest.fn(() => false);
    const graph = buildGraph([fn('a', [], { type: 'A' }), fn('b', ['a:B'])], { typesAgree: judge });
    expect(judge).toHaveBeenCalledWith('A', 'B', undefined);
    expect(codes(graph)).toEqual(['TYPE_MISMATCH']);
  });

  it('names every node of a cycle, in the order data flows', () => {
    const graph = buildGraph([fn('a', ['c', 'start']), fn('b', ['a']), fn('c', ['b']), fn('healthy', ['start'])]);
    const cycle = graph.problems.find(p => p.code === 'CYCLE');
    expect(cycle?.nodes).toEqual(['a', 'b', 'c']);
    expect(cycle?.message).toBe('cycle: a -> b -> c -> a; a node cannot depend on itself, directly or not.');
  });

  it('finds a node that depends on itself, and separate cycles separately', () => {
    const graph = buildGraph([fn('self', ['self']), fn('x', ['y']), fn('y', ['x'])]);
    expect(graph.problems.filter(p => p.code === 'CYCLE').map(p => p.nodes).sort()).toEqual([['self'], ['x', 'y']]);
  });

  it('finds cycles in very deep graphs without overflowing the stack', () => {
    const specs = Array.from({ length: 50_000 }, (_, i) => fn(`n${i}`, [`n${(i + 1) % 50_000}`]));
    const graph = buildGraph(specs);
    expect(graph.problems).toHaveLength(1);
    expect(graph.problems[0].nodes).toHaveLength(50_000);
  });

  it('reports a name defined twice with both places, and uses the last definition', () => {
    const first = { cellId: 'c1', cellIndex: 1, range: { start: 0, end: 9, line: 1, column: 1, endLine: 1 } };
    const second = { cellId: 'c4', cellIndex: 4, range: { start: 0, end: 9, line: 3, column: 1, endLine: 3 } };
    const graph = buildGraph([fn('spend', ['a'], { origin: first }), fn('spend', ['b'], { origin: second })]);
    expect(graph.nodes.get('spend')?.dependencies.map(d => d.name)).toEqual(['b']);
    expect(graph.nodes.get('spend')?.origins).toEqual([first, second]);
    expect(graph.problems).toEqual([
      expect.objectContaining({
        code: 'DUPLICATE_NODE',
        nodes: ['spend'],
        origins: [first, second],
        message: 'spend is defined 2 times (cell 1, line 1, cell 4, line 3); the last definition is used. Rename or delete the others.'
      })
    ]);
  });

  it('keeps an invalid function in the graph with its problem, and the rest working', () => {
    const graph = buildGraph([
      fn('bad', [], { invalid: 'bad: the rest parameter ...xs cannot name a dependency.' }),
      fn('good', ['x'])
    ]);
    expect(graph.nodes.get('bad')?.kind).toBe('function');
    expect(graph.problems).toEqual([
      expect.objectContaining({ code: 'INVALID_FUNCTION', nodes: ['bad'] })
    ]);
    expect(edges(graph)).toEqual(['x->good']);
  });

  it('never throws, whatever it is given', () => {
    expect(() => buildGraph([])).not.toThrow();
    expect(() => buildGraph([fn(''), fn('a', ['', 'a', 'a'])])).not.toThrow();
  });
});

import { readFileSync } from 'fs';
import { join } from 'path';

import { DagError, Driver } from '../src';
import type { ExecutionEvent } from '../src';
import * as cyclic from './fixtures/cyclic_functions';
import * as helloWorld from './fixtures/hello_world';
import * as invalid from './fixtures/invalid_functions';
import * as mismatched from './fixtures/mismatched_types';

const fixture = (name: string) => join(__dirname, 'fixtures', name);
const source = (name: string) => readFileSync(fixture(name), 'utf8');

/** The error a promise rejects with (fails the test if it resolves). */
async function rejection(promise: Promise<unknown>): Promise<DagError> {
  try {
    await promise;
  } catch (error) {
    return error as DagError;
  }
  throw new Error('expected a rejection');
}

function thrown(run: () => unknown): DagError {
  try {
    run();
  } catch (error) {
    return error as DagError;
  }
  throw new Error('expected an error');
}

/** Functions that count their calls. */
function counted() {
  const calls: string[] = [];
  const fns = {
    a: (raw: number) => (calls.push('a'), raw + 1),
    b: (a: number) => (calls.push('b'), a * 2),
    c: (a: number) => (calls.push('c'), a * 3),
    d: (b: number, c: number) => (calls.push('d'), b + c),
    unrelated: (other: number) => (calls.push('unrelated'), other)
  };
  return { calls, fns };
}

describe('Driver.execute', () => {
  it('computes the requested outputs and only what they need, each node once', async () => {
    const { calls, fns } = counted();
    const dr = Driver.fromFunctions(fns);
    await expect(dr.execute(['d', 'b'], { inputs: { raw: 1 } })).resolves.toEqual({ d: 10, b: 4 });
    expect(calls.sort()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('accepts a single output name', async () => {
    const { fns } = counted();
    await expect(Driver.fromFunctions(fns).execute('a', { inputs: { raw: 1 } })).resolves.toEqual({ a: 2 });
  });

  it('replaces a node by an override and skips what only it needed', async () => {
    const { calls, fns } = counted();
    const out = await Driver.fromFunctions(fns).execute(['d'], { overrides: { a: 10 } });
    expect(out).toEqual({ d: 50 });
    expect(calls).not.toContain('a');
  });

  it('returns inputs, config and overrides when they are asked for', async () => {
    const dr = Driver.fromFunctions({ f: (x: number) => x }, { config: { region: 'US' } });
    await expect(dr.execute(['x', 'region', 'f'], { inputs: { x: 3 } })).resolves.toEqual({ x: 3, region: 'US', f: 3 });
  });

  it('passes config values to parameters of the same name', async () => {
    const dr = Driver.fromFunctions({ greeting: (region: string) => `hello ${region}` }, { config: { region: 'EU' } });
    await expect(dr.execute(['greeting'])).resolves.toEqual({ greeting: 'hello EU' });
  });

  it('passes an optional dependency when it is available and omits it otherwise', async () => {
    const fns = {
      scaled: (value: number, factor = 10) => value * factor,
      factor_from_node: (scaled: number, bonus?: number) => scaled + (bonus ?? 0)
    };
    const dr = Driver.fromFunctions(fns);
    await expect(dr.execute(['scaled'], { inputs: { value: 2 } })).resolves.toEqual({ scaled: 20 });
    await expect(dr.execute(['scaled'], { inputs: { value: 2, factor: 3 } })).resolves.toEqual({ scaled: 6 });
    await expect(dr.execute(['factor_from_node'], { inputs: { value: 1, bonus: 5 } })).resolves.toEqual({
      factor_from_node: 15
    });
  });

  it('runs independent async nodes at the same time', async () => {
    let running = 0;
    let most = 0;
    const slow = (name: string) => async (source: number) => {
      running++;
      most = Math.max(most, running);
      await new Promise(resolve => setTimeout(resolve, 20));
      running--;
      return `${name}${source}`;
    };
    const dr = Driver.fromFunctions({
      left: slow('l'),
      middle: slow('m'),
      right: slow('r'),
      joined: (left: string, middle: string, right: string) => [left, middle, right].join()
    });
    // The arrows above all read `source`; their keys are the node names.
    await expect(dr.execute(['joined'], { inputs: { source: 1 } })).resolves.toEqual({ joined: 'l1,m1,r1' });
    expect(most).toBe(3);
  });

  it('reports progress: each node starts, then finishes with its value and time', async () => {
    const events: ExecutionEvent[] = [];
    const dr = Driver.fromFunctions({ a: (raw: number) => raw + 1, b: async (a: number) => a * 2 });
    await dr.execute(['b'], { inputs: { raw: 1 }, onEvent: e => events.push(e) });
    expect(events.map(e => `${e.type} ${e.node}`)).toEqual([
      'node-started a',
      'node-finished a',
      'node-started b',
      'node-finished b'
    ]);
    const last = events[3] as Extract<ExecutionEvent, { type: 'node-finished' }>;
    expect(last.value).toBe(4);
    expect(last.ms).toBeGreaterThanOrEqual(0);
  });

  it('reports a throwing node as NODE_FAILED, naming it and keeping the error as cause', async () => {
    const boom = new RangeError('no signups in week 3');
    const events: ExecutionEvent[] = [];
    const dr = Driver.fromFunctions({
      a: (raw: number) => raw,
      per_signup: (a: number) => {
        throw boom;
      }
    });
    const error = await rejection(dr.execute(['per_signup'], { inputs: { raw: 1 }, onEvent: e => events.push(e) }));
    expect(error).toBeInstanceOf(DagError);
    expect(error.code).toBe('NODE_FAILED');
    expect(error.nodes).toEqual(['per_signup']);
    expect(error.message).toBe('per_signup failed: no signups in week 3');
    expect((error as Error & { cause?: unknown }).cause).toBe(boom);
    expect(events.map(e => `${e.type} ${e.node}`)).toContain('node-failed per_signup');
  });

  it('reports a rejecting async node as NODE_FAILED too', async () => {
    const dr = Driver.fromFunctions({ fetched: async (url: string) => Promise.reject(new Error(`404 for ${url}`)) });
    const error = await rejection(dr.execute(['fetched'], { inputs: { url: 'x' } }));
    expect([error.code, error.message]).toEqual(['NODE_FAILED', 'fetched failed: 404 for x']);
  });

  it('names every missing input at once, before any node runs', async () => {
    const { calls, fns } = counted();
    const dr = Driver.fromFunctions({ ...fns, e: (d: number, extra: number) => d + extra });
    const error = await rejection(dr.execute(['e', 'unrelated']));
    expect(error.code).toBe('MISSING_INPUTS');
    expect(error.nodes).toEqual(['extra', 'other', 'raw']);
    expect(error.message).toBe(
      'missing inputs: extra (needed by e), other (needed by unrelated), raw (needed by a). Pass them in inputs.'
    );
    expect(calls).toEqual([]);
  });

  it('mentions inputs that were given but are used by no node, a likely typo', async () => {
    const { fns } = counted();
    const error = await rejection(Driver.fromFunctions(fns).execute(['a'], { inputs: { rwa: 1 } }));
    expect(error.message).toMatch(/Inputs given but not used by any node: rwa\./);
  });

  it('reports outputs that are not nodes, with a suggestion', async () => {
    const { fns } = counted();
    const error = await rejection(Driver.fromFunctions(fns).execute(['dd', 'zzz'], { inputs: { raw: 1 } }));
    expect(error.code).toBe('UNKNOWN_NODE');
    expect(error.problems.map(p => p.message)).toEqual([
      "'dd' is not a node of this dataflow. Did you mean 'd'?",
      "'zzz' is not a node of this dataflow."
    ]);
  });

  it('lists problems of different kinds together, each with its code', async () => {
    const dr = Driver.fromModule(cyclic);
    const error = await rejection(dr.execute(['a', 'nope']));
    expect(error.problems.map(p => p.code).sort()).toEqual(['CYCLE', 'MISSING_INPUTS', 'UNKNOWN_NODE']);
    expect(error.message).toMatch(/^3 problems:/);
  });

  it('refuses to run a cycle, naming all of it, but runs the healthy part', async () => {
    const dr = Driver.fromModule(cyclic);
    const error = await rejection(dr.execute(['b'], { inputs: { start: 1 } }));
    expect(error.code).toBe('CYCLE');
    expect(error.nodes).toEqual(['a', 'b', 'c']);
    await expect(dr.execute(['healthy'], { inputs: { start: 1 } })).resolves.toEqual({ healthy: 2 });
  });

  it('refuses destructured and rest parameters for those functions only', async () => {
    const dr = Driver.fromModule(invalid);
    const error = await rejection(dr.execute(['from_object'], { inputs: {} }));
    expect(error.code).toBe('INVALID_FUNCTION');
    expect(error.message).toMatch(/^from_object: the destructured parameter '\{ a, b \}' cannot name a dependency/);
    const rest = await rejection(dr.execute(['from_rest']));
    expect(rest.message).toMatch(/^from_rest: the rest parameter '\.\.\.values' cannot name a dependency/);
    await expect(dr.execute(['also_fine'], { inputs: { x: 1 } })).resolves.toEqual({ also_fine: 4 });
  });

  it('refuses a type mismatch on an edge when the source is known, before running', async () => {
    const dr = Driver.fromModule(mismatched, { source: source('mismatched_types.ts'), file: 'mismatched_types.ts' });
    const error = await rejection(dr.execute(['doubled'], { inputs: { id: 1 } }));
    expect(error.code).toBe('TYPE_MISMATCH');
    expect(error.message).toBe('label -> doubled: label returns string but doubled declares its parameter label: number.');
    await expect(dr.execute(['ok'], { inputs: { id: 1 } })).resolves.toEqual({ ok: 1 });
  });

  it('refuses an input value that cannot be of its declared type', async () => {
    const dr = Driver.fromModule(helloWorld, { source: source('hello_world.ts') });
    const error = await rejection(dr.execute(['spend_mean'], { inputs: { raw_spend: '10,20' } }));
    expect(error.code).toBe('TYPE_MISMATCH');
    expect(error.message).toBe('input raw_spend: spend declares raw_spend: number[], but the value given is a string ("10,20").');
  });

  it('stops before the next node when aborted', async () => {
    const controller = new AbortController();
    const calls: string[] = [];
    const dr = Driver.fromFunctions({
      first: async (raw: number) => {
        calls.push('first');
        controller.abort(new Error('stopped by the user'));
        return raw;
      },
      second: (first: number) => (calls.push('second'), first)
    });
    await expect(dr.execute(['second'], { inputs: { raw: 1 }, signal: controller.signal })).rejects.toThrow(
      'stopped by the user'
    );
    expect(calls).toEqual(['first']);
  });
});

describe('Driver.validateExecution', () => {
  it('throws what execute would, and runs nothing', () => {
    const { calls, fns } = counted();
    const dr = Driver.fromFunctions(fns);
    expect(thrown(() => dr.validateExecution(['d'])).code).toBe('MISSING_INPUTS');
    expect(() => dr.validateExecution(['d'], { inputs: { raw: 1 } })).not.toThrow();
    expect(calls).toEqual([]);
  });
});

describe('building a Driver', () => {
  it('takes the exported functions of a module and ignores other exports', async () => {
    const mod = { ...helloWorld, RATE: 0.2, label: 'x', default: () => 1 };
    const dr = Driver.fromModule(mod);
    expect(dr.listAvailableVariables().map(v => v.name)).not.toContain('RATE');
    expect(dr.listAvailableVariables().map(v => v.name)).not.toContain('default');
  });

  it('explains that fromNotebook needs a tslab kernel', () => {
    expect(() => Driver.fromNotebook()).toThrow(/reads the functions of a running tslab kernel/);
  });

  it("reads a kernel's functions from tslab's exports, skipping helpers, classes, imports and non-functions", async () => {
    const exports = {
      join: require('path').join, // `import { join } from "path"` in a cell
      spend: function spend(raw_spend: number[]) { return raw_spend; },
      _helper: function _helper(x: number) { return x; },
      total: function total(spend: number[]) { return spend.reduce((a, b) => a + b, 0); },
      Model: class Model {},
      LIMIT: 3
    };
    (globalThis as { __tslab__?: unknown }).__tslab__ = { exports, require };
    try {
      const dr = Driver.fromNotebook();
      expect(dr.listAvailableVariables().map(v => v.name).sort()).toEqual(['raw_spend', 'spend', 'total']);
      await expect(dr.execute(['total'], { inputs: { raw_spend: [1, 2] } })).resolves.toEqual({ total: 3 });
    } finally {
      delete (globalThis as { __tslab__?: unknown }).__tslab__;
    }
  });
});

describe('where a Driver takes its nodes from', () => {
  const make = () => ({
    load: async function load(path: string) { return path.length; },
    scaled: (load: number, factor = 2) => load * factor,
    shifted: (load: number, offset: number) => load + offset,
    total: function total(scaled: number, shifted: number, bonus = 0) { return scaled + shifted + bonus; },
    _helper: (x: number) => x,
    report: (total: number, title: string) => `${title}: ${total}`
  });

  it('reads parameter names from the functions when no source is given, defaults optional', async () => {
    const dr = Driver.fromFunctions(make(), { config: { offset: 10 } });
    expect(dr.listAvailableVariables().find(v => v.name === 'total')).toMatchObject({
      requiredDependencies: ['scaled', 'shifted'],
      optionalDependencies: ['bonus']
    });
    await expect(dr.execute(['report', 'scaled'], { inputs: { path: 'abcd', title: 'sum' } })).resolves.toEqual({
      report: 'sum: 22',
      scaled: 8
    });
  });

  it("takes optionality from the source when it is known: a '?' parameter is optional", async () => {
    // What tslab or a TypeScript loader makes of `function total(a: number, bonus?: number)`: the `?` is gone.
    const total = new Function('return function total(a, bonus) { return a + (bonus ?? 0); }')();
    const text = 'function total(a: number, bonus?: number): number { return a + (bonus ?? 0); }';
    const withSource = Driver.fromFunctions({ total }, { source: text });
    await expect(withSource.execute(['total'], { inputs: { a: 1 } })).resolves.toEqual({ total: 1 });
    await expect(withSource.execute(['total'], { inputs: { a: 1, bonus: 2 } })).resolves.toEqual({ total: 3 });
    expect(withSource.listAvailableVariables().find(v => v.name === 'total')).toMatchObject({
      type: 'number',
      requiredDependencies: ['a'],
      optionalDependencies: ['bonus']
    });
    // Without it, the compiled text is all there is, and it cannot show the '?'.
    const error = await rejection(Driver.fromFunctions({ total }).execute(['total'], { inputs: { a: 1 } }));
    expect([error.code, error.nodes]).toEqual(['MISSING_INPUTS', ['bonus']]);
  });

  it('runs nodes given explicitly, reading nothing from their functions', async () => {
    const dr = Driver.fromDefinitions(
      [
        { name: 'doubled', dependencies: ['raw'], fn: (x: number) => x * 2 },
        { name: 'total', dependencies: ['doubled', { name: 'bonus', optional: true }], fn: (...args: number[]) => args[0] + (args[1] ?? 0) }
      ],
      { config: { unused: 1 } }
    );
    await expect(dr.execute(['total'], { inputs: { raw: 2 } })).resolves.toEqual({ total: 4 });
    await expect(dr.execute(['total'], { inputs: { raw: 2, bonus: 1 } })).resolves.toEqual({ total: 5 });
    expect(dr.whatIsUpstreamOf('total')).toEqual(['raw', 'doubled', 'bonus', 'total']);
  });

  it('reports cycles, unreadable functions and config clashes, and runs what they do not touch', async () => {
    const cycle = Driver.fromFunctions({ a: (b: number) => b, b: (a: number) => a, c: (x: number) => x });
    expect(cycle.graph.problems.map(p => p.code)).toEqual(['CYCLE']);
    await expect(cycle.execute('c', { inputs: { x: 1 } })).resolves.toEqual({ c: 1 });
    expect((await rejection(cycle.execute('a'))).code).toBe('CYCLE');

    const pattern = Driver.fromFunctions({ ok: (x: number) => x, bad: ({ x }: { x: number }) => x });
    expect((await rejection(pattern.execute('bad'))).code).toBe('INVALID_FUNCTION');
    await expect(pattern.execute('ok', { inputs: { x: 2 } })).resolves.toEqual({ ok: 2 });

    const clash = Driver.fromFunctions({ rate: () => 1, twice: (rate: number) => rate * 2 }, { config: { rate: 3 } });
    expect(clash.graph.problems.map(p => p.code)).toEqual(['DUPLICATE_NODE']);
    expect((await rejection(clash.execute('twice'))).code).toBe('DUPLICATE_NODE');
  });
});

describe('what a Driver tells about its dataflow', () => {
  const dr = Driver.fromModule(helloWorld, { source: source('hello_world.ts'), file: 'hello_world.ts' });

  it('lists every variable with its type, dependencies, tags and doc', () => {
    const variables = dr.listAvailableVariables();
    expect(variables.find(v => v.name === 'spend_zero_mean')).toEqual({
      name: 'spend_zero_mean',
      type: 'number[]',
      isExternalInput: false,
      requiredDependencies: ['spend', 'spend_mean'],
      optionalDependencies: [],
      tags: {},
      doc: 'Shows function that takes a scalar. In this case to zero mean spend.'
    });
    expect(variables.find(v => v.name === 'raw_spend')).toMatchObject({ isExternalInput: true, type: 'number[]' });
    const order = variables.map(v => v.name);
    expect(order.indexOf('spend')).toBeLessThan(order.indexOf('spend_mean'));
  });

  it('answers what is upstream of, downstream of, and between nodes', () => {
    expect(dr.whatIsUpstreamOf('spend_zero_mean_unit_variance').sort()).toEqual(
      ['raw_spend', 'spend', 'spend_mean', 'spend_std_dev', 'spend_zero_mean', 'spend_zero_mean_unit_variance'].sort()
    );
    expect(dr.whatIsDownstreamOf('spend_mean').sort()).toEqual(
      ['spend_mean', 'spend_zero_mean', 'spend_zero_mean_unit_variance'].sort()
    );
    expect(dr.whatIsThePathBetween('spend', 'spend_zero_mean_unit_variance')).toEqual([
      'spend',
      expect.stringMatching(/spend_mean|spend_std_dev/),
      expect.stringMatching(/spend_mean|spend_std_dev|spend_zero_mean/),
      expect.stringMatching(/spend_zero_mean|spend_std_dev/),
      'spend_zero_mean_unit_variance'
    ]);
    expect(dr.whatIsThePathBetween('signups', 'spend_mean')).toEqual([]);
    expect(thrown(() => dr.whatIsUpstreamOf('spnd')).message).toBe("'spnd' is not in the graph. Did you mean 'spend'?");
  });

  it('draws DOT like Hamilton: inputs dashed, requested outputs highlighted, a legend', () => {
    const dot = dr.toDot({ outputs: ['spend_mean'] });
    expect(dot).toMatch(/^digraph dataflow \{/);
    expect(dot).toMatch(/"raw_spend" \[label=<<B>raw_spend<\/B><BR\/><FONT POINT-SIZE="9">number\[\]<\/FONT>>, shape=box, style="dashed"/);
    expect(dot).toMatch(/"spend_mean" \[[^\]]*fillcolor="#ffc857"\]/);
    expect(dot).toContain('"spend" -> "spend_mean";');
    expect(dot).toContain('subgraph cluster_legend');
    expect(dot).toContain('"_legend_output" [label="output"');
  });

  it('exports JSON with versions that change when a function does', () => {
    const json = dr.toJSON();
    const node = json.nodes.find(n => n.name === 'spend_mean');
    expect(node).toMatchObject({ kind: 'function', type: 'number', dependencies: ['spend'], tags: {} });
    expect(node?.version).toMatch(/^[0-9a-f]{14}$/);
    // One notion of code version: the one the cache keys with and lineage records.
    expect(node?.version).toBe(dr.codeVersion('spend_mean'));
    expect(json.edges).toContainEqual({ from: 'spend', to: 'spend_mean', optional: false });
    const changed = Driver.fromFunctions({ spend_mean: (spend: number[]) => spend.length }).toJSON();
    expect(changed.nodes.find(n => n.name === 'spend_mean')?.version).not.toBe(node?.version);
    expect(JSON.stringify(dr.toJSON())).toBe(JSON.stringify(json));
  });
});

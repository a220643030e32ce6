/**
 * The modifiers at run time: the cases of Hamilton's own tests for
 * config.when, parameterize, extract_fields, check_output, pipe_input, subdag
 * and save_to/load_from, rewritten in TypeScript against the Driver.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

import {
  checkOutput,
  config,
  DagError,
  does,
  Driver,
  extractFields,
  group,
  loadFrom,
  parameterize,
  pipeInput,
  saveTo,
  source,
  step,
  subdag,
  tag,
  value
} from '../src';
import type { ExecutionEvent } from '../src';

async function rejection(promise: Promise<unknown>): Promise<DagError> {
  try {
    await promise;
  } catch (error) {
    return error as DagError;
  }
  throw new Error('expected the promise to reject');
}

function thrown(fn: () => unknown): DagError {
  try {
    fn();
  } catch (error) {
    return error as DagError;
  }
  throw new Error('expected a throw');
}

const names = (dr: Driver) => dr.listAvailableVariables().map(v => v.name).sort();

describe('config.when and its relatives (Hamilton: test_config_modifiers)', () => {
  const mod = {
    spend__us: config.when({ region: 'US' }, (raw_spend: number[]): number[] => raw_spend),
    spend__eu: config.when({ region: 'EU' }, (raw_spend_eur: number[], eur_usd: number): number[] => raw_spend_eur.map(x => x * eur_usd)),
    total: (spend: number[]): number => spend.reduce((a, b) => a + b, 0)
  };

  test('the variant whose condition holds is the node, named before the last __', async () => {
    const us = Driver.fromModule(mod, { config: { region: 'US' } });
    expect(await us.execute(['total'], { inputs: { raw_spend: [1, 2] } })).toEqual({ total: 3 });
    expect(us.whatIsUpstreamOf('total')).toEqual(expect.arrayContaining(['raw_spend', 'spend', 'total']));
    const eu = Driver.fromModule(mod, { config: { region: 'EU' } });
    expect(await eu.execute(['total'], { inputs: { raw_spend_eur: [1, 2], eur_usd: 2 } })).toEqual({ total: 6 });
    expect(eu.listAvailableVariables().find(v => v.name === 'spend')?.variant).toBe('spend__eu');
    expect(names(eu)).not.toContain('raw_spend');
  });

  test('no variant applies: the node is absent and its consumer misses it by name', async () => {
    const dr = Driver.fromModule(mod, { config: { region: 'APAC' } });
    expect(names(dr)).not.toContain('spend__us');
    expect(dr.graph.nodes.get('spend')?.kind).toBe('input');
    const error = thrown(() => dr.validateExecution(['total']));
    expect(error.code).toBe('MISSING_INPUTS');
    expect(error.nodes).toContain('spend');
    expect(error.message).toContain(
      'No variant of spend applies with this config; spend__us (config.when({"region":"US"})) or spend__eu (config.when({"region":"EU"})) would define it.'
    );
    const rejected = await rejection(dr.execute(['total']));
    expect(rejected.message).toContain('spend__us (config.when({"region":"US"}))');
  });

  test('a key missing from config: when does not apply, whenNot does', async () => {
    const dr = Driver.fromFunctions({
      a__x: config.when({ flag: true }, (): number => 1),
      b__x: config.whenNot({ flag: true }, (): number => 2)
    });
    expect(names(dr)).toEqual(['b']);
  });

  test('whenIn and whenNotIn test membership of every key', async () => {
    const fns = {
      family__linear: config.whenIn({ model: ['ols', 'ridge'] }, (): string => 'linear'),
      family__other: config.whenNotIn({ model: ['ols', 'ridge'] }, (): string => 'other')
    };
    expect(await Driver.fromFunctions(fns, { config: { model: 'ridge' } }).execute(['family'])).toEqual({ family: 'linear' });
    expect(await Driver.fromFunctions(fns, { config: { model: 'tree' } }).execute(['family'])).toEqual({ family: 'other' });
  });

  test('every condition of one when must hold', () => {
    const fns = { a__both: config.when({ x: 1, y: 2 }, (): number => 1) };
    expect(names(Driver.fromFunctions(fns, { config: { x: 1, y: 2 } }))).toContain('a');
    expect(names(Driver.fromFunctions(fns, { config: { x: 1, y: 3 } }))).not.toContain('a');
  });

  test('two variants applying at once: DUPLICATE_NODE naming both', () => {
    const dr = Driver.fromFunctions({
      spend__a: config.when({ k: 1 }, (): number => 1),
      spend__b: config.whenIn({ k: [1, 2] }, (): number => 2)
    }, { config: { k: 1 } });
    const error = thrown(() => dr.validateExecution(['spend']));
    expect(error.code).toBe('DUPLICATE_NODE');
    expect(error.message).toContain('spend__a');
    expect(error.message).toContain('spend__b');
  });

  test('a name ending in __ is an INVALID_MODIFIER, and the rest of the graph still works', async () => {
    const dr = Driver.fromFunctions({
      bad__: config.when({ k: 1 }, (): number => 1),
      fine: (): number => 2
    }, { config: { k: 1 } });
    expect(await dr.execute(['fine'])).toEqual({ fine: 2 });
    const error = thrown(() => dr.validateExecution(['bad__']));
    expect(error.code).toBe('INVALID_MODIFIER');
    expect(error.message).toContain('bad__');
  });

  test('a condition that is not an object, or an in-list that is not an array, is an INVALID_MODIFIER naming the argument', () => {
    const dr = Driver.fromFunctions({
      a__x: config.whenIn({ k: 1 as unknown as number[] }, (): number => 1)
    }, { config: { k: 1 } });
    const error = thrown(() => dr.validateExecution(['a']));
    expect(error.code).toBe('INVALID_MODIFIER');
    expect(error.message).toMatch(/a__x.*whenIn\(\{ k \}\)/);
  });

  test('the wrapped function can still be called as the function it wraps', () => {
    expect(mod.spend__eu([1], 3)).toEqual([3]);
  });
});

describe('tag', () => {
  test('tags reach listAvailableVariables, toJSON and toDot; nested with config.when', () => {
    const dr = Driver.fromFunctions({
      weekly__on: tag({ owner: 'growth', stage: 'features' }, config.when({ on: true }, (spend: number[]): number[] => spend))
    }, { config: { on: true } });
    const v = dr.listAvailableVariables().find(x => x.name === 'weekly');
    expect(v?.tags).toEqual({ owner: 'growth', stage: 'features' });
    expect(v?.variant).toBe('weekly__on');
    const node = dr.toJSON().nodes.find(n => n.name === 'weekly');
    expect(node?.tags).toEqual({ owner: 'growth', stage: 'features' });
    expect(node?.variant).toBe('weekly__on');
    expect(dr.toDot()).toContain('owner=growth');
  });

  test('a tag value that is not a string is an INVALID_MODIFIER naming the tag', () => {
    const dr = Driver.fromFunctions({ a: tag({ n: 3 as unknown as string }, (): number => 1) });
    const error = thrown(() => dr.validateExecution(['a']));
    expect(error.code).toBe('INVALID_MODIFIER');
    expect(error.message).toContain('tag({ n })');
  });
});

describe('parameterize (Hamilton: test_parameterize)', () => {
  const ratio = parameterize({
    spend_per_signup: { num: source('spend'), den: source('signups') },
    half_spend: { num: source('spend'), den: value(2) }
  }, (num: number[], den: number[] | number): number[] => num.map((x, i) => x / (Array.isArray(den) ? den[i] : den)));

  test('one node per key, each with its own bindings; the wrapped name is no node', async () => {
    const dr = Driver.fromFunctions({ ratio });
    expect(names(dr)).toEqual(['half_spend', 'signups', 'spend', 'spend_per_signup']);
    const out = await dr.execute(['spend_per_signup', 'half_spend'], { inputs: { spend: [10, 20], signups: [2, 5] } });
    expect(out).toEqual({ spend_per_signup: [5, 4], half_spend: [5, 10] });
    expect(dr.listAvailableVariables().find(v => v.name === 'half_spend')?.requiredDependencies).toEqual(['spend']);
  });

  test('a parameter left unbound is a dependency on the node of its own name', async () => {
    const dr = Driver.fromFunctions({
      scaled: parameterize({ doubled: { k: value(2) }, tripled: { k: value(3) } }, (x: number, k: number): number => x * k)
    });
    expect(await dr.execute(['doubled', 'tripled'], { inputs: { x: 5 } })).toEqual({ doubled: 10, tripled: 15 });
  });

  test('group passes several sources and values as one array', async () => {
    const dr = Driver.fromFunctions({
      a: (): number => 1,
      b: (): number => 2,
      summed: parameterize({ total: { xs: group(source('a'), source('b'), value(10)) } }, (xs: number[]): number => xs.reduce((s, x) => s + x, 0))
    });
    expect(await dr.execute(['total'])).toEqual({ total: 13 });
    expect(dr.whatIsUpstreamOf('total')).toEqual(expect.arrayContaining(['a', 'b', 'total']));
  });

  test('binding a parameter the function lacks is an INVALID_MODIFIER naming function and argument', () => {
    const dr = Driver.fromFunctions({
      f: parameterize({ g: { nope: value(1) } }, (x: number): number => x),
      ok: (): number => 1
    });
    const error = thrown(() => dr.validateExecution(['f']));
    expect(error.code).toBe('INVALID_MODIFIER');
    expect(error.message).toMatch(/f: .*nope/);
    expect(() => dr.validateExecution(['ok'])).not.toThrow();
  });

  test('a binding that is neither source nor value is an INVALID_MODIFIER', () => {
    const dr = Driver.fromFunctions({ f: parameterize({ g: { x: 3 as never } }, (x: number): number => x) });
    expect(thrown(() => dr.validateExecution(['f'])).message).toContain('g.x');
  });
});

describe('extractFields (Hamilton: test_extract_fields)', () => {
  test('the node and one node per field', async () => {
    const dr = Driver.fromFunctions({
      stats: extractFields(['mean', 'sd'], (spend: number[]) => ({ mean: spend[0], sd: spend[1] })),
      report: (mean: number, sd: number): string => `${mean}±${sd}`
    });
    expect(names(dr)).toEqual(['mean', 'report', 'sd', 'spend', 'stats']);
    expect(await dr.execute(['report', 'stats'], { inputs: { spend: [1, 2] } })).toEqual({ report: '1±2', stats: { mean: 1, sd: 2 } });
  });

  test('fields given with types type their nodes', () => {
    const dr = Driver.fromFunctions({ stats: extractFields({ mean: 'number', label: 'string' }, () => ({ mean: 1, label: 'x' })) });
    expect(dr.listAvailableVariables().find(v => v.name === 'label')?.type).toBe('string');
  });

  test('a field the value lacks fails that field, naming it', async () => {
    const dr = Driver.fromFunctions({ stats: extractFields(['mean', 'missing'], () => ({ mean: 1 })) });
    expect(await dr.execute(['mean'])).toEqual({ mean: 1 });
    const error = await rejection(dr.execute(['missing']));
    expect(error.code).toBe('NODE_FAILED');
    expect(error.message).toContain('missing');
  });

  test('no fields is an INVALID_MODIFIER', () => {
    const dr = Driver.fromFunctions({ stats: extractFields([], () => ({})) });
    expect(thrown(() => dr.validateExecution(['stats'])).code).toBe('INVALID_MODIFIER');
  });
});

describe('checkOutput (Hamilton: test_check_output)', () => {
  test('fail: CHECK_FAILED naming the node before any consumer runs, results before it computed', async () => {
    const started: string[] = [];
    const finished: string[] = [];
    const dr = Driver.fromFunctions({
      raw: (): number[] => [0.5, 2],
      clean: checkOutput({ range: [0, 1], importance: 'fail' }, (raw: number[]): number[] => raw),
      model: (clean: number[]): number => clean.length
    });
    const error = await rejection(dr.execute(['model'], {
      onEvent: (e: ExecutionEvent) => {
        if (e.type === 'node-started') started.push(e.node);
        if (e.type === 'node-finished') finished.push(e.node);
      }
    }));
    expect(error.code).toBe('CHECK_FAILED');
    expect(error.nodes).toEqual(['clean']);
    expect(error.message).toMatch(/clean.*element 1 \(2\) is outside the range \[0, 1\]/);
    expect(started).not.toContain('model');
    expect(finished).toEqual(['raw']);
  });

  test('warn: the run goes on and the warning is reported with the node', async () => {
    const events: ExecutionEvent[] = [];
    const dr = Driver.fromFunctions({
      clean: checkOutput({ allowNaN: false, importance: 'warn' }, (): number[] => [1, NaN]),
      n: (clean: number[]): number => clean.length
    });
    expect(await dr.execute(['n', 'clean'], { onEvent: e => events.push(e) })).toEqual({ n: 2, clean: [1, NaN] });
    expect(events).toContainEqual({ type: 'node-warning', node: 'clean', message: expect.stringContaining('element 1 is NaN') });
  });

  test('a passing value goes through unchanged; checks show in toJSON', async () => {
    const dr = Driver.fromFunctions({ x: checkOutput({ range: [0, 10] }, (): number => 3) });
    expect(await dr.execute(['x'])).toEqual({ x: 3 });
    expect(dr.toJSON().nodes[0].checks).toEqual(['fail: range [0, 10]']);
  });

  test('a custom validate: its string is the reason', async () => {
    const dr = Driver.fromFunctions({
      rows: checkOutput({ validate: (v: unknown[]) => v.length > 0 || 'empty' }, (): unknown[] => [])
    });
    const error = await rejection(dr.execute(['rows']));
    expect(error.code).toBe('CHECK_FAILED');
    expect(error.message).toContain('empty');
  });

  test('an async node is checked on its resolved value', async () => {
    const dr = Driver.fromFunctions({ x: checkOutput({ range: [0, 1] }, async (): Promise<number> => 5) });
    expect((await rejection(dr.execute(['x']))).code).toBe('CHECK_FAILED');
  });

  test('a bad importance or range is an INVALID_MODIFIER naming it', () => {
    const dr = Driver.fromFunctions({
      a: checkOutput({ importance: 'loud' as 'warn' }, (): number => 1),
      b: checkOutput({ range: [2, 1] }, (): number => 1)
    });
    expect(thrown(() => dr.validateExecution(['a'])).message).toContain('importance');
    expect(thrown(() => dr.validateExecution(['b'])).message).toContain('range');
  });
});

describe('pipeInput (Hamilton: test_pipe_input)', () => {
  function _add(x: number, n: number): number {
    return x + n;
  }
  function _square(x: number): number {
    return x * x;
  }

  test('steps transform the first parameter in order, each step a node', async () => {
    const dr = Driver.fromFunctions({
      result: pipeInput(step(_add, { n: value(1) }), step(_square), (x: number, y: number): number => x - y)
    });
    expect(names(dr)).toEqual(['result', 'result.with_add', 'result.with_square', 'x', 'y']);
    expect(await dr.execute(['result'], { inputs: { x: 2, y: 4 } })).toEqual({ result: 5 }); // (2+1)^2 - 4
    expect(await dr.execute(['result.with_add'], { inputs: { x: 2 } })).toEqual({ 'result.with_add': 3 });
  });

  test('a step bound to a source reads that node; named steps keep their name', async () => {
    const dr = Driver.fromFunctions({
      bump: (): number => 10,
      result: pipeInput([step(_add, { n: source('bump') }).named('bumped')], (x: number): number => x)
    });
    expect(await dr.execute(['result'], { inputs: { x: 1 } })).toEqual({ result: 11 });
    expect(names(dr)).toContain('result.bumped');
  });

  test('binding the piped parameter is an INVALID_MODIFIER', () => {
    const dr = Driver.fromFunctions({ r: pipeInput(step(_add, { x: value(1), n: value(1) }), (x: number): number => x) });
    expect(thrown(() => dr.validateExecution(['r'])).code).toBe('INVALID_MODIFIER');
  });
});

describe('subdag (Hamilton: test_recursive / subdag)', () => {
  const features = {
    scaled: (raw: number[], factor: number): number[] => raw.map(x => x * factor),
    total__sum: config.when({ agg: 'sum' }, (scaled: number[]): number => scaled.reduce((a, b) => a + b, 0)),
    total__max: config.when({ agg: 'max' }, (scaled: number[]): number => Math.max(...scaled))
  };

  test('embedded under a namespace with its own inputs and config', async () => {
    const dr = Driver.fromFunctions({
      us_raw: (): number[] => [1, 2, 3],
      summed: subdag(features, { inputs: { raw: source('us_raw'), factor: value(10) }, config: { agg: 'sum' } }, (total: number): number => total),
      peak: subdag(features, { inputs: { raw: source('us_raw'), factor: value(1) }, config: { agg: 'max' }, namespace: 'p' }, (total: number): number => total)
    });
    expect(await dr.execute(['summed', 'peak'])).toEqual({ summed: 60, peak: 3 });
    expect(names(dr)).toEqual(expect.arrayContaining(['summed.scaled', 'summed.total', 'summed.factor', 'p.scaled', 'p.total']));
    expect(dr.listAvailableVariables().find(v => v.name === 'summed.total')?.variant).toBe('total__sum');
  });

  test('an inner input not bound comes from the outer graph by name', async () => {
    const dr = Driver.fromFunctions({
      s: subdag({ scaled: features.scaled }, {}, (scaled: number[]): number[] => scaled)
    });
    expect(await dr.execute(['s'], { inputs: { raw: [1], factor: 3 } })).toEqual({ s: [3] });
  });
});

describe('does', () => {
  test('replaces the body, keeps name and parameters; arguments by name', async () => {
    const _sum = (b: number, a: number) => a + b * 10;
    const dr = Driver.fromFunctions({ total: does(_sum, (a: number, b: number): number => 0) });
    expect(await dr.execute(['total'], { inputs: { a: 1, b: 2 } })).toEqual({ total: 21 });
    expect(dr.listAvailableVariables().find(v => v.name === 'total')?.requiredDependencies).toEqual(['a', 'b']);
  });

  test('an impl taking a name the node lacks is an INVALID_MODIFIER', () => {
    const dr = Driver.fromFunctions({ total: does((zz: number) => zz, (a: number): number => a) });
    expect(thrown(() => dr.validateExecution(['total'])).message).toContain('zz');
  });
});

describe('saveTo and loadFrom (Hamilton: test_save_to / test_load_from)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dagcells-modifiers-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const flow = () => ({
    predictions: saveTo.csv({ path: source('predictions_path'), outputName: 'save_predictions' },
      (scores: number[]) => scores.map((s, i) => ({ id: i, score: s })))
  });

  test('asking for the node writes nothing; asking for the saver writes the file and gives path, format, bytes, rows', async () => {
    const path = join(dir, 'out', 'p.csv');
    const dr = Driver.fromFunctions(flow());
    const plain = await dr.execute(['predictions'], { inputs: { scores: [0.5, 0.25], predictions_path: path } });
    expect(plain.predictions).toEqual([{ id: 0, score: 0.5 }, { id: 1, score: 0.25 }]);
    expect(existsSync(path)).toBe(false);
    const saved = await dr.execute(['save_predictions'], { inputs: { scores: [0.5, 0.25], predictions_path: path } });
    expect(saved.save_predictions).toEqual({ path, format: 'csv', bytes: readFileSync(path).length, rows: 2 });
    expect(readFileSync(path, 'utf8')).toContain('id,score');
    expect(dr.listAvailableVariables().find(v => v.name === 'save_predictions')?.kind).toBe('saver');
    expect(dr.toJSON().nodes.find(n => n.name === 'save_predictions')?.kind).toBe('saver');
  });

  test('a saver runs when something downstream of it is requested', async () => {
    const path = join(dir, 'p.json');
    const dr = Driver.fromFunctions({ ...flow(), done: (save_predictions: { path: string }): string => save_predictions.path });
    const out = await dr.execute(['done'], { inputs: { scores: [1], predictions_path: path } });
    expect(out.done).toBe(path);
    expect(existsSync(path)).toBe(true);
  });

  test('the default saver name is save_NODE and a fixed path works', async () => {
    const path = join(dir, 'x.ndjson');
    const dr = Driver.fromFunctions({ rows: saveTo.ndjson({ path }, () => [{ a: 1 }, { a: 2 }]) });
    expect((await dr.execute(['save_rows'])).save_rows).toMatchObject({ format: 'ndjson', rows: 2 });
  });

  test('every format round-trips through a saver and a loader', async () => {
    for (const format of ['json', 'ndjson', 'csv', 'parquet'] as const) {
      const path = join(dir, `t.${format}`);
      const writer = Driver.fromFunctions({ table: saveTo[format]({ path }, () => [{ id: 1, name: 'a' }, { id: 2, name: 'b' }]) });
      await writer.execute(['save_table']);
      const reader = Driver.fromFunctions({ names: loadFrom[format]({ path }, (data: { name: string }[]): string[] => data.map(r => r.name)) });
      expect(await reader.execute(['names'])).toEqual({ names: ['a', 'b'] });
      expect(reader.listAvailableVariables().find(v => v.name === 'load_names')?.kind).toBe('loader');
    }
  });

  test('the loader feeds the parameter named by inject', async () => {
    const path = join(dir, 'o.json');
    writeFileSync(path, '[1,2,3]');
    const dr = Driver.fromFunctions({ scaled: loadFrom.json({ path: source('p'), inject: 'data' }, (k: number, data: number[]): number[] => data.map(x => x * k)) });
    expect(await dr.execute(['scaled'], { inputs: { p: path, k: 2 } })).toEqual({ scaled: [2, 4, 6] });
  });

  test('a missing file is a NODE_FAILED naming the loader and the path', async () => {
    const path = join(dir, 'nope.csv');
    const dr = Driver.fromFunctions({ orders: loadFrom.csv({ path }, (data: unknown[]) => data) });
    const error = await rejection(dr.execute(['orders']));
    expect(error.code).toBe('NODE_FAILED');
    expect(error.nodes).toEqual(['load_orders']);
    expect(error.message).toContain('load_orders');
    expect(error.message).toContain(path);
  });

  test('a malformed row names the line; a wrong column type names the column', async () => {
    const bad = join(dir, 'bad.ndjson');
    writeFileSync(bad, '{"a":1}\n{"a":\n');
    const error = await rejection(Driver.fromFunctions({ o: loadFrom.ndjson({ path: bad }, (data: unknown[]) => data) }).execute(['o']));
    expect(error.message).toMatch(/load_o.*bad\.ndjson.*line 2/);
    const typed = join(dir, 'typed.csv');
    writeFileSync(typed, 'id,n\n1,x\n');
    const error2 = await rejection(
      Driver.fromFunctions({ o: loadFrom.csv({ path: typed, types: { n: 'number' } }, (data: unknown[]) => data) }).execute(['o'])
    );
    expect(error2.message).toMatch(/load_o.*typed\.csv.*n/);
  });

  test('a format or option that does not exist is an INVALID_MODIFIER naming it', () => {
    const dr = Driver.fromFunctions({
      a: (saveTo as unknown as Record<string, typeof saveTo.json>).json({ path: 'x', colour: 'red' } as never, () => 1),
      b: loadFrom.csv({ path: 'x' }, (p: number, q: number) => p + q)
    });
    expect(thrown(() => dr.validateExecution(['a'])).message).toContain('colour');
    expect(thrown(() => dr.validateExecution(['b'])).message).toContain('inject');
  });

  test('nested: a checked, tagged variant with a saver', async () => {
    const path = join(dir, 'n.json');
    const dr = Driver.fromFunctions({
      preds__v2: tag({ stage: 'model' }, saveTo.json({ path }, checkOutput({ range: [0, 1] }, config.when({ model: 'v2' }, (): number[] => [0.1]))))
    }, { config: { model: 'v2' } });
    expect(await dr.execute(['save_preds'])).toEqual({ save_preds: expect.objectContaining({ format: 'json' }) });
    const vars = dr.listAvailableVariables();
    expect(vars.find(v => v.name === 'preds')).toMatchObject({ variant: 'preds__v2', tags: { stage: 'model' }, checks: ['fail: range [0, 1]'] });
    expect(vars.find(v => v.name === 'save_preds')).toMatchObject({ kind: 'saver', tags: { stage: 'model' } });
  });
});

import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import ts from 'typescript';

import * as dagcells from '../src';
import { codeVersion, DiskStore, Driver, fingerprint, loadFingerprints, MemoryStore } from '../src';
import type { CacheBehaviours, CacheEvent, CacheStore, ExecutionEvent } from '../src';

/** A module made of TypeScript source, as `import` would give it. */
function load(source: string): Record<string, unknown> {
  const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 } }).outputText;
  const module = { exports: {} as Record<string, unknown> };
  const req = (id: string) => (id === 'dagcells' ? dagcells : require(id));
  new Function('module', 'exports', 'require', js)(module, module.exports, req);
  return module.exports;
}

/** Runs `outputs` of the source with the store; says which nodes were computed and which retrieved. */
async function run(
  source: string,
  store: CacheStore,
  outputs: string[],
  options: { inputs?: Record<string, unknown>; config?: Record<string, unknown>; cache?: CacheBehaviours } = {}
) {
  const events: CacheEvent[] = [];
  const driver = Driver.fromModule(load(source), { source, cache: { store }, config: options.config });
  const result = await driver.execute(outputs, {
    inputs: options.inputs,
    cache: options.cache,
    onEvent: (event: ExecutionEvent) => {
      if (event.type === 'node-cache') {
        events.push(event);
      }
    }
  });
  const status = (s: CacheEvent['status']) => events.filter(e => e.status === s).map(e => e.node).sort();
  return { result, computed: [...status('computed'), ...status('uncached')].sort(), retrieved: status('retrieved'), events };
}

const ABC = `
export function A(external: number): number {
  return external + 1;
}
export function B(A: number): number {
  return A * 2;
}
export function C(B: number): number {
  return B - 3;
}
`;

describe('the cache runs again only what changed (Hamilton cases, A -> B -> C)', () => {
  const inputs = { external: 10 };

  test('a second run retrieves every node', async () => {
    const store = new MemoryStore();
    const first = await run(ABC, store, ['C'], { inputs });
    expect(first.computed).toEqual(['A', 'B', 'C']);
    const second = await run(ABC, store, ['C'], { inputs });
    expect(second.retrieved).toEqual(['A', 'B', 'C']);
    expect(second.result).toEqual({ C: 19 });
  });

  test("A's code changes but gives the same result: A runs, B and C are retrieved", async () => {
    const store = new MemoryStore();
    await run(ABC, store, ['C'], { inputs });
    const edited = ABC.replace('return external + 1;', 'return 1 + external;');
    const second = await run(edited, store, ['C'], { inputs });
    expect(second.computed).toEqual(['A']);
    expect(second.retrieved).toEqual(['B', 'C']);
  });

  test("A's result changes: A, B and C run", async () => {
    const store = new MemoryStore();
    await run(ABC, store, ['C'], { inputs });
    const second = await run(ABC.replace('external + 1', 'external + 2'), store, ['C'], { inputs });
    expect(second.computed).toEqual(['A', 'B', 'C']);
    expect(second.result).toEqual({ C: 21 });
  });

  test('comments and formatting are not a change', async () => {
    const store = new MemoryStore();
    await run(ABC, store, ['C'], { inputs });
    const reformatted = ABC.replace('return external + 1;', '// one more\n    return (external   +\n 1);').replace(/\(external {3}\+\n 1\)/, 'external   +\n 1');
    expect((await run(reformatted, store, ['C'], { inputs })).retrieved).toEqual(['A', 'B', 'C']);
  });

  test('recompute A runs only A', async () => {
    const store = new MemoryStore();
    await run(ABC, store, ['C'], { inputs });
    const second = await run(ABC, store, ['C'], { inputs, cache: { recompute: ['A'] } });
    expect(second.computed).toEqual(['A']);
    expect(second.retrieved).toEqual(['B', 'C']);
  });

  test('disable A runs A and B', async () => {
    const store = new MemoryStore();
    await run(ABC, store, ['C'], { inputs });
    const second = await run(ABC, store, ['C'], { inputs, cache: { disable: ['A'] } });
    expect(second.computed).toEqual(['A', 'B']);
    expect(second.retrieved).toEqual(['C']);
  });

  test("ignore A: A runs, and A's change does not reach B's key", async () => {
    const store = new MemoryStore();
    await run(ABC, store, ['C'], { inputs, cache: { ignore: ['A'] } });
    const second = await run(ABC.replace('external + 1', 'external + 2'), store, ['C'], { inputs, cache: { ignore: ['A'] } });
    expect(second.computed).toEqual(['A']);
    expect(second.retrieved).toEqual(['B', 'C']);
    expect(second.events.find(e => e.node === 'A')).toMatchObject({ status: 'uncached', reason: 'ignored' });
  });

  test('an input change runs what depends on it', async () => {
    const store = new MemoryStore();
    await run(ABC, store, ['C'], { inputs });
    expect((await run(ABC, store, ['C'], { inputs: { external: 11 } })).computed).toEqual(['A', 'B', 'C']);
  });

  test('a retrieved node says when it was computed and the time it saves', async () => {
    const store = new MemoryStore();
    await run(ABC, store, ['A'], { inputs });
    const { events } = await run(ABC, store, ['A'], { inputs });
    expect(events[0].status).toBe('retrieved');
    expect(Date.parse(events[0].computedAt as string)).toBeLessThanOrEqual(Date.now());
    expect(events[0].ms).toBeGreaterThanOrEqual(0);
  });
});

describe('behaviours name what they are about', () => {
  test('a name that is not a function, or a Driver without a cache, is refused with the name', async () => {
    const cached = Driver.fromModule(load(ABC), { source: ABC, cache: true });
    await expect(cached.execute(['C'], { inputs: { external: 1 }, cache: { disable: ['Z', 'external'] } })).rejects.toThrow(
      'cache.disable: Z, external are not functions of this dataflow.'
    );
    const plain = Driver.fromModule(load(ABC), { source: ABC });
    await expect(plain.execute(['C'], { inputs: { external: 1 }, cache: { recompute: ['A'] } })).rejects.toThrow(/this Driver has none/);
  });

  test('cache: false runs without the cache', async () => {
    const store = new MemoryStore();
    await run(ABC, store, ['C'], { inputs: { external: 1 } });
    const driver = Driver.fromModule(load(ABC), { source: ABC, cache: { store } });
    const events: string[] = [];
    await driver.execute(['C'], { inputs: { external: 1 }, cache: false, onEvent: e => events.push(e.type) });
    expect(events).not.toContain('node-cache');
  });
});

describe('code versions', () => {
  const withHelper = (body: string) => `
const RATE = 2;
function _scale(x: number): number {
  return ${body};
}
export function scaled(raw: number): number {
  return _scale(raw);
}
export function other(raw: number): number {
  return raw;
}
`;

  test("a helper's edit invalidates its callers, and only them", async () => {
    const store = new MemoryStore();
    await run(withHelper('x * RATE'), store, ['scaled', 'other'], { inputs: { raw: 3 } });
    const second = await run(withHelper('x * RATE + 1'), store, ['scaled', 'other'], { inputs: { raw: 3 } });
    expect(second.computed).toEqual(['scaled']);
    expect(second.retrieved).toEqual(['other']);
    expect(second.result).toEqual({ scaled: 7, other: 3 });
  });

  test("a constant's edit invalidates the functions that use it through a helper", () => {
    const before = withHelper('x * RATE');
    const after = before.replace('RATE = 2', 'RATE = 3');
    expect(codeVersion(after, 'scaled')).not.toBe(codeVersion(before, 'scaled'));
    expect(codeVersion(after, 'other')).toBe(codeVersion(before, 'other'));
    expect(codeVersion(before, 'nothing')).toBeUndefined();
  });

  test("a helper's edit invalidates a node a modifier made, and a wrapped function's parameters are not uses", async () => {
    const flow = (body: string) => `import { config } from "dagcells";
function _scale(x: number): number { return ${body}; }
export const scaled__a = config.when({ mode: "a" }, (raw: number): number => _scale(raw));
export function other(raw: number): number { return raw; }
export const total = config.when({ mode: "a" }, (scaled: number, other: number): number => scaled + other);
`;
    const store = new MemoryStore();
    const options = { inputs: { raw: 3 }, config: { mode: 'a' } };
    await run(flow('x * 2'), store, ['total'], options);
    const again = await run(flow('x * 2'), store, ['total'], options);
    expect(again.retrieved).toEqual(['other', 'scaled', 'total']);
    const edited = await run(flow('x * 2 + 1'), store, ['total'], options);
    expect(edited.computed).toEqual(['scaled', 'total']);
    expect(edited.retrieved).toEqual(['other']);
    expect(edited.result).toEqual({ total: 10 });
    // total's parameters name its inputs (versioned as data), not the functions it would otherwise mention.
    const otherEdited = flow('x * 2').replace('return raw;', 'return raw * 1;');
    const driver = (text: string) => Driver.fromModule(load(text), { source: text, config: { mode: 'a' } });
    expect(driver(otherEdited).codeVersion('total')).toBe(driver(flow('x * 2')).codeVersion('total'));
    expect(driver(otherEdited).codeVersion('other')).not.toBe(driver(flow('x * 2')).codeVersion('other'));
  });

  test('a notebook: cells in, the latest definition counts', () => {
    const cells = [
      { type: 'code' as const, source: 'function _h(x: number) { return x + 1; }' },
      { type: 'code' as const, source: 'function f(a: number) { return _h(a); }' }
    ];
    const edited = [...cells, { type: 'code' as const, source: 'function _h(x: number) { return x + 2; }' }];
    expect(codeVersion(edited, 'f')).not.toBe(codeVersion(cells, 'f'));
    expect(codeVersion(cells, 'f')).toMatch(/^[0-9a-f]{14}$/);
  });
});

describe('config', () => {
  const source = `export function greeting(name: string): string { return "hello " + name; }`;
  test('a config change invalidates the nodes that take it', async () => {
    const store = new MemoryStore();
    await run(source, store, ['greeting'], { config: { name: 'ada' } });
    expect((await run(source, store, ['greeting'], { config: { name: 'ada' } })).retrieved).toEqual(['greeting']);
    const changed = await run(source, store, ['greeting'], { config: { name: 'bob' } });
    expect(changed.computed).toEqual(['greeting']);
    expect(changed.result).toEqual({ greeting: 'hello bob' });
  });
});

describe('fingerprints', () => {
  beforeAll(() => loadFingerprints());

  test('equal values have equal fingerprints; any change shows', () => {
    const value = { a: [1, 2, NaN], b: new Float64Array([1.5, -0]), c: new Date(0), d: new Map([['k', 'v']]), e: 'text' };
    const same = { a: [1, 2, NaN], b: new Float64Array([1.5, -0]), c: new Date(0), d: new Map([['k', 'v']]), e: 'text' };
    expect(fingerprint(value).hash).toBe(fingerprint(same).hash);
    for (const changed of [
      { ...same, a: [1, 2, 3] },
      { ...same, b: new Float64Array([1.5, 0]) },
      { ...same, b: new Float32Array([1.5, -0]) },
      { ...same, c: new Date(1) },
      { ...same, d: new Map([['k', 'w']]) },
      { ...same, e: 'texT' }
    ]) {
      expect(fingerprint(changed).hash).not.toBe(fingerprint(value).hash);
    }
    expect(fingerprint(['ab', 'c']).hash).not.toBe(fingerprint(['a', 'bc']).hash);
    expect(fingerprint('1').hash).not.toBe(fingerprint(1).hash);
  });

  test('the same in another process', () => {
    const here = fingerprint([{ x: 1, y: 'a' }, { x: 2.5, y: 'b' }]).hash;
    const dir = mkdtempSync(join(tmpdir(), 'dagcells-print-'));
    try {
      // The same code, bundled, in a fresh Node process.
      const bundle = join(dir, 'fingerprint.js');
      require('esbuild').buildSync({ entryPoints: [join(__dirname, '..', 'src', 'cache', 'fingerprint.ts')], bundle: true, platform: 'node', outfile: bundle, logLevel: 'silent' });
      const script = `const { loadFingerprints, fingerprint } = require(${JSON.stringify(bundle)});
loadFingerprints().then(() => process.stdout.write(fingerprint([{ x: 1, y: 'a' }, { x: 2.5, y: 'b' }]).hash));`;
      const out = require('child_process').execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' });
      expect(out).toBe(here);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('functions, class instances and cycles have none, and say why', () => {
    class Counter {
      #count = 0;
    }
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(fingerprint({ f: () => 1 })).toEqual({ reason: 'the value.f is a function' });
    expect(fingerprint(new Counter())).toEqual({ reason: 'the value is an instance of Counter, whose state may be hidden' });
    expect(fingerprint(cyclic)).toEqual({ reason: 'the value.self refers back to itself' });
  });

  test('a node that returns what cannot be fingerprinted is computed every time, and the run says why', async () => {
    const source = `export function counter(): object { return new (class Hidden { n = 1 })(); }\nexport function used(counter: object): number { return 1; }`;
    const store = new MemoryStore();
    await run(source, store, ['used']);
    const second = await run(source, store, ['used']);
    expect(second.computed).toEqual(['counter', 'used']);
    expect(second.events.find(e => e.node === 'counter')?.reason).toMatch(/cannot be fingerprinted: the value is an instance of Hidden/);
  });
});

describe('stores', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dagcells-cache-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('the memory store keeps within its byte budget, least recently used dropped first', async () => {
    await loadFingerprints();
    const store = new MemoryStore(3000);
    const entry = (n: number) => ({ value: new Float64Array(125), dataVersion: String(n), ms: 1, computedAt: '', bytes: 1000 });
    store.set('a', entry(1));
    store.set('b', entry(2));
    store.set('c', entry(3));
    store.get('a'); // a is now the most recently used
    store.set('d', entry(4));
    expect(store.size).toBeLessThanOrEqual(3000);
    expect(['a', 'b', 'c', 'd'].filter(k => store.get(k))).toEqual(['a', 'c', 'd']);
    store.set('huge', { ...entry(5), bytes: 5000 });
    expect(store.get('huge')).toBeUndefined();
  });

  test('a run within a small budget never holds more than it', async () => {
    const source = `export function big(n: number): Float64Array { return new Float64Array(n); }\nexport function sum(big: Float64Array): number { return big.length; }`;
    const store = new MemoryStore(100_000);
    await run(source, store, ['sum'], { inputs: { n: 20_000 } }); // 160 kB: more than the budget
    expect(store.size).toBeLessThanOrEqual(100_000);
    const second = await run(source, store, ['sum'], { inputs: { n: 20_000 } });
    expect(second.computed).toEqual(['big']); // not kept: computed again
    expect(second.retrieved).toEqual(['sum']); // same value, so its consumer is retrieved
  });

  test('values come back from disk exactly: typed arrays, Dates, Maps, NaN', async () => {
    const source = `export function value(): unknown {
  return { t: new Float64Array([1, NaN, -0]), d: new Date(5), m: new Map([["a", 1]]), n: NaN, s: new Set([1]) };
}`;
    const first = await run(source, new DiskStore(dir), ['value']);
    const second = await run(source, new DiskStore(dir), ['value']);
    expect(second.retrieved).toEqual(['value']);
    expect(second.result).toEqual(first.result);
    const value = second.result.value as { t: Float64Array; d: Date; m: Map<string, number> };
    expect(value.t).toBeInstanceOf(Float64Array);
    expect(Object.is(value.t[2], -0)).toBe(true);
    expect(value.d).toBeInstanceOf(Date);
    expect(value.m.get('a')).toBe(1);
  });

  test('a truncated or damaged entry is recomputed, never returned', async () => {
    await run(ABC, new DiskStore(dir), ['C'], { inputs: { external: 1 } });
    const files = readdirSync(dir).filter(f => f.endsWith('.json'));
    expect(files).toHaveLength(3);
    for (const file of files) {
      const text = readFileSync(join(dir, file), 'utf8');
      writeFileSync(join(dir, file), text.slice(0, text.length - 2));
    }
    const damaged: string[] = [];
    const second = await run(ABC, new DiskStore(dir, key => damaged.push(key)), ['C'], { inputs: { external: 1 } });
    expect(second.computed).toEqual(['A', 'B', 'C']);
    expect(second.result).toEqual({ C: 1 });
    expect(damaged).toHaveLength(3);
    expect((await run(ABC, new DiskStore(dir), ['C'], { inputs: { external: 1 } })).retrieved).toEqual(['A', 'B', 'C']);
  });

  test('an entry of another value in place of the right one fails its checksum', async () => {
    await run(ABC, new DiskStore(dir), ['A'], { inputs: { external: 1 } });
    const [file] = readdirSync(dir);
    writeFileSync(join(dir, file), readFileSync(join(dir, file), 'utf8').replace(/2$/, '9'));
    const second = await run(ABC, new DiskStore(dir), ['A'], { inputs: { external: 1 } });
    expect(second.computed).toEqual(['A']);
    expect(second.result).toEqual({ A: 2 });
  });
});

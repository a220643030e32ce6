/**
 * The cache: what a run after editing one node costs against a run with no
 * cache; how fast values are fingerprinted; a disk retrieval against computing
 * the value again; and what a cache miss adds per node. All in one run, each
 * figure against its baseline measured alternately with it.
 *
 *   node --expose-gc bench/cache/run.mjs [--reps 7]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { collect, fmt, machine, median, now, numericOptions, requireRuntime, table } from '../common/measure.mjs';

const { Driver, MemoryStore, DiskStore, fingerprint, loadFingerprints } = requireRuntime('./dist/index.js');
const ts = requireRuntime('typescript');
const { reps } = numericOptions(process.argv.slice(2), { reps: 7 }, 'bench/cache/run.mjs');

/** A module from TypeScript source, as `import` would give it. */
function load(source) {
  const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 } }).outputText;
  const module = { exports: {} };
  new Function('module', 'exports', 'require', js)(module, module.exports, () => undefined);
  return module.exports;
}

/** Runs the outputs; resolves to the wall time and the nodes computed and retrieved. */
async function timed(source, outputs, inputs, cache) {
  const driver = Driver.fromModule(load(source), { source, ...(cache ? { cache } : {}) });
  let computed = 0;
  let retrieved = 0;
  collect();
  const started = now();
  await driver.execute(outputs, {
    inputs,
    onEvent: e => {
      if (e.type === 'node-cache') {
        e.status === 'retrieved' ? retrieved++ : computed++;
      }
    }
  });
  return { ms: now() - started, computed, retrieved };
}

const out = [`Machine: ${machine()}. Median of ${reps} repetitions.`, ''];

// 1. Edit one node of a 200-node DAG (a lattice 20 wide, 10 layers; each node does ~0.2 ms of work on 2,000 numbers).
{
  const width = 20;
  const layers = 10;
  const name = (l, i) => `n${l}_${i}`;
  const lines = ['function _work(xs: number[], k: number): number[] { const out = new Array(xs.length); for (let r = 0; r < 20; r++) for (let i = 0; i < xs.length; i++) out[i] = (xs[i] * 1.0001 + k + r) % 1000; return out; }'];
  for (let l = 0; l < layers; l++) {
    for (let i = 0; i < width; i++) {
      const deps = l === 0 ? ['seed'] : [...new Set([i - 1, i, i + 1].filter(j => j >= 0 && j < width))].map(j => name(l - 1, j));
      const args = deps.map(d => `${d}: number[]`).join(', ');
      const first = l === 0 ? 'seed' : deps[0];
      lines.push(`export function ${name(l, i)}(${args}): number[] { return _work(${first}, ${l * width + i}); }`);
    }
  }
  const source = lines.join('\n');
  const edited = source.replace(`return _work(n4_9, ${5 * width + 10});`, `return _work(n4_9, ${5 * width + 10} + 0.5);`);
  if (edited === source) throw new Error('the edit did not apply');
  const outputs = Array.from({ length: width }, (_, i) => name(layers - 1, i));
  const inputs = { seed: Array.from({ length: 2000 }, (_, i) => i) };
  const rows = { none: [], cached: [], count: undefined };
  for (let r = 0; r < reps; r++) {
    const store = new MemoryStore();
    await timed(source, outputs, inputs, { store }); // fills the cache
    const order = r % 2 === 0 ? ['cached', 'none'] : ['none', 'cached'];
    for (const which of order) {
      if (which === 'cached') {
        const run = await timed(edited, outputs, inputs, { store });
        rows.cached.push(run.ms);
        rows.count = run;
      } else {
        rows.none.push((await timed(edited, outputs, inputs)).ms);
      }
    }
  }
  // n5_10 and what depends on it: 3 nodes per layer further down, spreading by one each way.
  let expected = 0;
  for (let l = 5; l < layers; l++) expected += Math.min(width, 10 + (l - 5)) - Math.max(0, 10 - (l - 5)) + 1;
  out.push('### Edit one node of a 200-node DAG, run again', '');
  out.push(
    table(
      ['nodes', 'recomputed (at most: the edited node and its downstream)', 'retrieved', 'no cache (ms)', 'with cache (ms)', 'with / without'],
      [[200, `${rows.count.computed} (${expected})`, rows.count.retrieved, fmt(median(rows.none)), fmt(median(rows.cached)), `${fmt(median(rows.cached) / median(rows.none), 2)}x`]]
    ),
    ''
  );
}

// 2. Fingerprint throughput against a trivial node on the same data (one pass: a sum).
{
  await loadFingerprints();
  const floats = new Float64Array((100 * 1024 * 1024) / 8).map((_, i) => i * 0.5);
  const records = Array.from({ length: 1_000_000 }, (_, i) => ({ id: i, name: `user${i}`, value: i * 1.5 }));
  const recordBytes = fingerprint(records).bytes;
  const measure = fn => {
    const times = [];
    for (let r = 0; r < reps; r++) {
      collect();
      const t = now();
      fn();
      times.push(now() - t);
    }
    return median(times);
  };
  const sumFloats = () => { let s = 0; for (let i = 0; i < floats.length; i++) s += floats[i]; return s; };
  const sumRecords = () => { let s = 0; for (const r of records) s += r.value; return s; };
  const rows = [];
  for (const [what, value, bytes, trivial] of [
    ['Float64Array, 100 MB', floats, floats.byteLength, sumFloats],
    ['1,000,000 records {id, name, value}', records, recordBytes, sumRecords]
  ]) {
    const fp = measure(() => fingerprint(value));
    const node = measure(trivial);
    rows.push([what, fmt(fp), fmt(bytes / 1e6 / (fp / 1000)), fmt(node), `${fmt(fp / node, 1)}x`]);
  }
  out.push('### Fingerprints', '');
  out.push(table(['value', 'fingerprint (ms)', 'MB/s (hashed bytes)', 'trivial node: a sum (ms)', 'fingerprint / node'], rows), '');
}

// 3. Disk: a retrieved 10 MB value against computing it again; 4. the cost of a miss per node.
{
  const dir = mkdtempSync(join(tmpdir(), 'dagcells-bench-cache-'));
  try {
    const big = `export function big(n: number): Float64Array { const a = new Float64Array(n); for (let i = 0; i < n; i++) a[i] = Math.sin(i); return a; }\nexport function size(big: Float64Array): number { return big.length; }`;
    const inputs = { n: (10 * 1024 * 1024) / 8 };
    const retrieve = [];
    const compute = [];
    await timed(big, ['big'], inputs, { dir });
    for (let r = 0; r < reps; r++) {
      for (const which of r % 2 === 0 ? ['disk', 'none'] : ['none', 'disk']) {
        if (which === 'disk') {
          const run = await timed(big, ['big'], inputs, { store: new DiskStore(dir) });
          if (run.retrieved !== 1) throw new Error('the 10 MB value was not retrieved');
          retrieve.push(run.ms);
        } else {
          compute.push((await timed(big, ['big'], inputs)).ms);
        }
      }
    }
    out.push('### Disk cache: a 10 MB Float64Array', '');
    out.push(
      table(
        ['retrieved from disk (ms)', 'computed again, no cache (ms): Math.sin over 1.3M numbers', 'retrieved / computed'],
        [[fmt(median(retrieve)), fmt(median(compute)), `${fmt(median(retrieve) / median(compute), 2)}x`]]
      ),
      ''
    );

    const n = 1000;
    const chain = [`export function c0(x: number): number { return x + 1; }`];
    for (let i = 1; i < n; i++) chain.push(`export function c${i}(c${i - 1}: number): number { return c${i - 1} + 1; }`);
    const source = chain.join('\n');
    const per = { none: [], memory: [], disk: [], first: [] };
    for (let r = 0; r < reps; r++) {
      per.none.push(((await timed(source, [`c${n - 1}`], { x: 1 })).ms * 1000) / n);
      // The first run of a Driver also reads the code versions of the whole module (parsing it once).
      const store = new MemoryStore();
      const driver = Driver.fromModule(load(source), { source, cache: { store } });
      collect();
      let t = now();
      await driver.execute([`c${n - 1}`], { inputs: { x: 1 } });
      per.first.push(((now() - t) * 1000) / n);
      store.clear();
      collect();
      t = now();
      await driver.execute([`c${n - 1}`], { inputs: { x: 1 } });
      per.memory.push(((now() - t) * 1000) / n);
      const disk = Driver.fromModule(load(source), { source, cache: { dir: join(dir, `miss${r}`) } });
      await disk.execute([`c${n - 1}`], { inputs: { x: 2 } }); // code versions read
      collect();
      t = now();
      await disk.execute([`c${n - 1}`], { inputs: { x: 1 } });
      per.disk.push(((now() - t) * 1000) / n);
    }
    out.push(`### A cache miss, per node (a chain of ${n} trivial nodes, an empty cache)`, '');
    out.push(
      table(
        ['no cache (µs/node)', "memory, a Driver's first run: code versions read (µs/node)", 'memory, miss (µs/node)', 'disk, miss and write (µs/node)'],
        [[fmt(median(per.none)), fmt(median(per.first)), fmt(median(per.memory)), fmt(median(per.disk))]]
      ),
      ''
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(out.join('\n'));

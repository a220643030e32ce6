/**
 * Memory of a run: a chain of 100 nodes, each returning a fresh 10 MB typed
 * array made from its argument. The Driver drops a value as soon as no pending
 * node needs it, so however long the chain, about one value (the argument of
 * the running node) should be alive at a time, against all hundred for a
 * runner that keeps every value.
 *
 *   node --expose-gc bench/memory/run.mjs [--nodes 100] [--mb 10]
 *
 * At the start of each node: a full collection, then the memory still held,
 * relative to what the process held before the first node: array buffers
 * (where typed arrays live) and the resident set size.
 */
import { fmt, machine, requireRuntime, table, numericOptions } from '../common/measure.mjs';

const { Driver } = requireRuntime('./dist/index.js');

const options = numericOptions(process.argv.slice(2), { nodes: 100, mb: 10 }, 'bench/memory/run.mjs');
if (typeof globalThis.gc !== 'function') {
  console.error('bench/memory needs a forced collection: run it as node --expose-gc bench/memory/run.mjs');
  process.exit(2);
}

const MB = 1024 * 1024;
const samples = [];
let baseline;

/** What the process holds now, after a full collection. */
function held() {
  globalThis.gc();
  const { arrayBuffers, rss } = process.memoryUsage();
  return { arrayBuffers, rss };
}

// n0(seed), n1(n0), ...: each reads its argument and returns a new array of the same size.
const length = (options.mb * MB) / Float64Array.BYTES_PER_ELEMENT;
const source = [];
for (let i = 0; i < options.nodes; i++) {
  const previous = i === 0 ? 'seed' : `n${i - 1}`;
  source.push(`n${i}: function n${i}(${previous}) { return step(${i}, ${previous}); }`);
}
const step = (i, previous) => {
  const now = held();
  baseline ??= now;
  samples.push({ node: i, arrayBuffers: now.arrayBuffers - baseline.arrayBuffers, rss: now.rss - baseline.rss });
  const next = new Float64Array(length);
  next.fill(i === 0 ? previous : previous[0] + 1);
  return next;
};
const fns = new Function('step', `return {\n${source.join(',\n')}\n};`)(step);

const last = `n${options.nodes - 1}`;
const out = await Driver.fromFunctions(fns).execute([last], { inputs: { seed: 0 } });
if (out[last][0] !== options.nodes - 1) {
  throw new Error(`the chain computed ${out[last][0]} at its end, not ${options.nodes - 1}`);
}

const peak = key => samples.reduce((best, s) => (s[key] > best[key] ? s : best));
const node = options.mb * MB;
const peakBuffers = peak('arrayBuffers');
const peakRss = peak('rss');
const at = i => samples[Math.min(i, samples.length - 1)];
console.log(`Memory of a chain of ${options.nodes} nodes, each returning a fresh ${options.mb} MB Float64Array\n`);
console.log(`Machine: ${machine()}\n`);
console.log(
  table(
    ['held at the start of a node, after a full collection', 'array buffers MB', 'in node values', 'RSS MB'],
    [
      ['node 2', fmt(at(2).arrayBuffers / MB), fmt(at(2).arrayBuffers / node, 2), fmt(at(2).rss / MB)],
      [`node ${Math.floor(options.nodes / 2)}`, fmt(at(options.nodes >> 1).arrayBuffers / MB), fmt(at(options.nodes >> 1).arrayBuffers / node, 2), fmt(at(options.nodes >> 1).rss / MB)],
      [`node ${options.nodes - 1}`, fmt(at(options.nodes - 1).arrayBuffers / MB), fmt(at(options.nodes - 1).arrayBuffers / node, 2), fmt(at(options.nodes - 1).rss / MB)],
      [
        `peak (array buffers at node ${peakBuffers.node}, RSS at node ${peakRss.node})`,
        fmt(peakBuffers.arrayBuffers / MB),
        fmt(peakBuffers.arrayBuffers / node, 2),
        fmt(peakRss.rss / MB)
      ],
      ['what a runner keeping every value would hold at the last node', fmt(((options.nodes - 1) * node) / MB), fmt(options.nodes - 1, 2), '']
    ]
  )
);

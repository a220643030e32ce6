/**
 * Driver overhead: dagcells building and executing generated DAGs of trivial
 * numeric nodes, against the floor (a hand-written loop calling the same
 * functions in a known topological order) and against Apache Hamilton on the
 * same DAG.
 *
 *   node --expose-gc bench/driver/run.mjs [--sizes 1000,10000] [--shapes chain,fan-in,lattice]
 *                                         [--reps 21] [--no-hamilton] [--baseline DIR]
 *
 * A second figure, *rebuild*, builds again over the same function objects (in
 * a new object each time, as `Driver.fromNotebook()` makes one from the
 * kernel's functions): their parameters were read once, by the first build.
 * `--baseline DIR` also times another build of the runtime (DIR holds its
 * `dist/index.js`, say a checkout of an earlier commit) on the same DAGs, in
 * the same run, alternating with this one.
 *
 * The dagcells functions are real functions made with `new Function`, named
 * like the nodes, whose parameter names the Driver reads at run time, as it
 * does a user's. Each repetition builds from fresh function objects, so the
 * Driver never finds their parameters already read.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

import { fmt, machine, median, now, requireRuntime, ROOT, table } from '../common/measure.mjs';
import { makeDag, SEED, SHAPE_NAMES, sumBody } from './shapes.mjs';

const { Driver } = requireRuntime('./dist/index.js');
const BASELINE = (() => {
  const at = process.argv.indexOf('--baseline');
  return at > 0 ? requireRuntime(join(process.argv[at + 1], 'dist', 'index.js')).Driver : undefined;
})();

const args = parseArgs(process.argv.slice(2));
const SEED_VALUE = 1;
const HAMILTON_PYTHON = join(ROOT, 'bench', '.venv', 'bin', 'python');

/** Source of a function returning one fresh function object per node, keyed by name. */
function factorySource(dag) {
  const members = dag.nodes.map(n => `${n.name}: function ${n.name}(${n.deps.join(', ')}) { return ${sumBody(n.deps)}; }`);
  return `return {\n${members.join(',\n')}\n};`;
}

/**
 * The floor: what a person writes who already knows the order. Arguments are
 * gathered by index into an array and the function called directly.
 */
function makeFloor(dag) {
  const index = new Map(dag.nodes.map((n, i) => [n.name, i]));
  const deps = dag.nodes.map(n => Int32Array.from(n.deps, d => (d === SEED ? -1 : index.get(d))));
  const outputs = dag.outputs.map(o => index.get(o));
  return (fns, seed) => {
    const values = new Array(fns.length);
    for (let i = 0; i < fns.length; i++) {
      const mine = deps[i];
      const argv = new Array(mine.length);
      for (let k = 0; k < mine.length; k++) {
        argv[k] = mine[k] < 0 ? seed : values[mine[k]];
      }
      values[i] = fns[i](...argv);
    }
    const result = {};
    for (const o of outputs) {
      result[dag.nodes[o].name] = values[o];
    }
    return result;
  };
}

/**
 * The least that any driver reading parameter names at run time must do, for
 * scale: take each function from the object, get its text, give its name a
 * number in a map, and look up each parameter's name there. The names are
 * handed over, not read from the text, so this is a bound no real reader
 * reaches; it computes nothing.
 */
function makeNamesBound(dag) {
  const params = dag.nodes.map(n => n.deps);
  const toText = Function.prototype.toString;
  return fns => {
    const ids = new Map();
    let chars = 0;
    let i = 0;
    for (const name of Object.keys(fns)) {
      chars += toText.call(fns[name]).length;
      ids.set(name, i++);
    }
    let found = 0;
    for (const list of params) {
      for (const name of list) {
        found += ids.get(name) ?? 0;
      }
    }
    return chars + found;
  };
}

/**
 * One DAG: the floor and dagcells alternate, repetition by repetition, each
 * going first every other time, so that whatever else the machine does weighs
 * on both alike. Every repetition of each gets its own function objects, made
 * beforehand (a user's functions exist before a Driver is built from them and
 * before a loop calls them): dagcells always reads parameters afresh, and
 * neither finds the functions in the processor's caches because it ran them
 * just before.
 */
async function measure(dag) {
  const factory = new Function(factorySource(dag));
  const floor = makeFloor(dag);
  const reps = args.reps;
  const warmup = Math.max(3, Math.ceil(reps / 5));
  const sets = Array.from({ length: warmup + reps }, () => factory());
  const floorSets = Array.from({ length: warmup + reps }, () => {
    const fns = factory();
    return dag.nodes.map(n => fns[n.name]);
  });
  const expected = floor(floorSets[0], SEED_VALUE);
  const namesBound = makeNamesBound(dag);
  const boundSets = Array.from({ length: warmup + reps }, () => factory());
  const baselineSets = BASELINE ? Array.from({ length: warmup + reps }, () => factory()) : [];
  // The notebook's case: the same functions every time, in a new object each time.
  const same = factory();
  await Driver.fromFunctions(same).execute(dag.outputs, { inputs: { [SEED]: SEED_VALUE } });
  const rebuildMs = [];
  const baselineMs = [];

  const floorMs = [];
  const boundMs = [];
  const buildMs = [];
  const executeMs = [];
  const runFloor = rep => {
    const started = now();
    floor(floorSets[rep], SEED_VALUE);
    if (rep >= warmup) {
      floorMs.push(now() - started);
    }
  };
  for (let rep = 0; rep < warmup + reps; rep++) {
    if (rep % 2 === 0) {
      runFloor(rep);
    }
    const started = now();
    const dr = Driver.fromFunctions(sets[rep]);
    const built = now();
    const out = await dr.execute(dag.outputs, { inputs: { [SEED]: SEED_VALUE } });
    const done = now();
    if (rep >= warmup) {
      buildMs.push(built - started);
      executeMs.push(done - built);
    }
    assertSame(out, expected, `dagcells on the ${dag.shape} of ${dag.size}`);
    if (rep % 2 === 1) {
      runFloor(rep);
    }
    const bounded = now();
    namesBound(boundSets[rep]);
    if (rep >= warmup) {
      boundMs.push(now() - bounded);
    }
    const record = { ...same };
    const rebuilt = now();
    const again = await Driver.fromFunctions(record).execute(dag.outputs, { inputs: { [SEED]: SEED_VALUE } });
    if (rep >= warmup) {
      rebuildMs.push(now() - rebuilt);
    }
    assertSame(again, expected, `dagcells rebuilding the ${dag.shape} of ${dag.size}`);
    if (BASELINE) {
      const based = now();
      const old = await BASELINE.fromFunctions(baselineSets[rep]).execute(dag.outputs, { inputs: { [SEED]: SEED_VALUE } });
      if (rep >= warmup) {
        baselineMs.push(now() - based);
      }
      assertSame(old, expected, `the baseline on the ${dag.shape} of ${dag.size}`);
    }
  }

  let hamilton;
  if (args.hamilton) {
    hamilton = runHamilton(dag, Math.max(3, Math.ceil(reps / 3)));
    assertSame(hamilton.outputs, expected, `Hamilton on the ${dag.shape} of ${dag.size}`);
  }
  return {
    floor: median(floorMs),
    bound: median(boundMs),
    build: median(buildMs),
    execute: median(executeMs),
    rebuild: median(rebuildMs),
    ...(BASELINE ? { baseline: median(baselineMs) } : {}),
    ...(hamilton ? { hamiltonBuild: median(hamilton.build_ms), hamiltonExecute: median(hamilton.execute_ms) } : {})
  };
}

function runHamilton(dag, reps) {
  const job = { nodes: dag.nodes, outputs: dag.outputs, seed: SEED_VALUE, reps, warmup: 1 };
  const run = spawnSync(HAMILTON_PYTHON, [join(ROOT, 'bench', 'driver', 'hamilton_dag.py')], {
    input: JSON.stringify(job),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024
  });
  if (run.error || run.status !== 0) {
    throw new Error(
      `Hamilton did not run the ${dag.shape} of ${dag.size} (${run.error?.message ?? `exit ${run.status}`}).\n${run.stderr ?? ''}` +
        '\nbench/run.sh creates bench/.venv with Hamilton; or pass --no-hamilton.'
    );
  }
  return JSON.parse(run.stdout);
}

function assertSame(actual, expected, what) {
  for (const [name, value] of Object.entries(expected)) {
    if (actual[name] !== value) {
      throw new Error(`${what} computed ${name} = ${actual[name]}, but the direct loop computed ${value}.`);
    }
  }
}

function parseArgs(argv) {
  const options = { sizes: [1000, 10000], shapes: SHAPE_NAMES, reps: 21, hamilton: true };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) {
        throw new Error(`${flag} needs a value.`);
      }
      return v;
    };
    if (flag === '--sizes') {
      options.sizes = value().split(',').map(Number);
    } else if (flag === '--shapes') {
      options.shapes = value().split(',');
    } else if (flag === '--reps') {
      options.reps = Number(value());
    } else if (flag === '--no-hamilton') {
      options.hamilton = false;
    } else if (flag === '--baseline') {
      value(); // read at start-up
    } else {
      throw new Error(`unknown option ${flag}; see the top of bench/driver/run.mjs.`);
    }
  }
  return options;
}

const us = (ms, size) => (ms * 1000) / size;
// Warm the runtime's code on every shape first, so the first DAG measured is not the one that pays for it.
for (const shape of args.shapes) {
  const dag = makeDag(shape, 1000);
  const fns = new Function(factorySource(dag));
  for (let i = 0; i < 10; i++) {
    await Driver.fromFunctions(fns()).execute(dag.outputs, { inputs: { [SEED]: SEED_VALUE } });
  }
}
const rows = [];
for (const shape of args.shapes) {
  for (const size of args.sizes) {
    const dag = makeDag(shape, size);
    const r = await measure(dag);
    const total = r.build + r.execute;
    const row = [
      shape,
      size.toLocaleString('en-US'),
      fmt(us(r.floor, size)),
      `${fmt(us(r.bound, size))} (${fmt(r.bound / r.floor, 1)}x)`,
      fmt(us(r.build, size)),
      fmt(us(r.execute, size)),
      fmt(us(total, size)),
      `${fmt(total / r.floor, 1)}x`
    ];
    row.push(fmt(us(r.rebuild, size)));
    if (BASELINE) {
      row.push(`${fmt(us(r.baseline, size))} (${fmt(total / r.baseline, 2)}x)`);
    }
    if (args.hamilton) {
      const hTotal = r.hamiltonBuild + r.hamiltonExecute;
      row.push(
        fmt(us(r.hamiltonBuild, size)),
        fmt(us(r.hamiltonExecute, size)),
        fmt(us(hTotal, size)),
        `${fmt(hTotal / total, 0)}x`,
        `${fmt(hTotal / r.rebuild, 0)}x`
      );
    }
    rows.push(row);
    process.stderr.write(`[driver] ${shape} ${size}: done\n`);
  }
}

const header = ['DAG', 'nodes', 'floor', 'names read, at least (/ floor)', 'dagcells build', 'dagcells execute', 'dagcells total', 'total / floor', 'rebuild + execute, same functions'];
if (BASELINE) {
  header.push('baseline total (this / baseline)');
}
if (args.hamilton) {
  header.push('Hamilton build', 'Hamilton execute', 'Hamilton total', 'Hamilton / dagcells', 'Hamilton / dagcells rebuild');
}
console.log(`Driver overhead, microseconds per node (median of ${args.reps} runs)\n`);
console.log(`Machine: ${machine()}\n`);
console.log(table(header, rows));

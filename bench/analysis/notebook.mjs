/**
 * A generated notebook the size of a large real one (500 cells, 1,000
 * functions), and a sequence of the edits people make while working in it.
 * Everything comes from a seeded generator, so every run sees the same text.
 *
 * The cells look like the dataflow notebooks dagcells is for: a cell of
 * imports, cells of types, cells of two or three typed functions (function
 * declarations, arrows, async functions, some with JSDoc and tags), a few
 * exploration lines; every other function takes the shared `config`, and
 * functions feed on earlier ones and on a handful of raw inputs.
 */

/** A small, fast, seeded generator (mulberry32): the same notebook on every run. */
export function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TOPICS = ['orders', 'revenue', 'customers', 'sessions', 'refunds', 'spend', 'signups', 'churn', 'margin', 'stock'];
const STEPS = ['clean', 'daily', 'weekly', 'by_region', 'rolling', 'ratio', 'zscore', 'top', 'share', 'trend'];
const INPUTS = ['raw_orders', 'raw_customers', 'raw_events', 'raw_prices'];
const TYPES = ['number', 'number[]', 'Record<string, number>', 'Series', 'Order[]'];

const TYPE_CELLS = [
  [
    'interface Config {',
    '  region: string;',
    '  window: number;',
    '  threshold: number;',
    '}',
    '',
    'type Series = number[];'
  ].join('\n'),
  ['interface Order {', '  id: string;', '  amount: number;', '  region: string;', '  day: number;', '}'].join('\n'),
  "type Region = 'US' | 'EU' | 'APAC';\ntype Amount = number;"
];

const IMPORTS = [
  'import * as fs from "fs";',
  'import { join } from "path";',
  '',
  'const DAY = 24 * 60 * 60 * 1000;'
].join('\n');

/**
 * The body of a function: mostly one to three lines, as dataflow functions
 * are; some longer ones with a loop. Each has a `* k` that body edits change.
 */
function body(rnd, params, valueType) {
  const first = params.find(p => p.name !== 'config')?.name ?? 'config';
  const k = 1 + Math.floor(rnd() * 9);
  const values = `toValues(${first})`;
  const result = list => {
    switch (valueType) {
      case 'number':
        return `  return ${list}.reduce((a, b) => a + b, 0) * ${k};`;
      case 'Record<string, number>':
        return `  return { total: ${list}.length * ${k}, first: ${list}[0] ?? 0 };`;
      case 'Order[]':
        return `  return ${list}.map((v, i) => ({ id: \`o\${i}\`, amount: v * ${k}, region: 'US', day: i }));`;
      default:
        return `  return ${list}.map(v => v * ${k});`;
    }
  };
  const limit = params.some(p => p.name === 'config') ? `config.threshold * ${k}` : `${k * 10}`;
  const form = rnd();
  if (form < 0.5) {
    return [result(values)];
  }
  if (form < 0.8) {
    return [`  const limit = ${limit};`, `  const kept = ${values}.filter(v => v < limit);`, result('kept')];
  }
  return [
    `  const limit = ${limit};`,
    '  const kept: number[] = [];',
    `  for (const v of ${values}) {`,
    '    if (v < limit) {',
    '      kept.push(v);',
    '    }',
    '  }',
    result('kept')
  ];
}

/** One function: a declaration, an arrow or an async function, typed, sometimes documented. */
function functionText(rnd, fn) {
  const params = fn.params.map(p => `${p.name}: ${p.type}`).join(', ');
  const lines = [];
  if (rnd() < 0.3) {
    lines.push('/**', ` * ${fn.name.replace(/_/g, ' ')}, from ${fn.params.map(p => p.name).join(' and ')}.`);
    if (rnd() < 0.5) {
      lines.push(` * @owner team-${1 + Math.floor(rnd() * 4)}`);
    }
    lines.push(' */');
  }
  const bodyLines = body(rnd, fn.params, fn.type);
  const form = rnd();
  if (fn.wrap !== undefined) {
    // Wrapped by a modifier (tag, checkOutput, a config variant, or two nested), as an arrow.
    const arrow = form < 0.85 ? `(${params}): ${fn.type} => {` : `async (${params}): Promise<${fn.type}> => {`;
    const inner = form < 0.85 ? bodyLines : ['  await Promise.resolve();', ...bodyLines];
    const [open, close, declared] = [
      [`tag({ owner: "team-${1 + (fn.wrap % 4)}", stage: "features" }, `, ')', fn.name],
      ['checkOutput({ range: [0, 1e9], importance: "warn" }, ', ')', fn.name],
      ['config.whenNot({ region: "none" }, ', ')', `${fn.name}__v`],
      ['tag({ stage: "model" }, checkOutput({ allowNaN: false }, ', '))', fn.name]
    ][fn.wrap % 4];
    lines.push(`const ${declared} = ${open}${arrow}`, ...inner, `}${close};`);
    return lines.join('\n');
  }
  if (form < 0.6) {
    lines.push(`function ${fn.name}(${params}): ${fn.type} {`, ...bodyLines, '}');
  } else if (form < 0.85) {
    lines.push(`const ${fn.name} = (${params}): ${fn.type} => {`, ...bodyLines, '};');
  } else {
    lines.push(`async function ${fn.name}(${params}): Promise<${fn.type}> {`, '  await Promise.resolve();', ...bodyLines, '}');
  }
  return lines.join('\n');
}

/**
 * @typedef {{ name: string, type: string }} Param
 * @typedef {{ name: string, type: string, params: Param[] }} Fn
 * @typedef {{ id: string, fns: Fn[], extra: string, text: string }} Cell
 */

/** Parameters for a new function: one to three earlier nodes or raw inputs, and config every other time. */
function pickParams(rnd, earlier, wantsConfig) {
  const params = [];
  const count = 1 + Math.floor(rnd() * 3);
  for (let i = 0; i < count; i++) {
    const fromInput = earlier.length === 0 || rnd() < 0.08;
    const source = fromInput
      ? { name: INPUTS[Math.floor(rnd() * INPUTS.length)], type: 'Order[]' }
      : earlier[earlier.length - 1 - Math.floor(rnd() * Math.min(earlier.length, 60))];
    if (!params.some(p => p.name === source.name)) {
      params.push({ name: source.name, type: source.type });
    }
  }
  if (wantsConfig) {
    params.push({ name: 'config', type: 'Config' });
  }
  return params;
}

/** The text of a cell from its functions and extra lines. */
export function cellText(rnd, cell) {
  const parts = cell.fns.map(fn => fn.text ?? (fn.text = functionText(rnd, fn)));
  if (cell.extra) {
    parts.push(cell.extra);
  }
  return parts.join('\n\n');
}

/**
 * The notebook: `cells` code cells defining `functions` functions in all.
 * @returns {{ cells: Cell[], rnd: () => number, names: Fn[] }}
 */
export function makeNotebook({ cells: cellCount = 500, functions = 1000, seed = 42, wrapped = false } = {}) {
  const rnd = random(seed);
  const cells = [];
  const earlier = [];
  cells.push({ id: 'cell-0', fns: [], extra: `${wrapped ? 'import { config, tag, checkOutput } from "dagcells";\n' : ''}${IMPORTS}\n\nfunction _toValuesHelper(x: unknown): number[] {\n  return Array.isArray(x) ? x.map(Number) : [];\n}\nconst toValues = _toValuesHelper;` });
  TYPE_CELLS.forEach((text, i) => cells.push({ id: `cell-${i + 1}`, fns: [], extra: text }));
  const functionCells = cellCount - cells.length;
  let made = 0;
  for (let c = 0; c < functionCells; c++) {
    // Spread the functions evenly: some cells get one more.
    const count = Math.floor(((c + 1) * functions) / functionCells) - Math.floor((c * functions) / functionCells);
    const fns = [];
    for (let f = 0; f < count; f++) {
      const name = `${TOPICS[made % TOPICS.length]}_${STEPS[Math.floor(made / TOPICS.length) % STEPS.length]}_${made}`;
      const fn = { name, type: TYPES[Math.floor(rnd() * TYPES.length)], params: pickParams(rnd, earlier, made % 2 === 0) };
      if (wrapped && made % 3 === 0) {
        fn.wrap = made / 3; // a third of the functions, with the modifiers in turn
      }
      fns.push(fn);
      made++;
    }
    earlier.push(...fns);
    const extra = rnd() < 0.15 ? `console.log(${fns[0]?.name ?? 'DAY'}.toString().length);` : '';
    cells.push({ id: `cell-${cells.length}`, fns, extra });
  }
  for (const cell of cells) {
    cell.text = cellText(rnd, cell);
  }
  return { cells, rnd, functions: earlier };
}

/**
 * Edits as people make them, each a cell's whole new text: mostly changes
 * inside a function's body, some parameter renames (an edge moves), some new
 * functions (a node appears), some edits of the exploration lines around.
 * The notebook's cells are updated as the edits are made.
 * @returns {{ kind: string, id: string, text: string }[]}
 */
export function makeEdits(notebook, count) {
  const { cells, rnd, functions } = notebook;
  const withFunctions = cells.filter(c => c.fns.length > 0);
  const edits = [];
  let added = 0;
  for (let e = 0; e < count; e++) {
    const cell = withFunctions[Math.floor(rnd() * withFunctions.length)];
    const fn = cell.fns[Math.floor(rnd() * cell.fns.length)];
    const roll = rnd();
    let kind;
    if (roll < 0.75) {
      kind = 'body';
      // A number changed, or a line typed into the body.
      fn.text = rnd() < 0.6
        ? fn.text.replace(/\* (\d+)/, (_, d) => `* ${Number(d) + 1}`)
        : fn.text.replace(/\n(\s+return )/, `\n  const step${e} = ${e % 7} * 2;\n$1`);
    } else if (roll < 0.87) {
      kind = 'rename';
      // A parameter now names another node: the edge moves. Mostly to a node
      // defined before, sometimes to one after; never to one downstream, since
      // that makes a cycle, which people fix at once rather than work with.
      const param = fn.params.find(p => p.name !== 'config');
      const below = downstream(functions, fn);
      const at = functions.indexOf(fn);
      const others = functions.filter(f => !below.has(f.name) && !fn.params.some(p => p.name === f.name));
      const before = others.filter(f => functions.indexOf(f) < at);
      const pool = rnd() < 0.8 && before.length > 0 ? before : others;
      const target = pool[Math.floor(rnd() * pool.length)];
      if (param && target) {
        fn.text = fn.text.replace(new RegExp(`\\b${param.name}\\b`, 'g'), target.name);
        param.name = target.name;
      }
    } else if (roll < 0.95) {
      kind = 'new function';
      const name = `added_${added++}`;
      const newFn = { name, type: 'number', params: pickParams(rnd, functions, rnd() < 0.5) };
      cell.fns.push(newFn);
      functions.push(newFn);
    } else {
      kind = 'exploration';
      cell.extra = `console.log(${fn.name}.name, ${e});`;
    }
    cell.text = cellText(rnd, cell);
    edits.push({ kind, id: cell.id, text: cell.text });
  }
  return edits;
}

/** The names of a function and of every function that needs it, directly or not. */
function downstream(functions, fn) {
  const consumers = new Map();
  for (const f of functions) {
    for (const p of f.params) {
      consumers.set(p.name, [...(consumers.get(p.name) ?? []), f.name]);
    }
  }
  const seen = new Set([fn.name]);
  const queue = [fn.name];
  for (let i = 0; i < queue.length; i++) {
    for (const next of consumers.get(queue[i]) ?? []) {
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return seen;
}

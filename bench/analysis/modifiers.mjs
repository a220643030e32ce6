/**
 * Analysis with modifiers: the 500-cell notebook of run.mjs with a third of
 * its functions wrapped (tag, checkOutput, config.whenNot, tag around
 * checkOutput), against the same notebook unwrapped and TypeScript's parser on
 * the wrapped text, in the same run.
 *
 *   node --expose-gc bench/analysis/modifiers.mjs [--runs 7] [--edits 400]
 */
import { fmt, machine, median, now, quantile, requireRuntime, table, numericOptions } from '../common/measure.mjs';
import { makeEdits, makeNotebook } from './notebook.mjs';

const ts = requireRuntime('typescript');
const { analyzeSource, NotebookGraph } = requireRuntime('./dist/notebook/index.js');

const options = numericOptions(process.argv.slice(2), { runs: 7, edits: 400 }, 'bench/analysis/modifiers.mjs');
const WARMUP = 10;

const parse = text => ts.createSourceFile('cell.ts', text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);

function buildGraph(cells) {
  const graph = new NotebookGraph();
  for (const cell of cells) {
    graph.setCell(cell.id, cell.text);
  }
  return { graph, snapshot: graph.snapshot() };
}

/** The passes alternate between the ways measured, so that drift of the machine falls on all alike. */
function timeAlternating(passes) {
  const times = passes.map(() => []);
  for (let run = 0; run < WARMUP + options.runs; run++) {
    passes.forEach((pass, i) => {
      const started = now();
      pass();
      if (run >= WARMUP) {
        times[i].push(now() - started);
      }
    });
  }
  return times.map(median);
}

function timeEdits(seed, wrapped) {
  const notebook = makeNotebook({ seed, wrapped });
  const { graph } = buildGraph(notebook.cells);
  const edit = [];
  const floor = [];
  for (const { id, text } of makeEdits(notebook, options.edits)) {
    let started = now();
    parse(text);
    floor.push(now() - started);
    started = now();
    graph.setCell(id, text);
    graph.snapshot();
    edit.push(now() - started);
  }
  return { edit, floor };
}

const plain = makeNotebook();
const wrapped = makeNotebook({ wrapped: true });
const built = buildGraph(wrapped.cells).snapshot;
const wrappedCount = wrapped.functions.filter(f => f.wrap !== undefined).length;
const withModifiers = [...built.nodes.values()].filter(n => n.modifiers || n.variant || n.checks || Object.keys(n.tags).length > 0).length;

const [floorMs, plainAnalysisMs, analysisMs, plainGraphMs, graphMs] = timeAlternating([
  () => wrapped.cells.forEach(c => parse(c.text)),
  () => plain.cells.forEach(c => analyzeSource(c.text)),
  () => wrapped.cells.forEach(c => analyzeSource(c.text)),
  () => buildGraph(plain.cells),
  () => buildGraph(wrapped.cells)
]);

timeEdits(1, true);
const runs = [];
for (let run = 0; run < options.runs; run++) {
  runs.push({ plain: timeEdits(100 + run, false), wrapped: timeEdits(100 + run, true) });
}
const stat = (pick, q) => median(runs.map(r => quantile(pick(r), q)));

console.log(`Analysis with modifiers (median of ${options.runs} runs)\n`);
console.log(`Machine: ${machine()}\n`);
console.log(
  `Notebook: ${wrapped.cells.length} cells, ${wrapped.functions.length} functions, ${wrappedCount} of them wrapped; ` +
    `${built.nodes.size} nodes in its graph, ${withModifiers} carrying what a modifier says.\n`
);
console.log(
  table(
    ['whole notebook', 'ms', 'ratio to the floor'],
    [
      ['ts.createSourceFile on every wrapped cell (floor)', fmt(floorMs), '1.00x'],
      ['analyzeSource, unwrapped notebook', fmt(plainAnalysisMs), `${fmt(plainAnalysisMs / floorMs, 2)}x`],
      ['analyzeSource, wrapped notebook', fmt(analysisMs), `${fmt(analysisMs / floorMs, 2)}x`],
      ['NotebookGraph setCell + snapshot, unwrapped', fmt(plainGraphMs), `${fmt(plainGraphMs / floorMs, 2)}x`],
      ['NotebookGraph setCell + snapshot, wrapped', fmt(graphMs), `${fmt(graphMs / floorMs, 2)}x`]
    ]
  )
);
console.log(`\nOne-cell edits: ${options.edits} per run.\n`);
console.log(
  table(
    ['one-cell edit', 'p50 ms', 'p95 ms', 'max ms'],
    [
      ['ts.createSourceFile on the wrapped cell (floor)', fmt(stat(r => r.wrapped.floor, 0.5), 3), fmt(stat(r => r.wrapped.floor, 0.95), 3), fmt(stat(r => r.wrapped.floor, 1), 3)],
      ['setCell + snapshot(), unwrapped', fmt(stat(r => r.plain.edit, 0.5), 3), fmt(stat(r => r.plain.edit, 0.95), 3), fmt(stat(r => r.plain.edit, 1), 3)],
      ['setCell + snapshot(), wrapped', fmt(stat(r => r.wrapped.edit, 0.5), 3), fmt(stat(r => r.wrapped.edit, 0.95), 3), fmt(stat(r => r.wrapped.edit, 1), 3)]
    ]
  )
);

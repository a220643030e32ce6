/**
 * Source analysis and the live notebook graph, against the floor of
 * TypeScript's own parser on the same text.
 *
 *   node --expose-gc bench/analysis/run.mjs [--runs 7] [--edits 400]
 *
 * Full build: a new NotebookGraph, setCell for each of the 500 cells, then
 * snapshot(), as when a notebook is opened. One-cell edit: setCell with the
 * edited cell's text, then snapshot(), as after each (debounced) keystroke.
 * The floor is ts.createSourceFile on the same texts: analysis cannot parse
 * less than that.
 */
import { fmt, machine, median, now, quantile, requireRuntime, table, numericOptions } from '../common/measure.mjs';
import { makeEdits, makeNotebook } from './notebook.mjs';

const ts = requireRuntime('typescript');
const { analyzeSource, NotebookGraph } = requireRuntime('./dist/notebook/index.js');

const options = numericOptions(process.argv.slice(2), { runs: 7, edits: 400 }, 'bench/analysis/run.mjs');
const WARMUP = 10;

function parse(text) {
  return ts.createSourceFile('cell.ts', text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
}

/**
 * Passes over the whole notebook until the code is warm (TypeScript's parser
 * takes about ten), then the median of the measured ones. No collection is
 * forced between runs: a forced one costs the next run its warmth.
 */
function timeNotebook(cells, pass) {
  const times = [];
  for (let run = 0; run < WARMUP + options.runs; run++) {
    const started = now();
    pass(cells);
    if (run >= WARMUP) {
      times.push(now() - started);
    }
  }
  return median(times);
}

function buildGraph(cells) {
  const graph = new NotebookGraph();
  for (const cell of cells) {
    graph.setCell(cell.id, cell.text);
  }
  return { graph, snapshot: graph.snapshot() };
}

/**
 * One run of the edit sequence on a freshly opened notebook: the time of each
 * edit's setCell + snapshot, and of parsing the edited text alone.
 */
function timeEdits(seed) {
  const notebook = makeNotebook({ seed });
  const { graph } = buildGraph(notebook.cells);
  const edits = makeEdits(notebook, options.edits);
  const edit = [];
  const floor = [];
  for (const { id, text } of edits) {
    let started = now();
    parse(text);
    floor.push(now() - started);
    started = now();
    graph.setCell(id, text);
    graph.snapshot();
    edit.push(now() - started);
  }
  return { edit, floor, kinds: edits.map(e => e.kind), graph };
}

const notebook = makeNotebook();
const cells = notebook.cells;
const functionCount = buildGraph(cells).snapshot.nodes.size;

const floorMs = timeNotebook(cells, all => all.forEach(c => parse(c.text)));
const analysisMs = timeNotebook(cells, all => all.forEach(c => analyzeSource(c.text)));
const graphMs = timeNotebook(cells, buildGraph);

// Edits: a warm-up run, then runs on fresh notebooks; each run's percentiles, then their medians.
timeEdits(1);
const runs = [];
for (let run = 0; run < options.runs; run++) {
  runs.push(timeEdits(100 + run));
}
const stat = (pick, q) => median(runs.map(r => quantile(pick(r), q)));
const byKind = kind => r => r.edit.filter((_, i) => r.kinds[i] === kind);
const kinds = [...new Set(runs[0].kinds)];

console.log(`Analysis and the notebook graph (median of ${options.runs} runs)\n`);
console.log(`Machine: ${machine()}\n`);
const characters = cells.reduce((n, c) => n + c.text.length, 0);
console.log(
  `Notebook: ${cells.length} cells, ${notebook.functions.length} functions, ` +
    `${Math.round(characters / 1000)} k characters; ${functionCount} nodes in its graph.\n`
);
console.log(
  table(
    ['whole notebook', 'ms', 'ratio to the floor'],
    [
      ['ts.createSourceFile on every cell (floor)', fmt(floorMs), '1.00x'],
      ['analyzeSource on every cell', fmt(analysisMs), `${fmt(analysisMs / floorMs, 2)}x`],
      ['NotebookGraph: setCell every cell, snapshot()', fmt(graphMs), `${fmt(graphMs / floorMs, 2)}x`]
    ]
  )
);
console.log(`\nOne-cell edits: ${options.edits} per run (${kinds.map(k => `${k} ${runs[0].kinds.filter(x => x === k).length}`).join(', ')}).\n`);
console.log(
  table(
    ['one-cell edit', 'p50 ms', 'p95 ms', 'max ms'],
    [
      ['ts.createSourceFile on the cell (floor)', fmt(stat(r => r.floor, 0.5), 3), fmt(stat(r => r.floor, 0.95), 3), fmt(stat(r => r.floor, 1), 3)],
      ['setCell + snapshot(), every edit', fmt(stat(r => r.edit, 0.5), 3), fmt(stat(r => r.edit, 0.95), 3), fmt(stat(r => r.edit, 1), 3)],
      ...kinds.map(kind => [
        `... ${kind} edits`,
        fmt(stat(byKind(kind), 0.5), 3),
        fmt(stat(byKind(kind), 0.95), 3),
        fmt(stat(byKind(kind), 1), 3)
      ])
    ]
  )
);

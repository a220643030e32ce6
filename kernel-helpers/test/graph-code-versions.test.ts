/**
 * One notion of code version for the notebook panel and the Driver: the panel
 * has only the cells (no functions) and computes each node's version with
 * `graphCodeVersions`; a Driver of the notebook's exported module computes the
 * same ones, nodes made by modifiers included. So a file a saver wrote from the
 * panel is current for the exported module, and the kernel's cache keys
 * modifier-made nodes too.
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import ts from 'typescript';

import * as dagcells from '../src';
import { Driver, MemoryStore } from '../src';
import type { CacheEvent, ExecutionEvent } from '../src';
import { isEmbedded, nodeCodeVersions } from '../src/cache';
import { exportNotebook } from '../src/export';
import { graphCodeVersions, NotebookGraph } from '../src/notebook';

function load(source: string): Record<string, unknown> {
  const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 } }).outputText;
  const module = { exports: {} as Record<string, unknown> };
  const req = (id: string) => (id === 'dagcells' ? dagcells : require(id));
  new Function('module', 'exports', 'require', js)(module, module.exports, req);
  return module.exports;
}

const CELLS = [
  'import { config, extractFields, parameterize, saveTo, source, value } from "dagcells";',
  'const RATE = 2;\nfunction _scale(x: number): number { return x * RATE; }',
  'const spend__us = config.when({ region: "US" }, (raw_spend: number[]): number[] => raw_spend.map(_scale));',
  'const spend__eu = config.when({ region: "EU" }, (raw_eur: number[], eur_usd: number): number[] => raw_eur.map(x => x * eur_usd));',
  'function total(spend: number[]): number { return spend.reduce((a, b) => a + b, 0); }',
  'const ratio = parameterize({ half: { num: source("total"), den: value(2) } }, (num: number, den: number): number => num / den);',
  'const stats = extractFields(["mean"], (spend: number[]): { mean: number } => ({ mean: spend.reduce((a, b) => a + b, 0) / spend.length }));',
  'const report = saveTo.json({ path: source("report_path"), outputName: "save_report" }, (total: number, half: number, mean: number): { total: number; half: number; mean: number } => ({ total, half, mean }));',
  'console.log(total([1, 2]));'
];
const cells = CELLS.map(source => ({ type: 'code' as const, source }));

/** The notebook's graph as the panel reads it, with config `region`. */
function panelGraph(cellTexts: readonly string[], region: string) {
  const graph = new NotebookGraph({ config: { region } });
  cellTexts.forEach((source, i) => graph.setCell(`c${i}`, source));
  return graph.snapshot();
}

describe('graphCodeVersions: the panel computes what a Driver of the exported module computes', () => {
  test('every function node of the notebook, modifier-made ones included, has the exported module\'s version', () => {
    const exported = exportNotebook(cells, { notebook: 'flow.ipynb' }).text as string;
    expect(exported).toContain('export function total');
    for (const region of ['US', 'EU']) {
      const snapshot = panelGraph(CELLS, region);
      const panel = graphCodeVersions(cells, snapshot);
      const driver = Driver.fromModule(load(exported), { source: exported, config: { region } });
      const functions = [...driver.graph.nodes.values()].filter(n => n.kind === 'function').map(n => n.name).sort();
      expect(functions).toEqual(['half', 'mean', 'report', 'save_report', 'spend', 'stats', 'total']);
      expect(Object.keys(panel).sort()).toEqual(functions);
      for (const name of functions) {
        expect({ name, version: panel[name] }).toEqual({ name, version: driver.codeVersion(name) });
        expect(panel[name]).toMatch(/^[0-9a-f]{14}$/);
      }
    }
  });

  test('a variant chosen by other config, and an edit of a helper, give the node another version', () => {
    const us = graphCodeVersions(cells, panelGraph(CELLS, 'US'));
    const eu = graphCodeVersions(cells, panelGraph(CELLS, 'EU'));
    expect(us.spend).not.toBe(eu.spend);
    expect(us.total).toBe(eu.total);
    const editedTexts = CELLS.map((c, i) => (i === 1 ? c.replace('x * RATE', 'x * RATE + 1') : c));
    const edited = graphCodeVersions(editedTexts.map(source => ({ type: 'code' as const, source })), panelGraph(editedTexts, 'US'));
    expect(Object.keys(us).filter(n => edited[n] !== us[n])).toEqual(['spend']);
    // The names asked for only, and only functions.
    expect(graphCodeVersions(cells, panelGraph(CELLS, 'US'), ['total', 'raw_spend', 'nothing'])).toEqual({ total: us.total });
  });

  test('a function of a tslab module cell, imported by the next cells, has the version the exported module gives it', () => {
    const moduleCells = [
      '/** @module units */\nexport const FREEZING_F = 32;\nexport function fahrenheit(celsius: number): number { return celsius * 1.8 + 32; }',
      'import { fahrenheit, FREEZING_F } from "./units";\nfunction frost(temperatures_c: number[]): number { return temperatures_c.map(fahrenheit).filter(t => t <= FREEZING_F).length; }'
    ].map(source => ({ type: 'code' as const, source }));
    const exported = exportNotebook(moduleCells, { notebook: 'flow.ipynb' }).text as string;
    const graph = new NotebookGraph();
    moduleCells.forEach((cell, i) => graph.setCell(`c${i}`, cell.source));
    const panel = graphCodeVersions(moduleCells, graph.snapshot());
    const driver = Driver.fromModule(load(exported), { source: exported });
    expect(Object.keys(panel).sort()).toEqual(['fahrenheit', 'frost']);
    expect(panel).toEqual({ fahrenheit: driver.codeVersion('fahrenheit'), frost: driver.codeVersion('frost') });
    // The module cell's constant is part of what `frost` computes.
    const edited = moduleCells.map((cell, i) => (i === 0 ? { ...cell, source: cell.source.replace('= 32', '= 0') } : cell));
    expect(graphCodeVersions(edited, graph.snapshot()).frost).not.toBe(panel.frost);
  });

  test('the export keyword, comments and layout do not count', () => {
    const versions = nodeCodeVersions('export function f(a: number): number {\n  return a + 1; // one\n}');
    expect(versions('f', undefined)).toBe(nodeCodeVersions('function f(a: number): number { return a + 1; }')('f', undefined));
  });

  test("a subdag's embedded node keeps its function's text; without the function it has no version", () => {
    expect(isEmbedded('ns.a', ['subdag'])).toBe(true);
    expect(isEmbedded('half', ['parameterize'])).toBe(false);
    expect(isEmbedded('spend.step1', ['pipeInput'])).toBe(false);
    const versions = nodeCodeVersions('const s = subdag(mod, {}, (a: number): number => a);');
    expect(versions('s.a', undefined, 's', ['subdag'])).toBeUndefined();
    const one = versions('s.a', (a: number) => a + 1, 's', ['subdag']);
    const two = versions('s.a', (a: number) => a + 2, 's', ['subdag']);
    expect(one).toMatch(/^[0-9a-f]{14}$/);
    expect(one).not.toBe(two);
  });
});

describe('a saver with a cache', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dagcells-saver-cache-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('writes its file on every run, while what it saves comes from the cache', async () => {
    const source = 'import { saveTo, source } from "dagcells";\nexport const report = saveTo.json({ path: source("p") }, (raw: number[]): number[] => raw);';
    const driver = Driver.fromModule(load(source), { source, cache: { store: new MemoryStore() } });
    const run = async () => {
      const events: CacheEvent[] = [];
      await driver.execute(['save_report'], {
        inputs: { raw: [1], p: join(dir, 'r.json') },
        onEvent: (e: ExecutionEvent) => e.type === 'node-cache' && events.push(e)
      });
      return Object.fromEntries(events.map(e => [e.node, e.status === 'uncached' ? e.reason : e.status]));
    };
    expect(await run()).toEqual({ report: 'computed', save_report: 'a saver writes its file on every run that asks for it' });
    rmSync(join(dir, 'r.json'));
    expect(await run()).toEqual({ report: 'retrieved', save_report: 'a saver writes its file on every run that asks for it' });
    expect(require('fs').readFileSync(join(dir, 'r.json'), 'utf8')).toBe('[1]\n');
  });
});

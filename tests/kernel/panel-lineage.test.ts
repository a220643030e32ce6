/**
 * Panel runs in a real tslab kernel, for nodes that modifiers make: a saver run
 * from the panel writes the same lineage record as the CLI, so that
 * `dagcells lineage FILE --module EXPORTED.ts` says whether the file is current
 * for the notebook's export; and a config variant, a parameterized node and an
 * extracted field have code versions in the panel, so their second run comes
 * from the kernel's cache.
 */
import { spawnSync } from 'child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

import * as notebookModule from '../../kernel-helpers/src/notebook';
import { exportNotebook } from '../../kernel-helpers/src/export';
import { CODE_VERSION_SCHEME } from '../../kernel-helpers/src/cache';
import { runSelection } from '../../extension/src/execute/runner';
import { NotebookGraphModel } from '../../extension/src/model/graph-model';
import { startKernel, TestKernel } from './harness/kernel';

const bin = join(__dirname, '..', '..', 'kernel-helpers', 'dist', 'cli', 'bin.js');

const CELLS = [
  'import { config, extractFields, parameterize, saveTo, source, value } from "dagcells";',
  'const RATE = 2;\nfunction _scale(x: number): number { return x * RATE; }',
  'const spend__us = config.when({ region: "US" }, (raw_spend: number[]): number[] => raw_spend.map(_scale));',
  'const spend__eu = config.when({ region: "EU" }, (raw_eur: number[], eur_usd: number): number[] => raw_eur.map(x => x * eur_usd));',
  'function total(spend: number[]): number { return spend.reduce((a, b) => a + b, 0); }',
  'const ratio = parameterize({ half: { num: source("total"), den: value(2) } }, (num: number, den: number): number => num / den);',
  'const stats = extractFields(["mean"], (spend: number[]): { mean: number } => ({ mean: spend.reduce((a, b) => a + b, 0) / spend.length }));',
  'const report = saveTo.json({ path: source("report_path"), outputName: "save_report" }, (half: number, mean: number): { half: number; mean: number } => ({ half, mean }));'
];

describe('panel runs of modifier-made nodes', () => {
  let kernel: TestKernel;
  let outside: string;
  let model: NotebookGraphModel;

  beforeAll(async () => {
    outside = mkdtempSync(join(tmpdir(), 'dagcells-panel-lineage-'));
    kernel = await startKernel({ cwd: outside });
  });
  afterAll(async () => {
    await kernel.shutdown();
    rmSync(outside, { recursive: true, force: true });
  });

  const setCells = (cells: readonly string[]) => {
    const ids = cells.map((_, i) => `c${i + 1}`);
    model.updateCells(cells.map((source, i) => ({ id: ids[i], source })), ids);
  };
  const exportTo = (cells: readonly string[], file: string) => {
    const exported = exportNotebook(cells.map(source => ({ type: 'code' as const, source })), { notebook: 'flow.ipynb' });
    expect(exported.problems.filter(p => p.blocking)).toEqual([]);
    writeFileSync(join(outside, file), exported.text as string);
  };
  const lineage = (...args: string[]) => spawnSync(process.execPath, [bin, 'lineage', ...args], { cwd: outside, encoding: 'utf8' });
  const stateOf = (name: string) => model.view.states.get(name);

  it('a saver run from the panel records the lineage the CLI reads: current for the export, then naming the changed node', async () => {
    model = new NotebookGraphModel();
    model.setAnalysis(notebookModule);
    setCells(CELLS);
    model.setConfigValue('region', 'US');
    expect(model.view.graph.nodes.get('spend')?.declaredAs).toBe('spend__us');
    const file = join(outside, 'out', 'report.json');
    model.select(['save_report']);
    model.setInput('raw_spend', '[1, 2, 3]');
    model.setInput('report_path', JSON.stringify(file));
    await runSelection(model, kernel.kernel);
    expect(Object.fromEntries(model.view.errors)).toEqual({});
    expect(model.view.message?.text).toMatch(/^Done in/);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ half: 6, mean: 4 });

    const shown = lineage('out/report.json');
    expect(shown.stderr).toBe('');
    expect(shown.status).toBe(0);
    const printed = JSON.parse(shown.stdout);
    expect(printed).toMatchObject({
      saver: 'save_report',
      owner: 'save_report',
      config: { region: 'US' },
      dagcellsVersion: '0.1.0',
      codeVersionScheme: CODE_VERSION_SCHEME
    });
    expect(new Date(printed.writtenAt).getTime()).toBeGreaterThan(Date.now() - 10 * 60 * 1000);
    expect(printed.upstream.map((u: { node: string; kind: string }) => `${u.node}:${u.kind}`)).toEqual([
      'half:function',
      'mean:function',
      'raw_spend:input',
      'report:function',
      'report_path:input',
      'spend:function',
      'stats:function',
      'total:function'
    ]);
    for (const entry of printed.upstream as { node: string; kind: string; version?: string }[]) {
      expect({ node: entry.node, versioned: entry.version !== undefined }).toEqual({ node: entry.node, versioned: entry.kind === 'function' });
    }
    expect(Object.keys(printed.inputs).sort()).toEqual(['raw_spend', 'report_path']);

    exportTo(CELLS, 'flow.ts');
    const current = lineage('out/report.json', '--module', 'flow.ts', '--config', 'region=US');
    expect(current.stderr).toBe('');
    expect(current.status).toBe(0);
    expect(JSON.parse(current.stdout).check).toMatchObject({ current: true, changed: [], missing: [], added: [], configChanged: [] });

    // An edit of the helper a variant uses: the file is no longer current, and the variant's node is named.
    exportTo(CELLS.map((c, i) => (i === 1 ? c.replace('x * RATE', 'x * RATE + 1') : c)), 'flow.ts');
    const stale = lineage('out/report.json', '--module', 'flow.ts', '--config', 'region=US');
    expect(stale.status).toBe(1);
    expect(stale.stderr).toBe('dagcells lineage: out/report.json is not current for flow.ts: code changed: spend.\n');
    // Other config picks the other variant.
    exportTo(CELLS, 'flow.ts');
    const eu = lineage('out/report.json', '--module', 'flow.ts', '--config', 'region=EU');
    expect(eu.status).toBe(1);
    expect(eu.stderr).toContain('config differs: region');
  });

  it('a second panel run takes a config variant, a parameterized node and an extracted field from the cache, and the saver writes again', async () => {
    const cache = { bytes: 16 << 20 };
    const file = join(outside, 'out', 'report.json');
    rmSync(file, { force: true });
    model.select(['save_report']);
    await runSelection(model, kernel.kernel, undefined, cache);
    expect(Object.fromEntries(model.view.errors)).toEqual({});
    expect(stateOf('spend')).toBe('ok');
    await runSelection(model, kernel.kernel, undefined, cache);
    expect(Object.fromEntries(model.view.errors)).toEqual({});
    const states = Object.fromEntries(['spend', 'total', 'half', 'stats', 'mean', 'report', 'save_report'].map(n => [n, stateOf(n)]));
    expect(states).toEqual({ spend: 'cached', total: 'cached', half: 'cached', stats: 'cached', mean: 'cached', report: 'cached', save_report: 'ok' });
    // The saver ran again (never from the cache): the file is there, with a record of this run.
    rmSync(file);
    await runSelection(model, kernel.kernel, undefined, cache);
    expect(existsSync(file)).toBe(true);
    expect(stateOf('half')).toBe('cached');

    // Editing the helper the variant uses computes the variant and what follows again.
    setCells(CELLS.map((c, i) => (i === 1 ? c.replace('x * RATE', 'x * RATE * 1') : c)));
    await runSelection(model, kernel.kernel, undefined, cache);
    expect(Object.fromEntries(model.view.errors)).toEqual({});
    expect(stateOf('spend')).toBe('ok');
  });
});

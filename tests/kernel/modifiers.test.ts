/**
 * Modifiers in a real tslab kernel: `import { config, saveTo } from "dagcells"`
 * type-checks and runs in a folder outside the project, with nothing installed
 * there, and the notebook's Driver reads the wrapped functions.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { startKernel, TestKernel } from './harness/kernel';
import * as notebookModule from '../../kernel-helpers/src/notebook';
import { runSelection } from '../../extension/src/execute/runner';
import { NotebookGraphModel } from '../../extension/src/model/graph-model';

describe('modifiers in a tslab kernel outside the project', () => {
  let kernel: TestKernel;
  let outside: string;
  beforeAll(async () => {
    outside = mkdtempSync(join(tmpdir(), 'dagcells-modifiers-nb-'));
    kernel = await startKernel({ cwd: outside });
  });
  afterAll(async () => {
    await kernel.shutdown();
    rmSync(outside, { recursive: true, force: true });
  });

  it('type-checks and runs config variants and a saver, with nothing installed in the folder', async () => {
    expect(readdirSync(outside)).toEqual([]);
    const cell1 = [
      'import { config, saveTo, source, Driver } from "dagcells";',
      'const spend__us = config.when({ region: "US" }, (raw_spend: number[]): number[] => raw_spend);',
      'const spend__eu = config.when({ region: "EU" }, (raw_eur: number[], eur_usd: number): number[] => raw_eur.map(x => x * eur_usd));',
      'const report = saveTo.json({ path: source("report_path"), outputName: "save_report" }, (spend: number[]): { total: number } => ({ total: spend.reduce((a, b) => a + b, 0) }));'
    ].join('\n');
    expect(await kernel.execute(cell1)).toMatchObject({ status: 'ok', stderr: '' });
    const cell2 = [
      'const us = await Driver.fromNotebook({ config: { region: "US" } }).execute(["report"], { inputs: { raw_spend: [1, 2] } });',
      'const eu = await Driver.fromNotebook({ config: { region: "EU" } }).execute(["save_report"], { inputs: { raw_eur: [1, 2], eur_usd: 2, report_path: "out/report.json" } });',
      'console.log(JSON.stringify({ us, eu }));'
    ].join('\n');
    const result = await kernel.execute(cell2);
    expect(result).toMatchObject({ status: 'ok', stderr: '' });
    const { us, eu } = JSON.parse(result.stdout);
    expect(us).toEqual({ report: { total: 3 } });
    expect(eu.save_report).toMatchObject({ format: 'json', path: join(outside, 'out', 'report.json') });
    expect(JSON.parse(readFileSync(join(outside, 'out', 'report.json'), 'utf8'))).toEqual({ total: 6 });
  });

  it('reports a type error in a wrapped function like any other cell', async () => {
    const result = await kernel.execute('import { tag } from "dagcells";\nconst bad = tag({ owner: "x" }, (a: number): string => a);');
    expect(result.status).toBe('error');
    expect(result.stderr).toMatch(/not assignable to type 'string'/);
    expect(existsSync(join(outside, 'node_modules'))).toBe(false);
  });
});

describe('the panel runs wrapped functions in the kernel', () => {
  let kernel: TestKernel;
  let outside: string;
  beforeAll(async () => {
    outside = mkdtempSync(join(tmpdir(), 'dagcells-modifiers-panel-'));
    kernel = await startKernel({ cwd: outside });
  });
  afterAll(async () => {
    await kernel.shutdown();
    rmSync(outside, { recursive: true, force: true });
  });

  it('runs a saver only when selected, and stops at a failing check naming its node', async () => {
    const cells = [
      'import { checkOutput, saveTo, source } from "dagcells";',
      'const clean = checkOutput({ range: [0, 10], importance: "fail" }, (raw: number[]): number[] => raw);',
      'const report = saveTo.json({ path: source("out_path") }, (clean: number[]): number[] => clean.map(x => x * 2));'
    ];
    const model = new NotebookGraphModel();
    model.setAnalysis(notebookModule);
    const ids = cells.map((_, i) => `c${i + 1}`);
    model.updateCells(cells.map((source, i) => ({ id: ids[i], source })), ids);
    expect(model.view.graph.nodes.get('save_report')?.role).toBe('saver');
    const file = join(outside, 'out', 'report.json');

    model.select(['report']);
    model.setInput('raw', '[1, 2]');
    model.setInput('out_path', JSON.stringify(file));
    await runSelection(model, kernel.kernel);
    expect(Object.fromEntries(model.view.errors)).toEqual({});
    expect(model.view.results.get('report')?.text).toContain('2');
    expect(existsSync(file)).toBe(false);

    model.select(['save_report']);
    await runSelection(model, kernel.kernel);
    expect(Object.fromEntries(model.view.errors)).toEqual({});
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual([2, 4]);

    model.select(['report']);
    model.setInput('raw', '[1, 20]');
    await runSelection(model, kernel.kernel);
    expect(model.view.errors.get('clean')).toMatch(/clean failed its check: element 1 \(20\) is outside the range \[0, 10\]/);
  });
});

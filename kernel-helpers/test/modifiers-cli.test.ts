/**
 * Modifiers through export and the CLI: a notebook's wrapped functions are
 * exported as written with the dagcells import they need, and the exported
 * module runs under `dagcells run` with the variants the config picks, in a
 * folder where nothing is installed.
 */
import { spawnSync } from 'child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

import { exportNotebook } from '../src/export';

const root = join(__dirname, '..');
const bin = join(root, 'dist', 'cli', 'bin.js');

beforeAll(() => {
  const built = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-b', root], { encoding: 'utf8' });
  if (built.status !== 0) {
    throw new Error(`building the CLI failed:\n${built.stdout}${built.stderr}`);
  }
});

const cells = [
  { type: 'code' as const, source: 'import { config, checkOutput, saveTo, source } from "dagcells";' },
  {
    type: 'code' as const,
    source: `const features__basic = config.when({ feature_set: "basic" }, (raw: number[]): number[] => raw);
const features__rich = config.when({ feature_set: "rich" }, (raw: number[]): number[] => raw.map(x => x * x));`
  },
  {
    type: 'code' as const,
    source: `const predictions = saveTo.json({ path: source("predictions_path"), outputName: "save_predictions" },
  checkOutput({ range: [0, 100], importance: "warn" }, (features: number[]): number[] => features.map(x => x + 1)));`
  },
  { type: 'code' as const, source: 'predictions([1, 2]);' }
];

function dagcells(args: string[], cwd: string) {
  const result = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('export and run with modifiers', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dagcells-mod-cli-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('the export keeps the modifiers as written and the dagcells import', () => {
    const result = exportNotebook(cells, { notebook: 'variants.ipynb' });
    expect(result.text).toContain('import { config, checkOutput, saveTo, source } from "dagcells";');
    expect(result.text).toContain('export const features__basic = config.when({ feature_set: "basic" }');
    expect(result.text).toContain('export const predictions = saveTo.json(');
    expect(result.text).not.toContain('predictions([1, 2]);');
    expect(result.functions).toEqual(expect.arrayContaining(['features__basic', 'features__rich', 'predictions']));
  });

  test('the exported module runs under the CLI with the variants the config picks', () => {
    const file = join(dir, 'variants.ts');
    writeFileSync(file, exportNotebook(cells, { notebook: 'variants.ipynb' }).text as string);
    const inputs = JSON.stringify({ raw: [1, 2, 3] });
    const basic = dagcells(['run', 'variants.ts', '--outputs', 'predictions', '--inputs', inputs, '--config', 'feature_set=basic'], dir);
    expect(basic.stderr).toBe('');
    expect(JSON.parse(basic.stdout)).toEqual({ predictions: [2, 3, 4] });
    const rich = dagcells(['run', 'variants.ts', '--outputs', 'predictions', '--inputs', inputs, '--config', '{"feature_set":"rich"}'], dir);
    expect(JSON.parse(rich.stdout)).toEqual({ predictions: [2, 5, 10] });
    expect(existsSync(join(dir, 'p.json'))).toBe(false);
  });

  test('a saver runs only when requested; a warn check goes to stderr with the node', () => {
    const file = join(dir, 'variants.ts');
    writeFileSync(file, exportNotebook(cells, { notebook: 'variants.ipynb' }).text as string);
    const inputs = JSON.stringify({ raw: [1, 20], predictions_path: 'out/p.json' });
    const run = dagcells(['run', 'variants.ts', '--outputs', 'save_predictions', '--inputs', inputs, '--config', 'feature_set=rich'], dir);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/warning: predictions failed its check: element 1 \(401\) is outside the range \[0, 100\]/);
    const out = JSON.parse(run.stdout).save_predictions;
    expect(out).toMatchObject({ format: 'json', path: join(dir, 'out', 'p.json') });
    expect(JSON.parse(readFileSync(join(dir, 'out', 'p.json'), 'utf8'))).toEqual([2, 401]);
  });

  test('no variant for the config: the run fails naming the missing node', () => {
    const file = join(dir, 'variants.ts');
    writeFileSync(file, exportNotebook(cells, { notebook: 'variants.ipynb' }).text as string);
    const run = dagcells(['run', 'variants.ts', '--outputs', 'predictions', '--inputs', '{"raw":[1]}', '--config', 'feature_set=none'], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('features');
  });
});

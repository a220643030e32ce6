import { spawnSync } from 'child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { join } from 'path';

import { exportNotebook, moduleToCells, readNotebook } from '../../kernel-helpers/src/export';
import { startKernel, TestKernel } from './harness/kernel';
import { PROJECT_ROOT } from './harness/server';

/**
 * The promise of the export, checked end to end: a notebook run in a real tslab
 * kernel and its exported module run by the CLI in a real Node process give the
 * same values, and the module compiles with the real TypeScript compiler,
 * strict, with @types/node.
 */
const bin = join(PROJECT_ROOT, 'kernel-helpers', 'dist', 'cli', 'bin.js');
const tsc = require.resolve('typescript/bin/tsc');

interface Case {
  notebook: string;
  from: string;
  outputs: string[];
  inputs: Record<string, unknown>;
  config?: Record<string, unknown>;
}

const CASES: Case[] = [
  {
    notebook: 'hello_world.ipynb',
    from: join(PROJECT_ROOT, 'notebooks'),
    outputs: ['spend_per_signup', 'spend_zero_mean_unit_variance', 'avg_3wk_spend', 'spend_mean'],
    inputs: { raw_spend: [10, 10, 20, 40, 40, 50], raw_signups: [1, 10, 50, 100, 200, 400] }
  },
  {
    notebook: 'feature_engineering.ipynb',
    from: join(PROJECT_ROOT, 'notebooks'),
    outputs: ['segments', 'region_summary', 'high_value_threshold', 'customer_features'],
    inputs: { data_path: 'data/orders.csv', as_of: '2026-06-30' },
    config: { high_value_quantile: 0.8 }
  },
  {
    notebook: 'sensors.ipynb',
    from: join(PROJECT_ROOT, 'kernel-helpers', 'test', 'fixtures', 'export'),
    outputs: ['sensor_means', 'spread', 'fingerprint', 'report_path', 'valid_readings'],
    inputs: { raw_lines: ['a,t1,20', 'a,t2,22', 'b,t1,85', 'b,t2,18', 'c,t1,-70', 'c,t2,-45.5'], out_dir: 'reports' }
  },
  {
    notebook: 'module_cell.ipynb',
    from: join(PROJECT_ROOT, 'kernel-helpers', 'test', 'fixtures', 'export'),
    outputs: ['temperatures_f', 'frost_days'],
    inputs: { temperatures_c: [-5, 0, 12, -40] }
  }
];

/** The folder the kernels, the CLI and tsc work in: inside the project, so that `dagcells` resolves. */
let work: string;
let compiled: { status: number | null; output: string };

function codeCells(path: string): string[] {
  return readNotebook(readFileSync(path, 'utf8'), path)
    .filter(c => c.type === 'code')
    .map(c => c.source);
}

function node(args: string[]) {
  const result = spawnSync(process.execPath, args, { cwd: work, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * What the kernel computes for the outputs, written as `dagcells run` writes
 * values JSON cannot hold (NaN as "NaN", Maps as objects, Sets as arrays).
 */
async function kernelValues(kernel: TestKernel, c: Case): Promise<unknown> {
  const code = [
    'import { Driver as ExportTestDriver } from "dagcells";',
    `const exportTestOut = await ExportTestDriver.fromNotebook({ config: ${JSON.stringify(c.config ?? {})} })`,
    `  .execute(${JSON.stringify(c.outputs)}, { inputs: ${JSON.stringify(c.inputs)} });`,
    'console.log(JSON.stringify(exportTestOut, (_key: string, value: unknown) =>',
    '  typeof value === "number" && !Number.isFinite(value) ? String(value)',
    '  : value instanceof Map ? Object.fromEntries(value) : value instanceof Set ? [...value]',
    '  : value === undefined ? null : value));'
  ].join('\n');
  const result = await kernel.execute(code);
  expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 'ok', stderr: '' });
  return JSON.parse(result.stdout);
}

async function runCells(kernel: TestKernel, cells: string[]): Promise<void> {
  for (const code of cells) {
    const result = await kernel.execute(code);
    expect({ code, status: result.status, stderr: result.stderr }).toEqual({ code, status: 'ok', stderr: '' });
  }
}

function cliValues(c: Case): unknown {
  const args = [bin, 'run', c.notebook.replace(/\.ipynb$/, '.ts'), '--outputs', c.outputs.join(','), '--inputs', JSON.stringify(c.inputs)];
  const result = node(c.config ? [...args, '--config', JSON.stringify(c.config)] : args);
  expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
  return JSON.parse(result.stdout);
}

beforeAll(() => {
  const built = spawnSync(process.execPath, [tsc, '-b', join(PROJECT_ROOT, 'kernel-helpers')], { encoding: 'utf8' });
  if (built.status !== 0) {
    throw new Error(`building dagcells failed:\n${built.stdout}${built.stderr}`);
  }
  const base = join(PROJECT_ROOT, 'test-output', 'kernel');
  mkdirSync(base, { recursive: true });
  work = mkdtempSync(join(base, 'export-'));
  cpSync(join(PROJECT_ROOT, 'notebooks'), work, { recursive: true });
  cpSync(join(PROJECT_ROOT, 'kernel-helpers', 'test', 'fixtures', 'export'), work, { recursive: true });
  for (const c of CASES) {
    const exported = node([bin, 'export', c.notebook]);
    if (exported.status !== 0) {
      throw new Error(`dagcells export ${c.notebook} failed:\n${exported.stderr}`);
    }
  }
  // The module the export warns about, written anyway, as the dialog lets a user do.
  const problems = exportNotebook(readNotebook(readFileSync(join(work, 'problems.ipynb'), 'utf8'), 'problems.ipynb'), {
    notebook: 'problems.ipynb'
  });
  writeFileSync(join(work, 'problems.ts'), problems.text as string);
  // One compiler run for every module: it is the slow part.
  const files = [...CASES.map(c => c.notebook.replace(/\.ipynb$/, '.ts')), 'problems.ts'];
  const result = node([tsc, '--noEmit', '--strict', '--target', 'es2022', '--module', 'commonjs', '--types', 'node', ...files]);
  compiled = { status: result.status, output: result.stdout + result.stderr };
}, 180_000);

afterAll(() => {
  if (work) {
    rmSync(work, { recursive: true, force: true });
  }
});

describe('an exported module gives what the notebook gives', () => {
  it('compiles with tsc --noEmit, strict, with @types/node', () => {
    const errors = compiled.output.split('\n').filter(line => /error TS\d+/.test(line));
    expect(errors.filter(line => !line.startsWith('problems.ts('))).toEqual([]);
    expect(errors.length).toBeGreaterThan(0); // the compiler did run: it rejects the module of problems.ipynb
  });

  it.each(CASES.map(c => [c.notebook, c] as const))(
    '%s: dagcells run on the module returns what the kernel computes',
    async (_name, c) => {
      const kernel = await startKernel({ cwd: work, name: `export-${c.notebook.replace(/\.ipynb$/, '')}` });
      try {
        await runCells(kernel, codeCells(join(work, c.notebook)));
        const expected = await kernelValues(kernel, c);
        expect(Object.keys(expected as object)).toEqual(c.outputs);
        expect(cliValues(c)).toEqual(expected);
      } finally {
        await kernel.shutdown();
      }
    }
  );

  it('keeps the later definition, as the kernel does: the tightened range drops the 85 °C reboot reading', () => {
    const sensors = CASES[2];
    const values = cliValues({ ...sensors, outputs: ['valid_readings'] }) as { valid_readings: { celsius: number }[] };
    expect(values.valid_readings.map(r => r.celsius)).toEqual([20, 22, 18]);
  });

  it('warns about problems the compiler confirms: values only exploration computes, reads before definition', () => {
    const problems = compiled.output.split('\n').filter(line => line.startsWith('problems.ts('));
    expect(problems.join('\n')).toMatch(/Cannot find name 'data'/);
    expect(problems.join('\n')).toMatch(/Cannot find name '_scale'/);
    expect(problems.join('\n')).toMatch(/'BASE' used before its declaration/);
  });
});

describe('a module imported back into a notebook', () => {
  it('runs in tslab cell by cell and computes what the module computes', async () => {
    const c = CASES[2];
    const module = readFileSync(join(work, 'sensors.ts'), 'utf8');
    const { cells, leftOut, problems } = moduleToCells(module);
    expect({ leftOut, problems }).toEqual({ leftOut: [], problems: [] });
    const kernel = await startKernel({ cwd: work, name: 'export-imported' });
    try {
      await runCells(kernel, cells.map(cell => cell.source));
      expect(await kernelValues(kernel, c)).toEqual(cliValues(c));
    } finally {
      await kernel.shutdown();
    }
  });
});

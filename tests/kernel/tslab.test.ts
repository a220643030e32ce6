import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

import { PROJECT_ROOT } from './harness/server';
import { startKernel, TestKernel } from './harness/kernel';

/** The tslab kernel itself, as the project installs it: what the product relies on. */
describe('the tslab kernel of the project', () => {
  let kernel: TestKernel;

  beforeAll(async () => {
    kernel = await startKernel({ cwd: join(PROJECT_ROOT, 'notebooks') });
  });
  afterAll(async () => {
    await kernel?.shutdown();
  });

  it('executes a cell and prints its last expression', async () => {
    const result = await kernel.execute('const x: number = 20 + 22;\nx');
    expect(result).toMatchObject({ status: 'ok', stdout: '42\n', stderr: '' });
  });

  it('keeps a function defined in one cell callable from the next', async () => {
    await kernel.execute('function doubled(raw: number): number { return raw * 2; }');
    expect((await kernel.execute('doubled(21)')).stdout).toBe('42\n');
  });

  it('reports a type error only as stderr text with status error', async () => {
    const result = await kernel.execute('const s: string = 1;');
    expect(result.status).toBe('error');
    expect(result.stderr).toMatch(/1:7 - Type 'number' is not assignable to type 'string'/);
  });

  it('works again right after an error (requests in the abort window are retried)', async () => {
    await kernel.execute('throw new Error("boom")');
    expect((await kernel.execute('1 + 1')).stdout).toBe('2\n');
  });
});

describe('@types/node in notebook folders', () => {
  const code = [
    'const started: number = process.uptime();',
    'const b: Buffer = Buffer.from("abc");',
    'setTimeout(() => undefined, 1);',
    'console.log(typeof started, b.length);'
  ].join('\n');

  it('type-checks console, process, setTimeout and Buffer in a folder inside the project', async () => {
    const kernel = await startKernel({ cwd: join(PROJECT_ROOT, 'notebooks') });
    try {
      expect(await kernel.execute(code)).toMatchObject({ status: 'ok', stdout: 'number 3\n', stderr: '' });
    } finally {
      await kernel.shutdown();
    }
  });

  it('type-checks them in a folder outside the project too', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'dagcells-notebook-'));
    const kernel = await startKernel({ cwd: outside });
    try {
      expect(await kernel.execute('console.log(process.cwd())')).toMatchObject({ status: 'ok', stdout: `${outside}\n` });
      expect(await kernel.execute(code)).toMatchObject({ status: 'ok', stdout: 'number 3\n', stderr: '' });
    } finally {
      await kernel.shutdown();
      rmSync(outside, { recursive: true, force: true });
    }
  });
});

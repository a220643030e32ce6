import { spawn, spawnSync } from 'child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

/** `dagcells run --cache DIR` as a real process on the built command. */
const root = join(__dirname, '..');
const bin = join(root, 'dist', 'cli', 'bin.js');
const fixtures = join(__dirname, 'fixtures');

beforeAll(() => {
  const built = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-b', root], { encoding: 'utf8' });
  if (built.status !== 0) {
    throw new Error(`building the CLI failed:\n${built.stdout}${built.stderr}`);
  }
});

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dagcells-cli-cache-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function dagcells(args: string[], cwd = fixtures) {
  const result = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function dagcellsAsync(args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise(resolve => {
    const child = spawn(process.execPath, [bin, ...args], { cwd });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', d => (stdout += d));
    child.stderr.on('data', d => (stderr += d));
    child.on('close', code => resolve({ code, stdout, stderr }));
  });
}

const hello = ['run', 'hello_world.ts', '--outputs', 'spend_mean,spend_std_dev', '--inputs', '@hello_world.inputs.json'];

describe('dagcells run --cache DIR', () => {
  it('computes on the first run and retrieves on the second, with the same stdout', () => {
    const first = dagcells([...hello, '--cache', dir]);
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(/^cache: \d+ computed, 0 retrieved/m);
    const second = dagcells([...hello, '--cache', dir]);
    expect(second.code).toBe(0);
    expect(second.stdout).toBe(first.stdout);
    expect(second.stderr).toMatch(/^cache: 0 computed, \d+ retrieved \(saved [\d.]+ m?s\)$/m);
  });

  it('--verbose says what each node did; --recompute computes the named node again', () => {
    dagcells([...hello, '--cache', dir]);
    const second = dagcells([...hello, '--cache', dir, '--recompute', 'spend_mean', '--verbose']);
    expect(second.code).toBe(0);
    expect(second.stderr).toMatch(/^cache: spend_mean computed in [\d.]+ m?s, stored$/m);
    expect(second.stderr).toMatch(/^cache: spend_std_dev retrieved, computed \d{4}-\d\d-\d\dT[\d:.]+Z, saved/m);
  });

  it('refuses behaviour flags without --cache, and names that are not functions', () => {
    const without = dagcells([...hello, '--recompute', 'spend_mean']);
    expect(without.code).toBe(2);
    expect(without.stderr).toMatch(/--recompute .*add --cache DIR/);
    const unknown = dagcells([...hello, '--cache', dir, '--disable', 'nothing_here']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/--disable: nothing_here is not a function of the module/);
  });

  it('two processes sharing one cache directory at once both finish right, and leave whole entries', async () => {
    const module = join(dir, 'chain.ts');
    const nodes = Array.from({ length: 30 }, (_, i) =>
      i === 0
        ? `export function n0(seed: number): number[] { return _work(seed); }`
        : `export function n${i}(n${i - 1}: number[]): number[] { return _work(n${i - 1}[0] + ${i}); }`
    );
    writeFileSync(
      module,
      `function _work(x: number): number[] {\n  const out = new Array(20000);\n  for (let i = 0; i < out.length; i++) out[i] = (x * 31 + i) % 1000;\n  return out;\n}\n${nodes.join('\n')}\nexport function total(n29: number[]): number { return n29.reduce((a, b) => a + b, 0); }\n`
    );
    const cache = join(dir, 'cache');
    const args = ['run', module, '--outputs', 'total', '--inputs', 'seed=3', '--cache', cache];
    const [a, b] = await Promise.all([dagcellsAsync(args, dir), dagcellsAsync(args, dir)]);
    expect([a.code, a.stderr.includes('damaged')]).toEqual([0, false]);
    expect([b.code, b.stderr.includes('damaged')]).toEqual([0, false]);
    expect(JSON.parse(a.stdout)).toEqual(JSON.parse(b.stdout));
    expect(readdirSync(cache).filter(f => f.endsWith('.tmp'))).toEqual([]);
    const third = dagcells(args, dir);
    expect(third.stdout).toBe(a.stdout);
    expect(third.stderr).toMatch(/^cache: 0 computed, 31 retrieved/m);
  }, 60_000);
});

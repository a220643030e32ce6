import { spawn, spawnSync } from 'child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

/**
 * `dagcells run` and `dagcells graph` on modules and arguments that are broken,
 * hostile or careless, as real `node` processes: never exit 0 without the full
 * result, stdout holds the result alone, and every failure is one paragraph
 * naming what is wrong and where.
 */
const root = join(__dirname, '..');
const bin = join(root, 'dist', 'cli', 'bin.js');
// Each case starts real processes, some of which wait for their --timeout: minutes, not seconds, on a busy machine.
jest.setTimeout(120_000);

beforeAll(() => {
  const built = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-b', root], { encoding: 'utf8' });
  if (built.status !== 0) {
    throw new Error(`building the CLI failed:\n${built.stdout}${built.stderr}`);
  }
});

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dagcells-bad-cli-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Writes the module files a test runs, in its own folder. */
function files(texts: Record<string, string>): void {
  for (const [name, text] of Object.entries(texts)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
}

/** Runs the CLI; a process that hangs is killed after a minute, so that the test fails instead of hanging. */
function dagcells(...args: string[]) {
  const result = spawnSync(process.execPath, [bin, ...args], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
}

describe('a module that does not parse', () => {
  it('is refused with file, line and column, and nothing of it runs (it gave {"b":null} with exit 0)', () => {
    files({
      'm.ts': [
        "console.error('the module ran');",
        'export function b(a: number): number {',
        '  if (a > 0) {',
        '    return a;',
        '',
        '  return -a;',
        '}',
        ''
      ].join('\n')
    });
    const { code, stdout, stderr } = dagcells('run', 'm.ts', '--outputs', 'b', '--inputs', '{"a":-1}');
    expect([code, stdout, stderr]).toEqual([1, '', "dagcells run: m.ts does not parse, so nothing of it was run: m.ts:8:1: '}' expected.\n"]);
    expect(dagcells('graph', 'm.ts')).toMatchObject({ code: 1, stdout: '', stderr: expect.stringContaining('m.ts:8:1:') });
  });

  it('is refused when a local file it imports does not parse, with that file\'s place', () => {
    files({
      'm.ts': "import { half } from './lib/helper';\nexport function a(x: number): number { return half(x); }\n",
      'lib/helper.ts': 'export function half(x: number): number {\n  return x / ;\n}\n'
    });
    const { code, stdout, stderr } = dagcells('run', 'm.ts', '--outputs', 'a', '--inputs', '{"x":4}');
    expect([code, stdout, stderr]).toEqual([
      1,
      '',
      'dagcells run: lib/helper.ts does not parse, so nothing of it was run: lib/helper.ts:2:14: Expression expected.\n'
    ]);
  });

  it('lists the first three syntax errors and counts the others', () => {
    files({ 'm.ts': 'export const a = ;\nexport const b = ;\nexport const c = ;\nexport const d = ;\nexport function f() { return 1; }\n' });
    expect(dagcells('run', 'm.ts', '--outputs', 'f').stderr).toBe(
      'dagcells run: m.ts does not parse, so nothing of it was run: m.ts:1:18: Expression expected; m.ts:2:18: Expression expected; ' +
        'm.ts:3:18: Expression expected (and 1 more syntax errors).\n'
    );
  });

  it('is refused when it nests too deeply for the parser, with the place of the deepest point', () => {
    files({ 'deep.ts': `export const P = ${'('.repeat(10_000)}1${')'.repeat(10_000)};\nexport function a(): number { return P; }\n` });
    for (const command of [['run', 'deep.ts', '--outputs', 'a'], ['graph', 'deep.ts']]) {
      const { code, stdout, stderr } = dagcells(...command);
      expect([code, stdout]).toEqual([1, '']);
      expect(stderr).toMatch(/^dagcells (run|graph): deep\.ts does not parse, so nothing of it was run: deep\.ts:1:10017: the code nests too deeply for the TypeScript parser/);
    }
  });
});

describe('a module with a constant of 5,000 + terms', () => {
  it('runs and draws', () => {
    files({ 'sum.ts': `export const TOTAL = ${Array.from({ length: 5000 }, (_, i) => i).join(' + ')};\nexport function total(): number { return TOTAL; }\n` });
    expect(dagcells('run', 'sum.ts', '--outputs', 'total')).toMatchObject({ code: 0, stdout: '{"total":12497500}\n', stderr: '' });
    expect(dagcells('graph', 'sum.ts')).toMatchObject({ code: 0, stdout: expect.stringContaining('"total"') });
  });
});

describe('type errors', () => {
  const typed = {
    'typed.ts': 'export function total(xs: number[]): number {\n  const label: string = xs.length;\n  return label.length;\n}\n'
  };

  it('do not stop a run by default, which checks no types beyond the graph edges', () => {
    files(typed);
    expect(dagcells('run', 'typed.ts', '--outputs', 'total', '--inputs', '{"xs":[1,2]}')).toMatchObject({ code: 0, stderr: '' });
  });

  it('refuse the module under --strict, with file, line and column, and nothing runs', () => {
    files(typed);
    const { code, stdout, stderr } = dagcells('run', 'typed.ts', '--outputs', 'total', '--inputs', '{"xs":[1,2]}', '--strict');
    expect([code, stdout]).toEqual([1, '']);
    expect(stderr).toBe(
      "dagcells run: typed.ts has type errors (--strict refuses them), so nothing of it was run: typed.ts:2:9: TS2322: Type 'number' is not assignable to type 'string'.\n"
    );
  });
});

describe('a run that cannot finish', () => {
  it('fails naming the node whose promise never settles (it gave exit 0 and nothing)', () => {
    files({ 'm.ts': 'export function spend(): Promise<number> { return new Promise(() => {}); }\nexport function total(spend: number) { return spend; }\n' });
    expect(dagcells('run', 'm.ts', '--outputs', 'total')).toEqual({
      code: 1,
      signal: null,
      stdout: '',
      stderr: 'dagcells run: spend never settled: it returned a promise that nothing will resolve (the process had nothing left to do); no result.\n'
    });
  });

  it('fails naming the module whose top-level await never settles', () => {
    files({ 'm.mjs': 'await new Promise(() => {});\nexport function spend() { return 1; }\n' });
    expect(dagcells('run', 'm.mjs', '--outputs', 'spend')).toMatchObject({
      code: 1,
      stdout: '',
      stderr: 'dagcells run: m.mjs never finished loading: a top-level await in it waits for a promise that nothing will settle; no result.\n'
    });
  });

  it('fails naming the node that calls process.exit(0)', () => {
    files({ 'm.ts': 'export function spend(): number { process.exit(0); }\n' });
    expect(dagcells('run', 'm.ts', '--outputs', 'spend')).toMatchObject({
      code: 1,
      stdout: '',
      stderr: 'dagcells run: the module ended the process (process.exit(0)) while running spend; no result.\n'
    });
  });

  it('fails naming the module that calls process.exit(0) while it loads', () => {
    files({ 'm.ts': 'process.exit(0);\nexport function spend(): number { return 1; }\n' });
    expect(dagcells('run', 'm.ts', '--outputs', 'spend')).toMatchObject({
      code: 1,
      stdout: '',
      stderr: 'dagcells run: the module ended the process (process.exit(0)) while loading m.ts; no result.\n'
    });
  });

  it('says a top-level await in a .ts module cannot be loaded, and what to do', () => {
    files({ 'm.ts': 'await Promise.resolve(1);\nexport function spend(): number { return 1; }\n' });
    expect(dagcells('run', 'm.ts', '--outputs', 'spend')).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/^dagcells run: m\.ts: could not be loaded: it uses a top-level await, .*write the module as \.mjs\.\n$/)
    });
  });
});

describe('--timeout SECONDS', () => {
  const busy = {
    'busy.ts': [
      'export function spin(): number { while (true) {} }',
      'export async function waiting(): Promise<number> { await new Promise(r => setTimeout(r, 600_000)); return 1; }',
      'export async function blocking(): Promise<number> { await new Promise(r => setTimeout(r, 10)); while (true) {} }',
      'export function total(spin: number): number { return spin; }',
      ''
    ].join('\n')
  };

  it('stops a synchronous node that never returns, naming it', () => {
    files(busy);
    expect(dagcells('run', 'busy.ts', '--outputs', 'total', '--timeout', '1')).toMatchObject({
      code: 1,
      stdout: '',
      stderr: 'dagcells run: timed out after 1 s while running spin; no result.\n'
    });
  });

  it('stops a module whose top level never ends, naming it', () => {
    files({ 'spinning.ts': 'while (true) {}\nexport function a(): number { return 1; }\n' });
    expect(dagcells('run', 'spinning.ts', '--outputs', 'a', '--timeout', '1')).toMatchObject({
      code: 1,
      stdout: '',
      stderr: 'dagcells run: timed out after 1 s while loading spinning.ts; no result.\n'
    });
  });

  it('stops a node waiting for a promise that takes too long, naming it', () => {
    files(busy);
    const { code, stdout, stderr } = dagcells('run', 'busy.ts', '--outputs', 'waiting', '--timeout', '1');
    expect([code, stdout]).toEqual([1, '']);
    expect(stderr).toMatch(/^dagcells run: timed out after 1 s while running waiting( \(for \d+\.\d s\))?; no result\.\n$/);
  });

  it('ends a run whose event loop stays blocked after an await, naming the node, by killing the process', () => {
    files(busy);
    const { code, signal, stdout, stderr } = dagcells('run', 'busy.ts', '--outputs', 'blocking', '--timeout', '1');
    expect([code, signal, stdout]).toEqual([null, 'SIGKILL', '']);
    expect(stderr).toBe(
      'dagcells run: timed out after 1 s while running blocking, with the event loop blocked, so the process was killed; no result.\n'
    );
  });

  it('does not stop a run that finishes in time, and is a usage error when not a number of seconds', () => {
    files(busy);
    files({ 'quick.ts': 'export function a(): number { return 1; }\n' });
    expect(dagcells('run', 'quick.ts', '--outputs', 'a', '--timeout', '30')).toMatchObject({ code: 0, stdout: '{"a":1}\n', stderr: '' });
    expect(dagcells('run', 'quick.ts', '--outputs', 'a', '--timeout', 'soon')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("--timeout: 'soon' is not a number of seconds")
    });
  });
});

describe('Ctrl-C', () => {
  /** Starts a run, interrupts it once the module says its node started, and gives what the process wrote. */
  function interruptWhenStarted(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise(resolve => {
      const child = spawn(process.execPath, [bin, ...args], { cwd: dir });
      let stdout = '';
      let stderr = '';
      let sent = false;
      child.stdout.on('data', chunk => (stdout += chunk));
      child.stderr.on('data', chunk => {
        stderr += chunk;
        if (!sent && stderr.includes('started\n')) {
          sent = true;
          child.kill('SIGINT');
        }
      });
      child.on('close', code => resolve({ code, stdout, stderr }));
    });
  }

  it.each([
    ['a synchronous node that never returns', 'spin'],
    ['a node waiting for a promise', 'waiting']
  ])('interrupts %s and says which node was running', async (_, node) => {
    files({
      'm.ts': [
        "export function spin(): number { console.error('started'); while (true) {} }",
        // Said after the first await: the node's call has returned, and the run waits for its promise.
        "export async function waiting(): Promise<number> { await null; console.error('started'); await new Promise(r => setTimeout(r, 600_000)); return 1; }",
        ''
      ].join('\n')
    });
    const { code, stdout, stderr } = await interruptWhenStarted(['run', 'm.ts', '--outputs', node]);
    expect([code, stdout]).toEqual([130, '']);
    expect(stderr).toMatch(new RegExp(`^started\\ndagcells run: interrupted \\(Ctrl-C\\) while running ${node}( \\(for \\d+\\.\\d s\\))?; no result\\.\\n$`));
  });
});

describe('stdout', () => {
  it('holds the result alone: what the module writes, with any console method or process.stdout, goes to stderr', () => {
    files({
      'noisy.ts': [
        "process.stdout.write('written while loading\\n');",
        'console.dir({ dir: 1 });',
        'console.table([{ row: 1 }]);',
        'export function total(): number {',
        "  process.stdout.write('written by a node\\n');",
        "  console.info('info'); console.debug('debug'); console.log('log');",
        '  return 6;',
        '}',
        ''
      ].join('\n')
    });
    const { code, stdout, stderr } = dagcells('run', 'noisy.ts', '--outputs', 'total');
    expect([code, stdout]).toEqual([0, '{"total":6}\n']);
    expect(stderr).toContain('written while loading\n{ dir: 1 }\n');
    expect(stderr).toContain('│ row │');
    expect(stderr).toContain('written by a node\ninfo\ndebug\nlog\n');
  });
});

describe('outputs', () => {
  const values = {
    'values.ts': [
      'export function fn() { return (x: number) => x; }',
      'export function pending() { return { later: Promise.resolve(1) }; }',
      'export function buffer() { return new Uint8Array([1, 2, 255]).buffer; }',
      'export function view() { return new DataView(new Uint8Array([7, 8, 9]).buffer, 1, 2); }',
      'export function pattern() { return /ab+c/gi; }',
      'export function weak() { return new WeakMap(); }',
      'export function cyclic() { const a: Record<string, unknown> = { name: "a" }; a.self = a; return a; }',
      'export function method() { return { rows: [1, 2], describe() { return "rows"; } }; }',
      'export function bad_json() { return { toJSON() { throw new Error("cannot serialise"); } }; }',
      'export function bad_getter() { return { rows: [{ get mean(): number { throw new Error("no data"); } }] }; }',
      'export function a(x: number) { return x + 1; }',
      ''
    ].join('\n')
  };

  it.each([
    ['fn', 'it is a function (request the value it computes instead), which JSON cannot hold'],
    ['pending', 'at pending.later, it is a Promise (a node returning one is awaited; this one was inside a value), which JSON cannot hold'],
    ['weak', 'it is a WeakMap, whose content cannot be listed, which JSON cannot hold'],
    ['cyclic', 'at cyclic.self, it refers back to a value that holds it (a cycle), which JSON cannot hold'],
    ['bad_json', 'its toJSON() threw: cannot serialise'],
    ['bad_getter', 'at bad_getter.rows[0].mean, reading the property threw: no data']
  ])('fails the run naming the output %s, which JSON cannot hold, instead of printing {} or dropping it', (output, reason) => {
    files(values);
    expect(dagcells('run', 'values.ts', '--outputs', `${output},a`, '--inputs', '{"x":1}')).toMatchObject({
      code: 1,
      stdout: '',
      stderr: `dagcells run: the output ${output} cannot be written as JSON: ${reason}; nothing printed.\n`
    });
  });

  it('writes ArrayBuffers and DataViews as their bytes, a RegExp as its text, and leaves out methods as JSON does', () => {
    files(values);
    const { code, stdout } = dagcells('run', 'values.ts', '--outputs', 'buffer,view,pattern,method');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ buffer: [1, 2, 255], view: [8, 9], pattern: '/ab+c/gi', method: { rows: [1, 2] } });
  });

  it('prints an output named __proto__ given as an input as an own key, never as a prototype', () => {
    files(values);
    const { code, stdout } = dagcells('run', 'values.ts', '--outputs', '__proto__,a', '--inputs', '{"__proto__":{"x":1},"x":2}');
    expect([code, stdout]).toEqual([0, '{"__proto__":{"x":1},"a":3}\n']);
    expect(dagcells('run', 'values.ts', '--outputs', '__proto__')).toMatchObject({
      code: 1,
      stderr: "dagcells run: '__proto__' is not a node of this dataflow.\n"
    });
  });
});

describe('messages', () => {
  it('name the node and what it threw when it throws a Symbol', () => {
    files({ 'm.ts': 'export function s(): number { throw Symbol("no rows"); }\n' });
    expect(dagcells('run', 'm.ts', '--outputs', 's')).toMatchObject({
      code: 1,
      stderr: 'dagcells run: s failed: Symbol(no rows) (thrown, not an Error)\n'
    });
  });

  it("name a missing import and the file importing it, without Node's require stack", () => {
    files({ 'm.ts': "import { rows } from './data/rows';\nexport function a() { return rows; }\n" });
    expect(dagcells('run', 'm.ts', '--outputs', 'a')).toMatchObject({
      code: 1,
      stderr: "dagcells run: m.ts: could not be loaded: cannot find module './data/rows' (imported by m.ts). Install it or fix the import.\n"
    });
  });

  it('read an inputs file that starts with a byte order mark', () => {
    files({ 'm.ts': 'export function a(x: number): number { return x + 1; }\n', 'inputs.json': '\ufeff{"x": 1}' });
    expect(dagcells('run', 'm.ts', '--outputs', 'a', '--inputs', '@inputs.json')).toMatchObject({ code: 0, stdout: '{"a":2}\n' });
  });

  it('report a rejection nothing handled as one paragraph, without a stack unless --verbose, and print no result', () => {
    files({ 'm.ts': 'export function stray(): number { Promise.reject(new Error("lost")); return 1; }\n' });
    expect(dagcells('run', 'm.ts', '--outputs', 'stray')).toEqual({
      code: 1,
      signal: null,
      stdout: '',
      stderr: 'dagcells run: a promise was rejected and nothing handled the rejection after the nodes ran: lost. No result.\n'
    });
    expect(dagcells('run', 'm.ts', '--outputs', 'stray', '--verbose').stderr).toMatch(/: lost\. No result\.\nError: lost\n\s+at stray \(.*m\.ts:1:/);
  });
});

describe('an unknown output', () => {
  it('is answered with its suggestion among 1,000 names of 2,000 characters (a full edit distance per name took minutes)', () => {
    const name = (i: number) => `${'node_'.repeat(399)}${String(i).padStart(4, '0')}_x`;
    files({ 'long.ts': Array.from({ length: 1000 }, (_, i) => `export function ${name(i)}(): number { return ${i}; }\n`).join('') });
    const typo = name(123).slice(0, -1) + 'y';
    expect(dagcells('run', 'long.ts', '--outputs', typo)).toMatchObject({
      code: 1,
      signal: null,
      stdout: '',
      stderr: `dagcells run: '${typo}' is not a node of this dataflow. Did you mean '${name(123)}'?\n`
    });
  });
});

describe('key=value arguments', () => {
  const module = {
    'm.ts': [
      'export function echo(flags: number[], region: string, limit: number, label: string) {',
      '  return { flags, region, limit, label };',
      '}',
      'export function loose(anything: unknown) { return anything; }',
      ''
    ].join('\n')
  };
  const echo = (...args: string[]) => {
    const result = dagcells('run', 'm.ts', '--outputs', 'echo', ...args);
    return { ...result, value: result.code === 0 ? JSON.parse(result.stdout).echo : undefined };
  };

  it('takes JSON values, commas inside brackets and quotes, and trims keys and values', () => {
    files(module);
    const { code, value, stderr } = echo('--config', ' flags = [1,2] , region="US,EU",limit= 3 ', '--inputs', 'label= north ');
    expect([code, stderr]).toEqual([0, '']);
    expect(value).toEqual({ flags: [1, 2], region: 'US,EU', limit: 3, label: 'north' });
  });

  it('keeps text for a parameter declared string, and reads JSON where no type is declared', () => {
    files(module);
    expect(echo('--config', 'flags=[],region=123,limit=1,label=007').value).toEqual({ flags: [], region: '123', limit: 1, label: '007' });
    const loose = dagcells('run', 'm.ts', '--outputs', 'loose', '--inputs', 'anything=123');
    expect(JSON.parse(loose.stdout)).toEqual({ loose: 123 });
  });

  it('merges repeated flags, and refuses a key given twice', () => {
    files(module);
    expect(echo('--config', 'flags=[1]', '--config', 'region=EU', '--inputs', '{"limit": 2}', '--inputs', 'label=x').value).toEqual({
      flags: [1],
      region: 'EU',
      limit: 2,
      label: 'x'
    });
    expect(echo('--config', 'region=US', '--config', 'region=EU')).toMatchObject({
      code: 2,
      stderr: "dagcells run: --config: region is given twice; give each name once.\nRun 'dagcells run --help' for usage.\n"
    });
    expect(dagcells('graph', 'm.ts', '--format', 'dot', '--format', 'json')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--format is given twice; give it once.')
    });
  });

  it('says which bracket or quote is not closed', () => {
    files(module);
    expect(echo('--config', 'flags=[1,2')).toMatchObject({ code: 2, stderr: expect.stringContaining("--config: '[' is not closed in 'flags=[1,2'.") });
    expect(echo('--config', 'region="US,EU')).toMatchObject({ code: 2, stderr: expect.stringContaining('--config: a double quote is not closed') });
  });
});

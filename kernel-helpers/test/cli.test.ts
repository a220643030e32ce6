import { spawnSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

import { codeVersion } from '../src/cache/code-version';

/**
 * The CLI as users and orchestrators run it: a real `node` process on the built
 * command, checking stdout, stderr and the exit status.
 */
const root = join(__dirname, '..');
const bin = join(root, 'dist', 'cli', 'bin.js');
const fixtures = join(__dirname, 'fixtures');

beforeAll(() => {
  // Build what the command runs from (incremental: quick when up to date).
  const built = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-b', root], { encoding: 'utf8' });
  if (built.status !== 0) {
    throw new Error(`building the CLI failed:\n${built.stdout}${built.stderr}`);
  }
});

function dagcells(args: string[], cwd = fixtures) {
  const result = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('dagcells run', () => {
  it("prints the requested outputs as one JSON object, with Hamilton's numbers", () => {
    const { code, stdout, stderr } = dagcells([
      'run',
      'hello_world.ts',
      '--outputs',
      'spend_mean,spend_std_dev,avg_3wk_spend',
      '--inputs',
      '@hello_world.inputs.json'
    ]);
    expect([code, stderr]).toEqual([0, '']);
    const hamilton = JSON.parse(readFileSync(join(fixtures, 'hello_world.hamilton.json'), 'utf8'));
    const out = JSON.parse(stdout);
    expect(Object.keys(out)).toEqual(['spend_mean', 'spend_std_dev', 'avg_3wk_spend']);
    expect(out.spend_mean).toBeCloseTo(hamilton.spend_mean, 12);
    expect(out.spend_std_dev).toBeCloseTo(hamilton.spend_std_dev, 12);
    expect(out.avg_3wk_spend.slice(0, 2)).toEqual(['NaN', 'NaN']);
    expect(stdout.trim().split('\n')).toHaveLength(1);
  });

  it('writes values JSON cannot hold in the documented forms', () => {
    const { code, stdout } = dagcells([
      'run',
      'cli/values.ts',
      '--outputs',
      'not_a_number,typed,lookup,pairs,unique,big,when,nothing'
    ]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      not_a_number: 'NaN',
      typed: [1.5, 2.5],
      lookup: { a: 1, b: 2 },
      pairs: [[1, 'one']],
      unique: ['x', 'y'],
      big: '1180591620717411303424',
      when: '2026-01-02T00:00:00.000Z',
      nothing: null
    });
  });

  it("treats a '?' parameter and a default as optional, as the notebook panel shows them", () => {
    const omitted = dagcells(['run', 'cli/optional.ts', '--outputs', 'scaled', '--inputs', '{"a":1}']);
    expect([omitted.code, omitted.stderr, omitted.stdout]).toEqual([0, '', '{"scaled":10}\n']);
    const given = dagcells(['run', 'cli/optional.ts', '--outputs', 'scaled', '--inputs', '{"a":1,"bonus":2,"factor":2}']);
    expect(given.stdout).toBe('{"scaled":6}\n');
  });

  it('keeps stdout for the result: what the module logs goes to stderr', () => {
    const { code, stdout, stderr } = dagcells(['run', 'cli/noisy.ts', '--outputs', 'total', '--inputs', '{"values":[1,2,3]}']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ total: 6 });
    expect(stderr).toBe('loading the module\nadding 3 values\ninfo goes to stderr too\n');
  });

  it('loads modules that import local TypeScript files and Node built-ins', () => {
    const { code, stdout, stderr } = dagcells([
      'run',
      'cli/with_imports.ts',
      '--outputs',
      'scaled,where',
      '--inputs',
      '{"raw":[2,4],"folder":"data"}'
    ]);
    expect([code, stderr]).toEqual([0, '']);
    expect(JSON.parse(stdout)).toEqual({ scaled: [1, 2], where: join('data', 'out.csv') });
  });

  it('takes config as key=value pairs or JSON, and overrides from a file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dagcells-cli-'));
    try {
      writeFileSync(join(dir, 'overrides.json'), '{"parsed": 21}');
      const config = dagcells(['run', 'cli/throwing.ts', '--outputs', 'doubled', '--inputs', '{"text":"4"}', '--config', 'factor=10']);
      expect(JSON.parse(config.stdout)).toEqual({ doubled: 40 });
      const json = dagcells(['run', 'cli/throwing.ts', '--outputs', 'doubled', '--inputs', '{"text":"4"}', '--config', '{"factor":3}']);
      expect(JSON.parse(json.stdout)).toEqual({ doubled: 12 });
      const overridden = dagcells(['run', 'cli/throwing.ts', '--outputs', 'doubled', '--overrides', `@${join(dir, 'overrides.json')}`]);
      expect(JSON.parse(overridden.stdout)).toEqual({ doubled: 42 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails with exit 1 and one paragraph naming the failing node, without a stack trace', () => {
    const { code, stdout, stderr } = dagcells(['run', 'cli/throwing.ts', '--outputs', 'doubled', '--inputs', '{"text":"abc"}']);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe("dagcells run: parsed failed: 'abc' is not a number\n");
  });

  it('prints the stack, with the original error, when asked to be verbose', () => {
    const { code, stderr } = dagcells(['run', 'cli/throwing.ts', '--outputs', 'doubled', '--inputs', '{"text":"abc"}', '--verbose']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/Caused by: Error: 'abc' is not a number\n\s+at \S*parsed \(.*throwing\.ts:4:/);
  });

  it.each([
    [['--outputs', 'spend_mean'], 'dagcells run: missing input: raw_spend (needed by spend). Pass it in inputs.\n'],
    [['--outputs', 'spend_man'], "dagcells run: 'spend_man' is not a node of this dataflow. Did you mean 'spend_mean'?\n"],
    [
      ['--outputs', 'spend_mean', '--inputs', '{"raw_spend":"1,2"}'],
      'dagcells run: input raw_spend: spend declares raw_spend: number[], but the value given is a string ("1,2").\n'
    ]
  ])('fails with exit 1 on a dataflow problem: %j', (args, message) => {
    const { code, stderr } = dagcells(['run', 'hello_world.ts', ...args]);
    expect([code, stderr]).toEqual([1, message]);
  });

  it('names a module that does not exist or will not load', () => {
    expect(dagcells(['run', 'missing.ts', '--outputs', 'x'])).toMatchObject({
      code: 1,
      stderr: 'dagcells run: missing.ts: no such file.\n'
    });
    const broken = dagcells(['run', 'cli/broken_import.ts', '--outputs', 'never']);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/^dagcells run: cli\/broken_import\.ts: could not be loaded: the module refuses to load\n$/);
  });

  it.each([
    [['run', 'hello_world.ts'], /--outputs is required/],
    [['run', 'hello_world.ts', '--outputs', 'a', '--inputs', '{oops'], /--inputs: not valid JSON/],
    [['run', 'hello_world.ts', '--outputs', 'a', '--inputs', '[1]'], /--inputs: expected a JSON object of name: value, got an array/],
    [['run', 'hello_world.ts', '--outputs', 'a', '--overrides', '@nope.json'], /--overrides: cannot read nope\.json \(ENOENT\)/],
    [['run', 'hello_world.ts', '--outputs', 'a', '--config', 'broken'], /--config: 'broken' is not key=value/],
    [['run', 'hello_world.ts', '--outputz', 'a'], /Unknown option '--outputz'/],
    [['run', 'a.ts', 'b.ts', '--outputs', 'x'], /run takes one MODULE, got 2/],
    [['graph', 'hello_world.ts', '--format', 'svg'], /--format: 'svg' is not a format; use dot or json/],
    [['frobnicate'], /'frobnicate' is not a command/],
    [[], /Usage:/]
  ])('exits 2 on a usage error: %j', (args, message) => {
    const { code, stderr, stdout } = dagcells(args);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
  });

  it.each([['--help'], ['run', '--help'], ['graph', '-h']])('prints help for %j', (...args) => {
    const { code, stdout } = dagcells(args);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^(dagcells: |Usage: dagcells )/);
  });
});

describe('npx dagcells', () => {
  it('runs this package\'s CLI from a folder of the checkout, without downloading anything', () => {
    const module = join(fixtures, 'hello_world.ts');
    const inputs = `@${join(fixtures, 'hello_world.inputs.json')}`;
    // From the checkout's root, as the README runs it (npx runs inside a workspace at that workspace's root).
    const result = spawnSync('npx', ['--no-install', 'dagcells', 'run', module, '--outputs', 'spend_mean', '--inputs', inputs], {
      cwd: join(root, '..'),
      encoding: 'utf8'
    });
    expect([result.status, result.stderr.replace(/^npm warn .*\n/gm, '')]).toEqual([0, '']);
    expect(Object.keys(JSON.parse(result.stdout))).toEqual(['spend_mean']);
  });
});

describe('dagcells graph', () => {
  it('prints DOT by default', () => {
    const { code, stdout } = dagcells(['graph', 'hello_world.ts']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^digraph dataflow \{/);
    expect(stdout).toContain('"spend" -> "spend_mean";');
  });

  it('prints JSON with types, docs and versions', () => {
    const { code, stdout } = dagcells(['graph', 'hello_world.ts', '--format', 'json']);
    expect(code).toBe(0);
    const graph = JSON.parse(stdout);
    expect(graph.nodes.find((n: { name: string }) => n.name === 'spend_std_dev')).toMatchObject({
      kind: 'function',
      type: 'number',
      dependencies: ['spend'],
      doc: 'Computing the standard deviation of spend (the sample one, as pandas does).',
      version: expect.stringMatching(/^[0-9a-f]{14}$/)
    });
    expect(graph.nodes.find((n: { name: string }) => n.name === 'raw_spend')).toMatchObject({ kind: 'input', type: 'number[]' });
  });

  it('gives each node the code version the cache and lineage use: comments and layout do not change it, code does', () => {
    const source = readFileSync(join(fixtures, 'hello_world.ts'), 'utf8');
    const versionIn = (text: string) => {
      const dir = mkdtempSync(join(tmpdir(), 'dagcells-version-'));
      try {
        writeFileSync(join(dir, 'flow.ts'), text);
        const { code, stdout, stderr } = dagcells(['graph', 'flow.ts', '--format', 'json'], dir);
        expect([code, stderr]).toEqual([0, '']);
        return JSON.parse(stdout).nodes.find((n: { name: string }) => n.name === 'spend_std_dev').version;
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    };
    const version = versionIn(source);
    expect(version).toBe(codeVersion(source, 'spend_std_dev'));
    expect(versionIn(`// a comment above everything\n\n${source}`)).toBe(version);
    expect(versionIn(source.replace(/function spend_std_dev\(/, 'function spend_std_dev  (\n'))).toBe(version);
    const edited = source.replace(/(function spend_std_dev[^{]*\{)/, '$1\n  const unused = 1;');
    expect(edited).not.toBe(source);
    expect(versionIn(edited)).not.toBe(version);
  });
});

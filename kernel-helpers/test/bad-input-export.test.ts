import { spawnSync } from 'child_process';
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync
} from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import ts from 'typescript';

import { exportNotebook, readHeader, readNotebook, withHeader } from '../src/export';
import { pythonStringLiteral, readTsLineComment, tsLineComment, tsStringLiteral } from '../src/text/escape';

/**
 * `dagcells export` given hostile paths and targets, as real `node` processes:
 * outside text never becomes code, and only a regular file that dagcells wrote
 * (and nobody edited since) for this notebook is ever replaced, whole.
 */
const root = join(__dirname, '..');
const bin = join(root, 'dist', 'cli', 'bin.js');
const sensors = join(__dirname, 'fixtures', 'export', 'sensors.ipynb');
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

beforeAll(() => {
  const built = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-b', root], { encoding: 'utf8' });
  if (built.status !== 0) {
    throw new Error(`building the CLI failed:\n${built.stdout}${built.stderr}`);
  }
});

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dagcells-bad-export-'));
  cpSync(sensors, join(dir, 'nb.ipynb'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI; a process that hangs is killed after a minute, so that the test fails instead of hanging. */
function dagcells(args: string[], options: { cwd?: string; uid?: number; gid?: number } = {}) {
  const result = spawnSync(process.execPath, [bin, ...args], { cwd: options.cwd ?? dir, encoding: 'utf8', timeout: 60_000, ...options });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, signal: result.signal };
}

const notebook = (source: string) =>
  JSON.stringify({
    cells: [{ cell_type: 'code', metadata: {}, source: [source], outputs: [], execution_count: null }],
    metadata: { kernelspec: { name: 'tslab', display_name: 'TypeScript', language: 'typescript' } },
    nbformat: 4,
    nbformat_minor: 5
  });

/** A random string of the characters that break generated code: line terminators, quotes, backslashes, controls, bidi overrides. */
function hostile(seed: number): string {
  const alphabet = ['a', '/', ' ', '\n', '\r', '\u2028', '\u2029', '\u0085', '"', "'", '`', '\\', '*/', '/*', '\u0000', '\u001b', '\u202e', '\u2066', '\ufeff', 'é', '😀', '\ud800', '${x}', '#'];
  let state = seed;
  let text = '';
  for (let i = 0; i < 12; i++) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    text += alphabet[state % alphabet.length];
  }
  return text;
}

describe('outside text in generated code', () => {
  it('keeps a comment on one line whatever the text: no line terminator, control or bidi character is written raw', () => {
    for (let seed = 1; seed <= 500; seed++) {
      const text = hostile(seed);
      const comment = `// ${tsLineComment(text)}`;
      expect(comment).not.toMatch(/[\n\r\u2028\u2029\u0085\u0000-\u0008\u000b-\u001f\u202a-\u202e\u2066-\u2069\ufeff]/);
      const scanned = ts.createScanner(ts.ScriptTarget.Latest, false, ts.LanguageVariant.Standard, comment);
      expect([scanned.scan(), scanned.getTokenEnd()]).toEqual([ts.SyntaxKind.SingleLineCommentTrivia, comment.length]);
      expect(readTsLineComment(tsLineComment(text))).toBe(text);
    }
  });

  it('writes string literals that TypeScript reads back as the same text', () => {
    for (let seed = 1; seed <= 500; seed++) {
      const text = hostile(seed);
      for (const quote of ['"', "'"] as const) {
        const file = ts.createSourceFile('x.ts', `const x = ${tsStringLiteral(text, quote)};`, ts.ScriptTarget.Latest);
        const [statement] = file.statements as unknown as ts.VariableStatement[];
        expect(file.statements).toHaveLength(1);
        expect((statement.declarationList.declarations[0].initializer as ts.StringLiteral).text).toBe(text);
      }
    }
  });

  it('writes Python string literals that Python reads back as the same text', () => {
    const texts = Array.from({ length: 200 }, (_, i) => hostile(i + 1).replace(/[\ud800-\udfff]/g, 'x')); // Python's json cannot carry lone surrogates
    const program = 'import ast, json, sys\nfor line in sys.stdin.read().split("\\n"):\n    print(json.dumps(ast.literal_eval(line)))\n';
    const run = spawnSync('python3', ['-c', program], { input: texts.map(pythonStringLiteral).join('\n'), encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.stdout.trim().split('\n').map(line => JSON.parse(line))).toEqual(texts);
  });

  it('reads back the notebook name of a header, whatever characters the path has', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const name = hostile(seed);
      const text = withHeader('\nexport function a(): number { return 1; }\n', name);
      expect(text.split('\n')[0]).toMatch(/^\/\/ @generated by dagcells from .* \(checksum [0-9a-f]{14}\)\.$/);
      expect(readHeader(text)).toMatchObject({ notebook: name, intact: true });
    }
  });

  it('cannot be made to run code by a notebook folder whose name holds U+2028', () => {
    // The folder's name ends the header's comment with U+2028 unless it is escaped.
    const evil = join(dir, `x\u2028require('fs').writeFileSync('PWNED', '')\u2028/*x`);
    mkdirSync(evil, { recursive: true });
    writeFileSync(join(evil, 'nb.ipynb'), notebook('/* a note */\nfunction a(): number { return 1; }'));
    const exported = dagcells(['export', join(evil, 'nb.ipynb'), '-o', 'out.ts']);
    expect([exported.code, exported.stderr]).toEqual([0, '']);
    expect(readFileSync(join(dir, 'out.ts'), 'utf8').split('\n')[0]).toContain('\\u2028require(');
    const run = dagcells(['run', 'out.ts', '--outputs', 'a']);
    expect([run.code, run.stdout, run.stderr]).toEqual([0, '{"a":1}\n', '']);
    expect(existsSync(join(dir, 'PWNED'))).toBe(false);
  });

  it('keeps a rewritten import one string when the notebook folder has quotes and line terminators', () => {
    const result = exportNotebook([{ type: 'code', source: "import { helper } from './helper';\nfunction a(): number { return helper(); }" }], {
      notebook: "../we'ird\u2028dir/nb.ipynb",
      notebookDir: "../we'ird\u2028dir"
    });
    const file = ts.createSourceFile('m.ts', result.text as string, ts.ScriptTarget.Latest);
    const imports = file.statements.filter(ts.isImportDeclaration);
    expect(imports).toHaveLength(1);
    expect((imports[0].moduleSpecifier as ts.StringLiteral).text).toBe("../we'ird\u2028dir/helper");
    expect((file as unknown as { parseDiagnostics: unknown[] }).parseDiagnostics).toEqual([]);
  });
});

describe('targets that are not regular files', () => {
  /** A device node to aim at: made in the test's folder as root (so nothing of the machine is at stake), else the machine's own. */
  function device(name: 'null' | 'full'): string {
    if (!isRoot) {
      return `/dev/${name}`; // only root could replace it
    }
    const path = join(dir, name);
    const made = spawnSync('mknod', [path, 'c', '1', name === 'null' ? '3' : '7']);
    expect(made.status).toBe(0);
    return path;
  }

  it.each(['null', 'full'] as const)('never replaces the device /dev/%s, even with --force', name => {
    const target = device(name);
    const { code, stderr } = dagcells(['export', 'nb.ipynb', '-o', target, '--force']);
    expect(code).toBe(1);
    expect(stderr).toBe(
      `dagcells export: ${target} is a character device, not a regular file; nothing written. Give the path of a file with -o, or -o - to print it.\n`
    );
    expect(lstatSync(target).isCharacterDevice()).toBe(true);
  });

  it('refuses a FIFO at once, without opening it (which would wait for a reader)', () => {
    expect(spawnSync('mkfifo', [join(dir, 'pipe.ts')]).status).toBe(0);
    for (const args of [['--force'], ['--check'], []]) {
      const { code, stderr, signal } = dagcells(['export', 'nb.ipynb', '-o', 'pipe.ts', ...args]);
      expect([code, signal, stderr]).toEqual([1, null, expect.stringContaining('pipe.ts is a FIFO (named pipe), not a regular file; nothing written.')]);
    }
    expect(lstatSync(join(dir, 'pipe.ts')).isFIFO()).toBe(true);
  });

  it('refuses a folder', () => {
    mkdirSync(join(dir, 'folder.ts'));
    const { code, stderr } = dagcells(['export', 'nb.ipynb', '-o', 'folder.ts', '--force']);
    expect([code, stderr]).toEqual([1, expect.stringContaining('folder.ts is a folder, not a regular file; nothing written.')]);
  });
});

describe('replacing a module file', () => {
  const exportTo = (target: string, ...flags: string[]) => dagcells(['export', 'nb.ipynb', '-o', target, ...flags]);

  it("writes through a symlink to its target, which it replaces, and leaves the link a link", () => {
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src', 'nb.ts'), 'old text, not from dagcells\n');
    symlinkSync(join('src', 'nb.ts'), join(dir, 'nb.ts'));
    const { code, stderr } = exportTo('nb.ts', '--force');
    expect([code, stderr]).toEqual([0, '']);
    expect(lstatSync(join(dir, 'nb.ts')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(dir, 'nb.ts'))).toBe(join('src', 'nb.ts'));
    const written = readFileSync(join(dir, 'src', 'nb.ts'), 'utf8');
    expect(readHeader(written)).toMatchObject({ notebook: '../nb.ipynb', intact: true });
    // The module is written for where it really is: its header names the notebook from src/.
    expect(exportTo('nb.ts')).toMatchObject({ code: 0, stdout: 'nb.ts is up to date with nb.ipynb; nothing written.\n' });
  });

  it('creates the target of a dangling symlink', () => {
    symlinkSync('made.ts', join(dir, 'link.ts'));
    expect(exportTo('link.ts')).toMatchObject({ code: 0, stderr: '' });
    expect(lstatSync(join(dir, 'link.ts')).isSymbolicLink()).toBe(true);
    expect(readHeader(readFileSync(join(dir, 'made.ts'), 'utf8'))?.intact).toBe(true);
  });

  it("keeps the mode of the file it replaces (600 stays 600), and its owner", () => {
    const target = join(dir, 'nb.ts');
    writeFileSync(target, 'private\n');
    chmodSync(target, 0o600);
    if (isRoot) {
      chownSync(target, 4242, 4343);
    }
    expect(exportTo('nb.ts', '--force')).toMatchObject({ code: 0, stderr: '' });
    const stats = statSync(target);
    expect(stats.mode & 0o777).toBe(0o600);
    expect([stats.uid, stats.gid]).toEqual(isRoot ? [4242, 4343] : [process.getuid?.(), process.getgid?.()]);
    expect(readHeader(readFileSync(target, 'utf8'))?.intact).toBe(true);
  });

  it('does not replace a read-only (444) file, even with --force and as root: its content and mode stay', () => {
    const target = join(dir, 'nb.ts');
    writeFileSync(target, 'keep me\n');
    chmodSync(target, 0o444);
    const { code, stderr } = exportTo('nb.ts', '--force');
    expect([code, stderr]).toEqual([
      1,
      'dagcells export: nb.ts is read-only (mode 444); nothing written. Make it writable (chmod u+w nb.ts) to let the export replace it.\n'
    ]);
    expect(readFileSync(target, 'utf8')).toBe('keep me\n');
    expect(statSync(target).mode & 0o777).toBe(0o444);
  });

  it('does not split hard links: a linked file is refused, and both names keep one content', () => {
    const target = join(dir, 'nb.ts');
    expect(exportTo('nb.ts')).toMatchObject({ code: 0 });
    linkSync(target, join(dir, 'other-name.ts'));
    writeFileSync(join(dir, 'nb.ipynb'), notebook('function changed(): number { return 2; }'));
    const before = readFileSync(target, 'utf8');
    const { code, stderr } = exportTo('nb.ts', '--force');
    expect(code).toBe(1);
    expect(stderr).toContain('nb.ts has 2 hard links; replacing it would split them');
    expect(stderr).toContain("Write it in place yourself with '-o - > nb.ts'");
    expect(readFileSync(join(dir, 'other-name.ts'), 'utf8')).toBe(before);
    expect(statSync(target).ino).toBe(statSync(join(dir, 'other-name.ts')).ino);
  });

  it.each([
    ['the second header line', (text: string) => text.replace('// Edit the notebook, not this file', '// Edited by hand')],
    ['the notebook named in the header', (text: string) => text.replace('from nb.ipynb', 'from elsewhere.ipynb')],
    ['the checksum', (text: string) => text.replace(/checksum [0-9a-f]{14}/, 'checksum 00000000000000')]
  ])('sees an edit of %s alone as an edit: not replaced without --force', (_, edit) => {
    const target = join(dir, 'nb.ts');
    expect(exportTo('nb.ts')).toMatchObject({ code: 0 });
    const edited = edit(readFileSync(target, 'utf8'));
    writeFileSync(target, edited);
    writeFileSync(join(dir, 'nb.ipynb'), notebook('function changed(): number { return 2; }'));
    const { code, stderr } = exportTo('nb.ts');
    expect([code, stderr]).toEqual([
      1,
      'dagcells export: nb.ts was edited since dagcells wrote it (its checksum no longer matches); nothing written. Use --force to overwrite the edits.\n'
    ]);
    expect(readFileSync(target, 'utf8')).toBe(edited);
  });

  it("does not replace another notebook's intact module without --force", () => {
    cpSync(join(dir, 'nb.ipynb'), join(dir, 'other.ipynb'));
    expect(exportTo('nb.ts')).toMatchObject({ code: 0 });
    const mine = readFileSync(join(dir, 'nb.ts'), 'utf8');
    const refused = dagcells(['export', 'other.ipynb', '-o', 'nb.ts']);
    expect([refused.code, refused.stderr]).toEqual([
      1,
      'dagcells export: nb.ts is the module of another notebook (nb.ipynb), not of other.ipynb; nothing written. Use --force to replace it, or -o to write elsewhere.\n'
    ]);
    expect(readFileSync(join(dir, 'nb.ts'), 'utf8')).toBe(mine);
    expect(dagcells(['export', 'other.ipynb', '-o', 'nb.ts', '--force'])).toMatchObject({ code: 0 });
    expect(readHeader(readFileSync(join(dir, 'nb.ts'), 'utf8'))?.notebook).toBe('other.ipynb');
  });

  it('replaces a module written before the checksum covered the header, when nothing of it was edited', () => {
    expect(exportTo('nb.ts')).toMatchObject({ code: 0 });
    const text = readFileSync(join(dir, 'nb.ts'), 'utf8');
    const header = readHeader(text);
    // The earlier header: the same two lines, the checksum of the body alone.
    const { hashText } = jest.requireActual('../src/analysis/hash') as typeof import('../src/analysis/hash');
    const legacy = text.replace(/checksum [0-9a-f]{14}/, `checksum ${hashText(header?.body ?? '')}`);
    writeFileSync(join(dir, 'nb.ts'), legacy);
    writeFileSync(join(dir, 'nb.ipynb'), notebook('function changed(): number { return 2; }'));
    expect(exportTo('nb.ts')).toMatchObject({ code: 0, stderr: '' });
    expect(readFileSync(join(dir, 'nb.ts'), 'utf8')).toContain('export function changed');
  });

  it('removes the temporary files a killed export left, and keeps those of a process still running', () => {
    const gone = spawnSync(process.execPath, ['-e', '0']).pid as number; // has exited: its id names no process
    const stale = join(dir, `.nb.ts.dagcells-${gone}.tmp`);
    const live = join(dir, `.nb.ts.dagcells-${process.pid}.tmp`);
    writeFileSync(stale, 'half a modu');
    writeFileSync(live, 'being written');
    expect(exportTo('nb.ts')).toMatchObject({ code: 0 });
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(live)).toBe(true);
    expect(readdirSync(dir).sort()).toEqual([`.nb.ts.dagcells-${process.pid}.tmp`, 'nb.ipynb', 'nb.ts']);
  });
});

describe('the DAG file of dagcells airflow', () => {
  const airflow = join(__dirname, 'fixtures', 'airflow');
  const generate = (...flags: string[]) => dagcells(['airflow', 'marketing.ts', '--dag-id', 'marketing', '--config', 'region=US', ...flags]);
  beforeEach(() => cpSync(join(airflow, 'marketing.ts'), join(dir, 'marketing.ts')));

  it('is written as a module is: never over a FIFO, a read-only file or hard links, even with --force', () => {
    expect(spawnSync('mkfifo', [join(dir, 'pipe.py')]).status).toBe(0);
    expect(generate('-o', 'pipe.py', '--force')).toMatchObject({ code: 1, signal: null, stderr: expect.stringContaining('pipe.py is a FIFO (named pipe), not a regular file') });
    writeFileSync(join(dir, 'ro.py'), 'keep\n');
    chmodSync(join(dir, 'ro.py'), 0o444);
    expect(generate('-o', 'ro.py', '--force')).toMatchObject({ code: 1, stderr: expect.stringContaining('ro.py is read-only (mode 444)') });
    writeFileSync(join(dir, 'linked.py'), 'shared\n');
    linkSync(join(dir, 'linked.py'), join(dir, 'other.py'));
    expect(generate('-o', 'linked.py', '--force')).toMatchObject({ code: 1, stderr: expect.stringContaining('linked.py has 2 hard links') });
    expect([readFileSync(join(dir, 'ro.py'), 'utf8'), readFileSync(join(dir, 'other.py'), 'utf8')]).toEqual(['keep\n', 'shared\n']);
  });

  it('is written through a symlink, keeping the mode of the file it replaces', () => {
    writeFileSync(join(dir, 'real.py'), 'old\n');
    chmodSync(join(dir, 'real.py'), 0o640);
    symlinkSync('real.py', join(dir, 'dag.py'));
    expect(generate('-o', 'dag.py', '--force')).toMatchObject({ code: 0, stderr: '' });
    expect(lstatSync(join(dir, 'dag.py')).isSymbolicLink()).toBe(true);
    expect(statSync(join(dir, 'real.py')).mode & 0o777).toBe(0o640);
    expect(readFileSync(join(dir, 'real.py'), 'utf8')).toContain('marketing');
  });
});

describe('notebooks that cannot be exported', () => {
  it('names an unreadable notebook and the reason', () => {
    chmodSync(join(dir, 'nb.ipynb'), 0o000);
    // Root reads any file: the export then runs as an ordinary user.
    chmodSync(dir, 0o777);
    const { code, stderr } = dagcells(['export', 'nb.ipynb', '-o', '-'], isRoot ? { uid: 65534, gid: 65534 } : {});
    expect([code, stderr]).toEqual([1, 'dagcells export: cannot read nb.ipynb (permission denied, EACCES).\n']);
  });

  it("says a Python notebook is not TypeScript, instead of that its cells do not parse", () => {
    writeFileSync(
      join(dir, 'py.ipynb'),
      JSON.stringify({
        cells: [{ cell_type: 'code', metadata: {}, source: ['def f(x):\n', '    return x\n'], outputs: [], execution_count: null }],
        metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' }, language_info: { name: 'python' } },
        nbformat: 4,
        nbformat_minor: 5
      })
    );
    const { code, stderr } = dagcells(['export', 'py.ipynb']);
    expect([code, stderr]).toEqual([
      1,
      'dagcells export: py.ipynb is a python notebook (kernel "Python 3"); dagcells exports TypeScript notebooks (the tslab kernel). ' +
        "Change the notebook's kernel to TypeScript to write its dataflow as TypeScript functions.\n"
    ]);
  });

  it('reads a notebook that starts with a byte order mark', () => {
    writeFileSync(join(dir, 'bom.ipynb'), '\ufeff' + notebook('function a(): number { return 1; }'));
    expect(readNotebook('\ufeff' + notebook('function a(): number { return 1; }'), 'bom.ipynb')).toHaveLength(1);
    expect(dagcells(['export', 'bom.ipynb'])).toMatchObject({ code: 0, stderr: '' });
  });
});

/**
 * Artifact lineage: a saver records its upstream nodes with their code
 * versions (the cache's), the config and the data versions of the inputs
 * beside the file, and `dagcells lineage FILE --module M.ts` says whether the
 * file is current.
 */
import { spawnSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import ts from 'typescript';

import * as dagcells from '../src';
import { codeVersion, Driver, saveTo, source } from '../src';
import { readArtifactRecord } from '../src/artifacts';
import { CODE_VERSION_SCHEME } from '../src/cache';
import { checkLineage, Lineage } from '../src/modifiers/lineage';

/** A module made of TypeScript source, as `import` would give it, its "dagcells" this copy. */
function load(text: string): Record<string, unknown> {
  const js = ts.transpileModule(text, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 } }).outputText;
  const module = { exports: {} as Record<string, unknown> };
  const req = (id: string) => (id === 'dagcells' ? dagcells : require(id));
  new Function('module', 'exports', 'require', js)(module, module.exports, req);
  return module.exports;
}

type Recorded = {
  saver: string;
  upstream: { node: string; kind: string; version?: string }[];
  config: unknown;
  inputs: Record<string, string>;
  codeVersionScheme?: number;
};

/**
 * A module whose saver's upstream uses a `_` helper (through a config variant)
 * and a constant (in a plain function). `edit` changes one piece of it.
 */
const flow = (edit: { rate?: string; helper?: string; offset?: string } = {}) => `import { config, saveTo, source } from "dagcells";
const RATE = ${edit.rate ?? '2'};
const OFFSET = ${edit.offset ?? '1'};
function _scale(x: number): number { return ${edit.helper ?? 'x * RATE'}; }
export const scaled__a = config.when({ mode: "a" }, (raw: number[]): number[] => raw.map(_scale));
export function shifted(scaled: number[]): number[] { return scaled.map(x => x + OFFSET); }
export const report = saveTo.json({ path: source("out_path"), outputName: "save_report" }, (shifted: number[]): number[] => shifted);
export function unrelated(raw: number[]): number { return raw.length; }
`;

/** The same module with other comments and layout only. */
const reformatted = `import { config, saveTo, source } from "dagcells";

// Tuning.
const RATE   = 2;
const OFFSET = 1; /* added to every value */

/** Scales one value. */
function _scale(x: number): number {
  // by the rate
  return x * RATE;
}

export const scaled__a = config.when(
  { mode: "a" },
  (raw: number[]): number[] =>
    raw.map(_scale) // each one
);

/** Shifts the scaled values. */
export function shifted(scaled: number[]): number[] {
  return scaled.map(x => x + OFFSET);
}

export const report = saveTo.json(
  { path: source("out_path"), outputName: "save_report" },
  (shifted: number[]): number[] => shifted
);

export function unrelated(raw: number[]): number {
  return raw.length;
}
`;

const root = join(__dirname, '..');
const bin = join(root, 'dist', 'cli', 'bin.js');

beforeAll(() => {
  const built = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-b', root], { encoding: 'utf8' });
  if (built.status !== 0) {
    throw new Error(`building the CLI failed:\n${built.stdout}${built.stderr}`);
  }
});


describe('artifact lineage', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dagcells-lineage-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('a saver records its upstream with code versions, the config and the inputs\' data versions', async () => {
    const path = join(dir, 'r.json');
    const dr = Driver.fromFunctions({
      doubled: (raw: number[]): number[] => raw.map(x => x * 2),
      r: saveTo.json({ path: source('p') }, (doubled: number[]): number[] => doubled)
    }, { config: { mode: 'x' } });
    await dr.execute(['save_r'], { inputs: { raw: [1, 2], p: path } });
    const lineage = (await readArtifactRecord(path))?.lineage as Recorded;
    expect(lineage.saver).toBe('save_r');
    expect(lineage.upstream.map(u => u.node)).toEqual(['doubled', 'p', 'r', 'raw']);
    // Without source, a function's own text gives its version: the cache's too.
    expect(lineage.upstream.find(u => u.node === 'doubled')?.version).toBe(dr.codeVersion('doubled'));
    expect(lineage.upstream.find(u => u.node === 'doubled')?.version).toMatch(/^[0-9a-f]{14}$/);
    expect(lineage.upstream.find(u => u.node === 'raw')?.version).toBeUndefined();
    expect(lineage.codeVersionScheme).toBe(CODE_VERSION_SCHEME);
    expect(lineage.config).toEqual({ mode: 'x' });
    expect(Object.keys(lineage.inputs).sort()).toEqual(['p', 'raw']);
    await dr.execute(['save_r'], { inputs: { raw: [1, 3], p: path } });
    const again = (await readArtifactRecord(path))?.lineage as typeof lineage;
    expect(again.inputs.raw).not.toBe(lineage.inputs.raw);
    expect(again.inputs.p).toBe(lineage.inputs.p);
  });

  test("a record's code versions are the ones the cache keys values with, helpers and constants included", async () => {
    const path = join(dir, 'r.json');
    const recordOf = async (text: string) => {
      const dr = Driver.fromModule(load(text), { source: text, cache: true, config: { mode: 'a' } });
      const result = await dr.execute(['save_report'], { inputs: { raw: [1, 2], out_path: path } });
      expect(result.save_report).toMatchObject({ format: 'json' });
      const lineage = (await readArtifactRecord(path))?.lineage as Recorded;
      return { dr, lineage, version: (node: string) => lineage.upstream.find(u => u.node === node)?.version };
    };
    const { dr, lineage, version } = await recordOf(flow());
    expect(lineage.upstream.map(u => u.node)).toEqual(['out_path', 'raw', 'report', 'scaled', 'shifted']);
    for (const { node, version: recorded } of lineage.upstream) {
      const fn = dr.graph.nodes.get(node)?.fn;
      expect({ node, version: recorded }).toEqual({ node, version: dr.cache?.codeVersionOf(node, fn) });
    }
    // A plain function: the cache's version of its declaration in the source.
    expect(version('shifted')).toBe(codeVersion(flow(), 'shifted'));
    expect(version('report')).toBe(codeVersion(flow(), 'report'));

    // Comments and layout change nothing; a helper or a constant changes its users only.
    expect((await recordOf(reformatted)).lineage.upstream).toEqual(lineage.upstream);
    const helper = await recordOf(flow({ helper: 'x * RATE + 0' }));
    expect(lineage.upstream.filter(u => helper.version(u.node) !== u.version).map(u => u.node)).toEqual(['scaled']);
    const offset = await recordOf(flow({ offset: '10' }));
    expect(lineage.upstream.filter(u => offset.version(u.node) !== u.version).map(u => u.node)).toEqual(['shifted']);
  });

  const cli = (cwd: string, ...args: string[]) => spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8' });
  const writeReport = (text: string) => {
    writeFileSync(join(dir, 'flow.ts'), text);
    const run = cli(dir, 'run', 'flow.ts', '--outputs', 'save_report', '--inputs', '{"raw":[1,2],"out_path":"out/r.json"}', '--config', 'mode=a');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  };
  const check = () => cli(dir, 'lineage', 'out/r.json', '--module', 'flow.ts', '--config', 'mode=a');

  test('a record of another code version scheme is not compared, and says why', async () => {
    const path = join(dir, 'r.json');
    const dr = Driver.fromFunctions({ r: saveTo.json({ path: source('p') }, (raw: number[]): number[] => raw) });
    await dr.execute(['save_r'], { inputs: { raw: [1], p: path } });
    const lineage = (await readArtifactRecord(path))?.lineage as Lineage;
    const versionOf = (name: string) => dr.codeVersion(name);
    expect(checkLineage(lineage, dr.graph, {}, versionOf)).toEqual({ current: true, changed: [], missing: [], added: [], configChanged: [] });
    const { codeVersionScheme: _dropped, ...older } = lineage;
    expect(checkLineage(older, dr.graph, {}, versionOf)).toMatchObject({
      current: false,
      incomparable: expect.stringContaining("recorded by an older dagcells (it says dagcells 0.1.0), whose code versions cannot be compared with this one's")
    });
    expect(checkLineage({ ...lineage, codeVersionScheme: CODE_VERSION_SCHEME + 1 }, dr.graph, {}, versionOf)).toMatchObject({
      current: false,
      incomparable: expect.stringContaining(`recorded with code version scheme ${CODE_VERSION_SCHEME + 1}`)
    });
  });

  test('dagcells lineage FILE prints it, and says whether the file is current for a module and config', () => {
    writeReport(flow());
    const show = cli(dir, 'lineage', 'out/r.json');
    expect(show.status).toBe(0);
    const printed = JSON.parse(show.stdout);
    expect(printed).toMatchObject({ saver: 'save_report', owner: 'save_report', config: { mode: 'a' }, codeVersionScheme: CODE_VERSION_SCHEME });
    expect(printed.note).toBeUndefined();
    expect(printed.upstream.map((u: { node: string }) => u.node)).toEqual(['out_path', 'raw', 'report', 'scaled', 'shifted']);
    // The versions the CLI recorded are the cache's for the same module.
    const version = (node: string) => printed.upstream.find((u: { node: string }) => u.node === node)?.version;
    expect(version('shifted')).toBe(codeVersion(flow(), 'shifted'));
    expect(version('report')).toBe(codeVersion(flow(), 'report'));

    const current = check();
    expect(current.stderr).toBe('');
    expect(current.status).toBe(0);
    expect(JSON.parse(current.stdout).check).toMatchObject({ current: true, changed: [] });

    writeFileSync(join(dir, 'flow.ts'), flow({ rate: '3' }));
    const stale = check();
    expect(stale.status).toBe(1);
    expect(stale.stderr).toContain('out/r.json is not current for flow.ts: code changed: scaled.');
    expect(readFileSync(join(dir, 'out', 'r.json'), 'utf8')).toBe('[3,5]\n');
  });

  test('only comments and layout changed: the file is current', () => {
    writeReport(flow());
    writeFileSync(join(dir, 'flow.ts'), reformatted);
    const current = check();
    expect(current.stderr).toBe('');
    expect(current.status).toBe(0);
    expect(JSON.parse(current.stdout).check).toMatchObject({ current: true, changed: [], missing: [], added: [], configChanged: [] });
  });

  test("a change in a _ helper or a constant names the nodes that use it, and only them", () => {
    writeReport(flow());
    writeFileSync(join(dir, 'flow.ts'), flow({ helper: 'x * RATE + 1' }));
    const helper = check();
    expect(helper.status).toBe(1);
    expect(helper.stderr).toBe('dagcells lineage: out/r.json is not current for flow.ts: code changed: scaled.\n');

    writeFileSync(join(dir, 'flow.ts'), flow({ offset: '10' }));
    const constant = check();
    expect(constant.status).toBe(1);
    expect(constant.stderr).toBe('dagcells lineage: out/r.json is not current for flow.ts: code changed: shifted.\n');
  });

  test('a record an older dagcells wrote is read, and said not comparable', () => {
    writeReport(flow());
    // What the earlier scheme wrote: the same fields, versions from the node's text alone, no scheme.
    const recordFile = join(dir, 'out', 'r.json.dagcells.json');
    const record = JSON.parse(readFileSync(recordFile, 'utf8'));
    delete record.lineage.codeVersionScheme;
    for (const entry of record.lineage.upstream) {
      if (entry.version !== undefined) {
        entry.version = '0123456789abcd';
      }
    }
    writeFileSync(recordFile, JSON.stringify(record));

    const show = cli(dir, 'lineage', 'out/r.json');
    expect(show.status).toBe(0);
    const printed = JSON.parse(show.stdout);
    expect(printed).toMatchObject({ saver: 'save_report', config: { mode: 'a' } });
    expect(printed.note).toBe(
      "its lineage was recorded by an older dagcells (it says dagcells 0.1.0), whose code versions cannot be compared with this one's; run its saver again to record comparable ones."
    );

    const checked = check();
    expect(checked.status).toBe(1);
    expect(checked.stdout).toBe('');
    expect(checked.stderr).toBe(
      "dagcells lineage: out/r.json: cannot say whether it is current for flow.ts: its lineage was recorded by an older dagcells (it says dagcells 0.1.0), whose code versions cannot be compared with this one's; run its saver again to record comparable ones.\n"
    );
  });

  test('a file with no record, or no lineage, is refused with the reason', () => {
    writeFileSync(join(dir, 'plain.json'), '[]');
    const none = spawnSync(process.execPath, [bin, 'lineage', 'plain.json'], { cwd: dir, encoding: 'utf8' });
    expect(none.status).toBe(1);
    expect(none.stderr).toContain('no dagcells record beside it');
  });
});

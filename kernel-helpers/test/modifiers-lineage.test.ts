/**
 * Artifact lineage: a saver records its upstream nodes with their code
 * versions, the config and the data versions of the inputs beside the file,
 * and `dagcells lineage FILE --module M.ts` says whether the file is current.
 */
import { spawnSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

import { Driver, saveTo, source } from '../src';
import { readArtifactRecord } from '../src/artifacts';

const root = join(__dirname, '..');
const bin = join(root, 'dist', 'cli', 'bin.js');

beforeAll(() => {
  const built = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-b', root], { encoding: 'utf8' });
  if (built.status !== 0) {
    throw new Error(`building the CLI failed:\n${built.stdout}${built.stderr}`);
  }
});

const moduleText = (k: number) => `import { config, saveTo, source } from "dagcells";
export const scaled__a = config.when({ mode: "a" }, (raw: number[]): number[] => raw.map(x => x * ${k}));
export const report = saveTo.json({ path: source("out_path"), outputName: "save_report" }, (scaled: number[]): number[] => scaled);
export function unrelated(raw: number[]): number { return raw.length; }
`;

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
    const lineage = (await readArtifactRecord(path))?.lineage as { upstream: { node: string; version?: string }[]; config: unknown; inputs: Record<string, string>; saver: string };
    expect(lineage.saver).toBe('save_r');
    expect(lineage.upstream.map(u => u.node)).toEqual(['doubled', 'p', 'r', 'raw']);
    expect(lineage.upstream.find(u => u.node === 'doubled')?.version).toMatch(/^[0-9a-f]+$/);
    expect(lineage.config).toEqual({ mode: 'x' });
    expect(Object.keys(lineage.inputs).sort()).toEqual(['p', 'raw']);
    await dr.execute(['save_r'], { inputs: { raw: [1, 3], p: path } });
    const again = (await readArtifactRecord(path))?.lineage as typeof lineage;
    expect(again.inputs.raw).not.toBe(lineage.inputs.raw);
    expect(again.inputs.p).toBe(lineage.inputs.p);
  });

  test('dagcells lineage FILE prints it, and says whether the file is current for a module and config', () => {
    const mod = join(dir, 'flow.ts');
    writeFileSync(mod, moduleText(2));
    const run = spawnSync(process.execPath, [bin, 'run', 'flow.ts', '--outputs', 'save_report', '--inputs', '{"raw":[1,2],"out_path":"out/r.json"}', '--config', 'mode=a'], { cwd: dir, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    const show = spawnSync(process.execPath, [bin, 'lineage', 'out/r.json'], { cwd: dir, encoding: 'utf8' });
    expect(show.status).toBe(0);
    const printed = JSON.parse(show.stdout);
    expect(printed).toMatchObject({ saver: 'save_report', owner: 'save_report', config: { mode: 'a' } });
    expect(printed.upstream.map((u: { node: string }) => u.node)).toEqual(['out_path', 'raw', 'report', 'scaled']);

    const current = spawnSync(process.execPath, [bin, 'lineage', 'out/r.json', '--module', 'flow.ts', '--config', 'mode=a'], { cwd: dir, encoding: 'utf8' });
    expect(current.status).toBe(0);
    expect(JSON.parse(current.stdout).check).toMatchObject({ current: true, changed: [] });

    writeFileSync(mod, moduleText(3));
    const stale = spawnSync(process.execPath, [bin, 'lineage', 'out/r.json', '--module', 'flow.ts', '--config', 'mode=a'], { cwd: dir, encoding: 'utf8' });
    expect(stale.status).toBe(1);
    expect(stale.stderr).toContain('out/r.json is not current for flow.ts: code changed: scaled');
    expect(readFileSync(join(dir, 'out', 'r.json'), 'utf8')).toBe('[2,4]\n');
  });

  test('a file with no record, or no lineage, is refused with the reason', () => {
    writeFileSync(join(dir, 'plain.json'), '[]');
    const none = spawnSync(process.execPath, [bin, 'lineage', 'plain.json'], { cwd: dir, encoding: 'utf8' });
    expect(none.status).toBe(1);
    expect(none.stderr).toContain('no dagcells record beside it');
  });
});

import { spawn, spawnSync } from 'child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, relative } from 'path';
import { readArtifact, readArtifactRecord, recordPath, writeArtifact, type ArtifactError } from '../src/artifacts';

const root = join(__dirname, '..');
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dagcells-artifact-files-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Every file and folder under `base`, relative to it. */
function tree(base: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      out.push(relative(base, p) + (e.isDirectory() ? '/' : ''));
      if (e.isDirectory()) walk(p);
    }
  };
  walk(base);
  return out.sort();
}

async function rejection(promise: Promise<unknown>): Promise<ArtifactError> {
  try {
    await promise;
  } catch (error) {
    return error as ArtifactError;
  }
  throw new Error('expected a failure');
}

describe('where a saver writes', () => {
  it('makes the parent folders, and writes only the file and its record', async () => {
    const path = join(dir, 'a', 'b', 'out.csv');
    const result = await writeArtifact('csv', path, [{ x: 1 }], { owner: 'save_out' });
    expect(result).toEqual({ path, format: 'csv', bytes: 4, rows: 1 });
    expect(tree(dir)).toEqual(['a/', 'a/b/', 'a/b/out.csv', 'a/b/out.csv.dagcells.json']);
  });

  it('records the owner, format, size, rows and time beside the file, with the caller\'s extra fields', async () => {
    const path = join(dir, 'p.parquet');
    await writeArtifact('parquet', path, [{ x: 1 }, { x: 2 }], { owner: 'save_p', record: { lineage: { upstream: ['x'] }, owner: 'not this' } });
    const record = await readArtifactRecord(path);
    expect(record).toEqual({
      lineage: { upstream: ['x'] },
      dagcells: { artifact: 1 },
      owner: 'save_p',
      format: 'parquet',
      file: 'p.parquet',
      bytes: statSync(path).size,
      rows: 2,
      mtimeMs: statSync(path).mtimeMs,
      writtenAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
    });
    expect(recordPath(path)).toBe(`${path}.dagcells.json`);
    expect(await readArtifactRecord(join(dir, 'none.csv'))).toBeUndefined();
  });

  it('refuses a path whose folder is a file, creating nothing', async () => {
    writeFileSync(join(dir, 'f'), 'a file');
    const e = await rejection(writeArtifact('json', join(dir, 'f', 'x.json'), 1, { owner: 's' }));
    expect(e.code).toBe('ARTIFACT_IO');
    expect(tree(dir)).toEqual(['f']);
  });

  it('refuses to write over a folder', async () => {
    mkdirSync(join(dir, 'out.csv'));
    const e = await rejection(writeArtifact('csv', join(dir, 'out.csv'), [], { owner: 's' }));
    expect(e).toMatchObject({ code: 'ARTIFACT_IO', message: `${join(dir, 'out.csv')}: this is a folder; a saver writes a file` });
  });
});

describe('which saver may replace a file', () => {
  const path = () => join(dir, 'scores.csv');

  it('lets the saver that wrote a file write it again', async () => {
    await writeArtifact('csv', path(), [{ v: 1 }], { owner: 'save_scores' });
    await writeArtifact('csv', path(), [{ v: 2 }], { owner: 'save_scores' });
    expect(await readArtifact('csv', path())).toEqual([{ v: 2 }]);
  });

  it('refuses another saver, naming both, and leaves the file as it was', async () => {
    await writeArtifact('csv', path(), [{ v: 1 }], { owner: 'save_scores' });
    const e = await rejection(writeArtifact('csv', path(), [{ v: 2 }], { owner: 'save_other' }));
    expect(e).toMatchObject({
      code: 'ARTIFACT_EXISTS',
      message: `${path()}: the file was written by "save_scores", not by "save_other"; pass overwrite: true to replace it`
    });
    expect(readFileSync(path(), 'utf8')).toBe('v\n1\n');
  });

  it('refuses to replace a file no saver wrote, unless overwrite is given', async () => {
    writeFileSync(path(), 'my,own\n1,2\n');
    const e = await rejection(writeArtifact('csv', path(), [{ v: 2 }], { owner: 'save_scores' }));
    expect(e.code).toBe('ARTIFACT_EXISTS');
    expect(e.message).toContain('no dagcells saver wrote it (there is no scores.csv.dagcells.json beside it)');
    expect(readFileSync(path(), 'utf8')).toBe('my,own\n1,2\n');
    await writeArtifact('csv', path(), [{ v: 2 }], { owner: 'save_scores', overwrite: true });
    expect(readFileSync(path(), 'utf8')).toBe('v\n2\n');
    expect((await readArtifactRecord(path()))?.owner).toBe('save_scores');
  });

  it('refuses to replace a file changed since its saver wrote it', async () => {
    await writeArtifact('csv', path(), [{ v: 1 }], { owner: 'save_scores' });
    appendFileSync(path(), '3\n');
    const e = await rejection(writeArtifact('csv', path(), [{ v: 2 }], { owner: 'save_scores' }));
    expect(e.code).toBe('ARTIFACT_EXISTS');
    expect(e.message).toContain('the file changed since "save_scores" wrote it');
    expect(readFileSync(path(), 'utf8')).toBe('v\n1\n3\n');
  });

  it('refuses when the record beside the file is unreadable', async () => {
    await writeArtifact('csv', path(), [{ v: 1 }], { owner: 'save_scores' });
    writeFileSync(recordPath(path()), '{ not json');
    const e = await rejection(writeArtifact('csv', path(), [{ v: 2 }], { owner: 'save_scores' }));
    expect(e.code).toBe('ARTIFACT_EXISTS');
    expect(e.message).toContain('its record cannot be read');
  });

  it('writes a file whose record is left over from a file since deleted', async () => {
    await writeArtifact('csv', path(), [{ v: 1 }], { owner: 'save_other' });
    rmSync(path());
    await writeArtifact('csv', path(), [{ v: 2 }], { owner: 'save_scores' });
    expect((await readArtifactRecord(path()))?.owner).toBe('save_scores');
  });
});

describe('whole or not at all', () => {
  it('leaves the old file, its record and no temporary file when the value fails half-way', async () => {
    const path = join(dir, 'lines.ndjson');
    await writeArtifact('ndjson', path, [{ v: 'old' }], { owner: 's' });
    const before = tree(dir);
    const record = readFileSync(recordPath(path), 'utf8');
    // 100,000 good rows are streamed to the temporary file before the bad one.
    const rows: unknown[] = Array.from({ length: 100_001 }, (_, i) => ({ v: i }));
    rows.push({ v: NaN });
    const e = await rejection(writeArtifact('ndjson', path, rows, { owner: 's' }));
    expect(e).toMatchObject({ code: 'ARTIFACT_VALUE', row: 100_001 });
    expect(readFileSync(path, 'utf8')).toBe('{"v":"old"}\n');
    expect(readFileSync(recordPath(path), 'utf8')).toBe(record);
    expect(tree(dir)).toEqual(before);
  });

  it('removes the folders it made when the write fails', async () => {
    const path = join(dir, 'new', 'deep', 'lines.ndjson');
    const rows: unknown[] = Array.from({ length: 20_000 }, (_, i) => ({ v: i }));
    rows.push({ v: () => 1 });
    await rejection(writeArtifact('ndjson', path, rows, { owner: 's' }));
    expect(tree(dir)).toEqual([]);
  });

  it('leaves the old file when the writing process is killed mid-write, and the next write cleans up', async () => {
    const built = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-b', root], { encoding: 'utf8' });
    expect(built.status).toBe(0);
    const path = join(dir, 'big.csv');
    await writeArtifact('csv', path, [{ id: 0, name: 'old' }], { owner: 'save_big' });
    const child = spawn(process.execPath, [
      '-e',
      `const { writeArtifact } = require(${JSON.stringify(join(root, 'dist', 'artifacts'))});
       const n = 3000000;
       const id = new Float64Array(n).map((_, i) => i);
       const name = Array.from({ length: n }, (_, i) => 'row-' + i);
       writeArtifact('csv', ${JSON.stringify(path)}, { id, name }, { owner: 'save_big' });`
    ]);
    const exited = new Promise<void>(done => child.on('exit', () => done()));
    // Kill it once its temporary file has data in it: the write is under way.
    let temp: string | undefined;
    while (!temp && child.exitCode === null) {
      temp = readdirSync(dir).find(n => n.endsWith('.dagcells-tmp') && statSync(join(dir, n)).size > 0);
      if (!temp) await new Promise(r => setTimeout(r, 5));
    }
    child.kill('SIGKILL');
    await exited;
    expect(temp).toBeDefined();
    expect(readFileSync(path, 'utf8')).toBe('id,name\n0,old\n');
    expect((await readArtifactRecord(path))?.bytes).toBe(14);
    expect(readdirSync(dir)).toContain(temp);
    await writeArtifact('csv', path, [{ id: 1, name: 'new' }], { owner: 'save_big' });
    expect(readdirSync(dir).sort()).toEqual(['big.csv', 'big.csv.dagcells.json']);
  }, 60_000);
});

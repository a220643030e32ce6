import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { PROJECT_ROOT } from './harness/server';
import { startKernel, TestKernel } from './harness/kernel';

describe('artifact files in a tslab kernel', () => {
  let kernel: TestKernel;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dagcells-kernel-artifacts-'));
    kernel = await startKernel({ cwd: join(PROJECT_ROOT, 'notebooks') });
  });
  afterAll(async () => {
    await kernel.shutdown();
    rmSync(dir, { recursive: true, force: true });
  });

  it('type-checks and runs dagcells/artifacts: parquet through WebAssembly, csv through papaparse', async () => {
    const code = [
      'import { writeArtifact, readArtifact, type WriteResult } from "dagcells/artifacts";',
      'const rows = [{ id: 1, score: 0.5, label: "a", at: new Date(0) }, { id: 2, score: 1.5, label: "b", at: null }];',
      `const written: WriteResult = await writeArtifact("parquet", ${JSON.stringify(join(dir, 'scores.parquet'))}, rows, { owner: "save_scores" });`,
      'const back = await readArtifact("parquet", written.path);',
      `await writeArtifact("csv", ${JSON.stringify(join(dir, 'scores.csv'))}, back, { owner: "save_scores" });`,
      'console.log(JSON.stringify({ rows: written.rows, back }));'
    ].join('\n');
    const result = await kernel.execute(code);
    expect(result).toMatchObject({ status: 'ok', stderr: '' });
    expect(JSON.parse(result.stdout)).toEqual({
      rows: 2,
      back: [{ id: 1, score: 0.5, label: 'a', at: '1970-01-01T00:00:00.000Z' }, { id: 2, score: 1.5, label: 'b', at: null }]
    });
    expect(readFileSync(join(dir, 'scores.csv'), 'utf8')).toBe('id,score,label,at\n1,0.5,a,1970-01-01T00:00:00.000Z\n2,1.5,b,\n');
  });

  it('reports a bad file as an ArtifactError naming the line', async () => {
    const code = [
      'import { readArtifact as read2, isArtifactError } from "dagcells/artifacts";',
      `require("fs").writeFileSync(${JSON.stringify(join(dir, 'bad.csv'))}, "a,b\\n1,2\\n3\\n");`,
      `try { await read2("csv", ${JSON.stringify(join(dir, 'bad.csv'))}); } catch (e) { console.log(isArtifactError(e), (e as Error).message); }`
    ].join('\n');
    const result = await kernel.execute(code);
    expect(result).toMatchObject({ status: 'ok', stdout: `true ${join(dir, 'bad.csv')}, line 3, row 1: the row has 1 field but the header has 2\n` });
  });
});

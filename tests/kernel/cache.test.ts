import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

import { KernelBridge, RunEvent } from '../../extension/src/kernel/bridge';
import { codeVersions, NotebookGraph } from '../../kernel-helpers/src/notebook';
import { startKernel, TestKernel } from './harness/kernel';

const CELLS = [
  'function spend(raw_spend: number[]): number[] { return raw_spend; }',
  'function spend_mean(spend: number[]): number { return spend.reduce((a, b) => a + b, 0) / spend.length; }'
];

/** The panel's request for `outputs`, with the code versions of the cells. */
function request(cells: string[], outputs: string[], bytes = 1 << 20) {
  const graph = new NotebookGraph();
  cells.forEach((source, i) => graph.setCell(`c${i}`, source));
  const snapshot = graph.snapshot();
  const names = ['spend', 'spend_mean'];
  const all = codeVersions(cells.map(source => ({ type: 'code' as const, source })));
  return {
    nodes: names.map(name => ({ name, dependencies: (snapshot.nodes.get(name)?.dependencies ?? []).map(d => ({ name: d.name, optional: d.optional })) })),
    outputs,
    inputs: { raw_spend: [10, 20, 30] },
    cache: { versions: Object.fromEntries(names.map(n => [n, all.get(n) as string])), bytes }
  };
}

/** The kernel keeps values of panel runs in memory, and says which nodes it took from there. */
describe('the kernel runtime cache', () => {
  let folder: string;
  let kernel: TestKernel;
  let bridge: KernelBridge;

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'dagcells-kernel-cache-'));
    kernel = await startKernel({ cwd: folder });
    bridge = new KernelBridge(kernel.kernel);
  });
  afterAll(async () => {
    await kernel?.shutdown();
    rmSync(folder, { recursive: true, force: true });
  });

  async function run(cells: string[]) {
    const events: RunEvent[] = [];
    const result = await bridge.run(request(cells, ['spend_mean']), e => events.push(e));
    return { result, cached: events.filter(e => e.type === 'node-cached').map(e => e.node) };
  }

  it('retrieves on a second run, computes again what an edit changed, and forgets on Clear cache', async () => {
    expect((await bridge.define(CELLS.join('\n'))).ok).toBe(true);
    const first = await run(CELLS);
    expect(first.result.status).toBe('ok');
    expect(first.cached).toEqual([]);
    const second = await run(CELLS);
    expect(second.cached).toEqual(['spend', 'spend_mean']);
    expect(second.result.results.spend_mean).toEqual(first.result.results.spend_mean);

    const edited = [CELLS[0], CELLS[1].replace('/ spend.length', '/ (spend.length - 1)')];
    expect((await bridge.define(edited[1])).ok).toBe(true);
    const third = await run(edited);
    expect(third.cached).toEqual(['spend']);
    expect(JSON.stringify(third.result.results.spend_mean)).toContain('30');

    await bridge.clearCache();
    expect((await run(edited)).cached).toEqual([]);
  });
});

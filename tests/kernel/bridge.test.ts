import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

import { KernelBridge, RunEvent } from '../../extension/src/kernel/bridge';
import { NotebookGraph } from '../../kernel-helpers/src/notebook';
import { startKernel, TestKernel } from './harness/kernel';

/** The nodes the notebook's analysis finds in some cells, as the panel sends them. */
function nodesOf(...cells: string[]) {
  const graph = new NotebookGraph();
  cells.forEach((source, i) => graph.setCell(`c${i}`, source));
  const snapshot = graph.snapshot();
  return (names: string[]) =>
    names.map(name => ({
      name,
      dependencies: (snapshot.nodes.get(name)?.dependencies ?? []).map(d => ({ name: d.name, optional: d.optional }))
    }));
}

const MARKETING = [
  'function spend(raw_spend: number[]): number[] { return raw_spend; }',
  'function signups(raw_signups: number[]): number[] { return raw_signups; }',
  'function spend_per_signup(spend: number[], signups: number[]): number[] { return spend.map((s, i) => s / signups[i]); }',
  'function spend_mean(spend: number[]): number { return spend.reduce((a, b) => a + b, 0) / spend.length; }'
].join('\n');

/**
 * The panel's way of running a dataflow, against a real tslab kernel in a
 * folder where nothing was npm-installed: the runtime is installed by the bridge.
 */
describe('running a dataflow in a tslab kernel through the bridge', () => {
  let folder: string;
  let kernel: TestKernel;
  let bridge: KernelBridge;
  let executed: string[];

  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'dagcells-bridge-'));
  });
  afterAll(() => {
    rmSync(folder, { recursive: true, force: true });
  });

  beforeEach(async () => {
    kernel = await startKernel({ cwd: folder });
    bridge = new KernelBridge(kernel.kernel);
    executed = [];
    // Count what the bridge sends, to see how often it installs the runtime.
    const send = kernel.kernel.requestExecute.bind(kernel.kernel);
    kernel.kernel.requestExecute = ((content: { code: string }, ...rest: unknown[]) => {
      executed.push(content.code);
      return (send as (...args: unknown[]) => ReturnType<typeof send>)(content, ...rest);
    }) as typeof kernel.kernel.requestExecute;
    const defined = await bridge.define(MARKETING);
    expect(defined).toEqual({ ok: true, errors: [], stderr: '' });
  });
  afterEach(async () => {
    await kernel?.shutdown();
  });

  const marketingNodes = nodesOf(MARKETING);
  const marketing = {
    nodes: marketingNodes(['spend', 'signups', 'spend_per_signup', 'spend_mean']),
    inputs: { raw_spend: [10, 20, 40], raw_signups: [1, 10, 20] }
  };

  it('runs the outputs with their inputs, reporting each node as it starts and finishes', async () => {
    const events: RunEvent[] = [];
    const result = await bridge.run({ ...marketing, outputs: ['spend_per_signup', 'spend_mean'] }, e => events.push(e));
    expect(result.status).toBe('ok');
    expect(result.results.spend_per_signup).toMatchObject({ kind: 'array', length: 3, text: '[10, 2, 2]' });
    // A result carries its JSON too, for copying.
    expect(result.results.spend_mean).toEqual({ kind: 'number', text: String(70 / 3), json: JSON.stringify(70 / 3) });
    const order = events.map(e => `${e.type} ${e.node}`);
    expect(order).toHaveLength(8);
    expect(order.indexOf('node-finished spend')).toBeLessThan(order.indexOf('node-started spend_per_signup'));
    expect(events.find(e => e.type === 'node-finished' && e.node === 'spend')).toMatchObject({
      preview: { kind: 'array', text: '[10, 20, 40]' }
    });
  });

  it('installs the runtime once per kernel', async () => {
    await bridge.run({ ...marketing, outputs: ['spend_mean'] });
    await bridge.run({ ...marketing, outputs: ['spend_mean'] });
    await bridge.run({ ...marketing, outputs: ['spend_per_signup'] });
    expect(executed.filter(code => code.includes('.eval(')).length).toBe(1);
  });

  it('reports a throwing node as NODE_FAILED on that node, with its message', async () => {
    const ratio = 'function ratio(spend: number[]): number { throw new RangeError("no signups yet"); }';
    await bridge.define(ratio);
    const events: RunEvent[] = [];
    const result = await bridge.run({ nodes: nodesOf(MARKETING, ratio)(['spend', 'ratio']), outputs: ['ratio'], inputs: { raw_spend: [1] } }, e =>
      events.push(e)
    );
    expect(result.status).toBe('error');
    expect(result.error).toEqual({ code: 'NODE_FAILED', message: 'ratio failed: no signups yet', nodes: ['ratio'] });
    expect(events).toContainEqual(expect.objectContaining({ type: 'node-failed', node: 'ratio', message: 'RangeError: no signups yet' }));
    // The request itself ended well: the next one is not aborted.
    expect((await bridge.run({ ...marketing, outputs: ['spend_mean'] })).status).toBe('ok');
  });

  it('names every missing input before anything runs', async () => {
    const touched = 'function touched(raw_spend: number[]): number { (globalThis as any).touched = true; return 1; }';
    await bridge.define(touched);
    const nodes = nodesOf(MARKETING, touched)(['touched', 'spend_per_signup', 'spend', 'signups']);
    const result = await bridge.run({ nodes, outputs: ['touched', 'spend_per_signup'] });
    expect(result.error).toMatchObject({ code: 'MISSING_INPUTS', nodes: ['raw_signups', 'raw_spend'] });
    expect((await kernel.execute('console.log((globalThis as any).touched === undefined)')).stdout).toBe('true\n');
  });

  it('says which functions the kernel does not define', async () => {
    const result = await bridge.run({
      nodes: [...marketingNodes(['spend']), { name: 'nowhere', dependencies: [] }],
      outputs: ['spend'],
      inputs: { raw_spend: [] }
    });
    expect(result.error).toEqual({
      code: 'UNKNOWN_NODE',
      message: 'not defined in the kernel: nowhere. Run the cells that define it.',
      nodes: ['nowhere']
    });
  });

  it('rejects hostile names before sending anything, and carries hostile values as data', async () => {
    const before = executed.length;
    await expect(bridge.run({ nodes: [{ name: 'spend); process.exit(1); (', dependencies: [] }], outputs: ['spend'] })).rejects.toThrow(
      /is not a valid name/
    );
    await expect(
      bridge.run({ nodes: [{ name: 'spend', dependencies: [{ name: 'x); process.exit(1); (', optional: false }] }], outputs: ['spend'] })
    ).rejects.toThrow(/is not a valid name/);
    await expect(bridge.run({ nodes: marketingNodes(['spend']), outputs: ['spend'], inputs: { 'raw_spend"]': 1 } })).rejects.toThrow(/is not a valid name/);
    expect(executed.length).toBe(before);
    const echo = 'function echo(text: string): string { return text; }';
    await bridge.define(echo);
    const hostile = '"); process.exit(1); ("`${process.exit(1)}`\u2028\u2029</script>\\';
    const result = await bridge.run({ nodes: nodesOf(echo)(['echo']), outputs: ['echo'], inputs: { text: hostile } });
    expect(result.error).toBeUndefined();
    expect(result.results.echo).toEqual({ kind: 'string', text: hostile, json: JSON.stringify(hostile) });
  });

  it('picks up a redefined function (the kernel binds names late)', async () => {
    await bridge.define('function spend_mean(spend: number[]): number { return -1; }');
    const result = await bridge.run({ ...marketing, outputs: ['spend_mean'] });
    expect(result.results.spend_mean.text).toBe('-1');
  });

  it('reports a compile error of defined code with its place', async () => {
    const defined = await bridge.define('function broken(x: number): string {\n  return x;\n}');
    expect(defined.ok).toBe(false);
    expect(defined.errors).toEqual([{ line: 2, column: 3, message: "Type 'number' is not assignable to type 'string'." }]);
    // Right after an error, tslab aborts requests for a moment: the bridge retries.
    expect((await bridge.run({ ...marketing, outputs: ['spend_mean'] })).status).toBe('ok');
  });

  it('interrupts a long-running node, and the kernel keeps working', async () => {
    const forever = 'function forever(spend: number[]): number { while (true) {} }';
    await bridge.define(forever);
    const running = bridge.run({ nodes: nodesOf(MARKETING, forever)(['spend', 'forever']), outputs: ['forever'], inputs: { raw_spend: [1] } });
    await new Promise(resolve => setTimeout(resolve, 1500));
    await bridge.interrupt();
    const result = await running;
    expect(result.status).toBe('interrupted');
    expect((await bridge.run({ ...marketing, outputs: ['spend_mean'] })).status).toBe('ok');
  });

  it('interrupts a run waiting on an async node, and runs nothing after it', async () => {
    const slow = [
      'async function slow(spend: number[]): Promise<number> { await new Promise(r => setTimeout(r, 4000)); return 1; }',
      'function after(slow: number): number { (globalThis as any).afterRan = true; return slow; }'
    ].join('\n');
    await bridge.define(slow);
    const running = bridge.run({ nodes: nodesOf(MARKETING, slow)(['spend', 'slow', 'after']), outputs: ['after'], inputs: { raw_spend: [1] } });
    await new Promise(resolve => setTimeout(resolve, 1000));
    await bridge.interrupt();
    expect((await running).status).toBe('interrupted');
    await new Promise(resolve => setTimeout(resolve, 3500)); // past the node's wait
    expect((await kernel.execute('console.log((globalThis as any).afterRan === undefined)')).stdout).toBe('true\n');
  });

  it('stops at once on an interrupt from the kernel menu, also while a node awaits forever', async () => {
    const hang = [
      'async function hang(spend: number[]): Promise<number> { await new Promise(r => setTimeout(r, 60_000)); return 1; }',
      'function after_hang(hang: number): number { (globalThis as any).afterHang = true; return hang; }'
    ].join('\n');
    await bridge.define(hang);
    const events: RunEvent[] = [];
    const running = bridge.run({ nodes: nodesOf(MARKETING, hang)(['spend', 'hang', 'after_hang']), outputs: ['after_hang'], inputs: { raw_spend: [1] } }, e =>
      events.push(e)
    );
    await new Promise(resolve => setTimeout(resolve, 1000));
    await kernel.kernel.interrupt(); // what Kernel > Interrupt does: the bridge is not told
    const result = await running;
    expect(result.status).toBe('interrupted');
    expect(result.error).toEqual({ code: 'INTERRUPTED', message: 'The run was interrupted while hang was running.', nodes: ['hang'] });
    expect(events.map(e => `${e.type} ${e.node}`)).toEqual(['node-started spend', 'node-finished spend', 'node-started hang']);
    await new Promise(resolve => setTimeout(resolve, 3000));
    expect((await bridge.run({ ...marketing, outputs: ['spend_mean'] })).status).toBe('ok');
    expect(kernel.kernel.status).toBe('idle');
  });

  it('keeps the kernel alive when the interrupt comes as soon as a node starts', async () => {
    const slow = 'async function slow_start(raw_spend: number[]): Promise<number> { await new Promise(r => setTimeout(r, 60_000)); return 1; }';
    await bridge.define(slow);
    let started = false;
    const running = bridge.run({ nodes: nodesOf(slow)(['slow_start']), outputs: ['slow_start'], inputs: { raw_spend: [1] } }, e => {
      started ||= e.type === 'node-started';
    });
    while (!started) {
      await new Promise(resolve => setTimeout(resolve, 5));
    }
    await kernel.kernel.interrupt();
    expect((await running).error?.message).toBe('The run was interrupted while slow_start was running.');
    await new Promise(resolve => setTimeout(resolve, 3000));
    expect((await bridge.run({ ...marketing, outputs: ['spend_mean'] })).status).toBe('ok');
    expect(kernel.kernel.status).toBe('idle');
  });

  it('ends a run with the kernel when the kernel restarts under it', async () => {
    const hang = 'async function hang(spend: number[]): Promise<number> { await new Promise(() => {}); return 1; }';
    await bridge.define(hang);
    const running = bridge.run({ nodes: nodesOf(MARKETING, hang)(['spend', 'hang']), outputs: ['hang'], inputs: { raw_spend: [1] } });
    await new Promise(resolve => setTimeout(resolve, 1000));
    await kernel.kernel.restart();
    const result = await running;
    expect(result).toMatchObject({ status: 'restarted', error: { code: 'KERNEL_RESTARTED' } });
    expect(result.error?.message).toMatch(/^The kernel restarted or stopped during the run/);
  });

  it("omits a '?' parameter with no value: the kernel runs the dependencies the analysis found", async () => {
    const total = 'function total(a: number, bonus?: number): number { return a + (bonus ?? 100); }';
    await bridge.define(total);
    const nodes = nodesOf(total)(['total']);
    expect(nodes).toEqual([{ name: 'total', dependencies: [{ name: 'a', optional: false }, { name: 'bonus', optional: true }] }]);
    expect((await bridge.run({ nodes, outputs: ['total'], inputs: { a: 1 } })).results.total.text).toBe('101');
    expect((await bridge.run({ nodes, outputs: ['total'], inputs: { a: 1, bonus: 2 } })).results.total.text).toBe('3');
  });

  it('reinstalls the runtime after a kernel restart', async () => {
    await bridge.run({ ...marketing, outputs: ['spend_mean'] });
    await kernel.kernel.restart();
    await bridge.define('function spend(raw_spend: number[]): number[] { return raw_spend; }\nfunction spend_mean(spend: number[]): number { return spend.length; }');
    const result = await bridge.run({ nodes: marketingNodes(['spend', 'spend_mean']), outputs: ['spend_mean'], inputs: { raw_spend: [1, 2] } });
    expect(result.results.spend_mean.text).toBe('2');
    expect(executed.filter(code => code.includes('.eval(')).length).toBe(2);
  });
});

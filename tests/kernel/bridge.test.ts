import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

import { KernelBridge, RunEvent } from '../../extension/src/kernel/bridge';
import { startKernel, TestKernel } from './harness/kernel';

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
    const defined = await bridge.define(
      [
        'function spend(raw_spend: number[]): number[] { return raw_spend; }',
        'function signups(raw_signups: number[]): number[] { return raw_signups; }',
        'function spend_per_signup(spend: number[], signups: number[]): number[] { return spend.map((s, i) => s / signups[i]); }',
        'function spend_mean(spend: number[]): number { return spend.reduce((a, b) => a + b, 0) / spend.length; }'
      ].join('\n')
    );
    expect(defined).toEqual({ ok: true, errors: [], stderr: '' });
  });
  afterEach(async () => {
    await kernel?.shutdown();
  });

  const marketing = {
    functions: ['spend', 'signups', 'spend_per_signup', 'spend_mean'],
    inputs: { raw_spend: [10, 20, 40], raw_signups: [1, 10, 20] }
  };

  it('runs the outputs with their inputs, reporting each node as it starts and finishes', async () => {
    const events: RunEvent[] = [];
    const result = await bridge.run({ ...marketing, outputs: ['spend_per_signup', 'spend_mean'] }, e => events.push(e));
    expect(result.status).toBe('ok');
    expect(result.results.spend_per_signup).toMatchObject({ kind: 'array', length: 3, text: '[10, 2, 2]' });
    expect(result.results.spend_mean).toEqual({ kind: 'number', text: String(70 / 3) });
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
    await bridge.define('function ratio(spend: number[]): number { throw new RangeError("no signups yet"); }');
    const events: RunEvent[] = [];
    const result = await bridge.run({ functions: ['spend', 'ratio'], outputs: ['ratio'], inputs: { raw_spend: [1] } }, e =>
      events.push(e)
    );
    expect(result.status).toBe('error');
    expect(result.error).toEqual({ code: 'NODE_FAILED', message: 'ratio failed: no signups yet', nodes: ['ratio'] });
    expect(events).toContainEqual(expect.objectContaining({ type: 'node-failed', node: 'ratio', message: 'RangeError: no signups yet' }));
    // The request itself ended well: the next one is not aborted.
    expect((await bridge.run({ ...marketing, outputs: ['spend_mean'] })).status).toBe('ok');
  });

  it('names every missing input before anything runs', async () => {
    await bridge.define('function touched(raw_spend: number[]): number { (globalThis as any).touched = true; return 1; }');
    const result = await bridge.run({ functions: ['touched', 'spend_per_signup', 'spend', 'signups'], outputs: ['touched', 'spend_per_signup'] });
    expect(result.error).toMatchObject({ code: 'MISSING_INPUTS', nodes: ['raw_signups', 'raw_spend'] });
    expect((await kernel.execute('console.log((globalThis as any).touched === undefined)')).stdout).toBe('true\n');
  });

  it('says which functions the kernel does not define', async () => {
    const result = await bridge.run({ functions: ['spend', 'nowhere'], outputs: ['spend'], inputs: { raw_spend: [] } });
    expect(result.error).toEqual({
      code: 'UNKNOWN_NODE',
      message: 'not defined in the kernel: nowhere. Run the cells that define it.',
      nodes: ['nowhere']
    });
  });

  it('rejects hostile names before sending anything, and carries hostile values as data', async () => {
    const before = executed.length;
    await expect(bridge.run({ functions: ['spend); process.exit(1); ('], outputs: ['spend'] })).rejects.toThrow(/is not a valid name/);
    await expect(bridge.run({ functions: ['spend'], outputs: ['spend'], inputs: { 'raw_spend"]': 1 } })).rejects.toThrow(/is not a valid name/);
    expect(executed.length).toBe(before);
    await bridge.define('function echo(text: string): string { return text; }');
    const hostile = '"); process.exit(1); ("`${process.exit(1)}`\u2028\u2029</script>\\';
    const result = await bridge.run({ functions: ['echo'], outputs: ['echo'], inputs: { text: hostile } });
    expect(result.error).toBeUndefined();
    expect(result.results.echo).toEqual({ kind: 'string', text: hostile });
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
    await bridge.define('function forever(spend: number[]): number { while (true) {} }');
    const running = bridge.run({ functions: ['spend', 'forever'], outputs: ['forever'], inputs: { raw_spend: [1] } });
    await new Promise(resolve => setTimeout(resolve, 1500));
    await bridge.interrupt();
    const result = await running;
    expect(result.status).toBe('interrupted');
    expect((await bridge.run({ ...marketing, outputs: ['spend_mean'] })).status).toBe('ok');
  });

  it('interrupts a run waiting on an async node, and runs nothing after it', async () => {
    await bridge.define(
      [
        'async function slow(spend: number[]): Promise<number> { await new Promise(r => setTimeout(r, 4000)); return 1; }',
        'function after(slow: number): number { (globalThis as any).afterRan = true; return slow; }'
      ].join('\n')
    );
    const running = bridge.run({ functions: ['spend', 'slow', 'after'], outputs: ['after'], inputs: { raw_spend: [1] } });
    await new Promise(resolve => setTimeout(resolve, 1000));
    await bridge.interrupt();
    expect((await running).status).toBe('interrupted');
    await new Promise(resolve => setTimeout(resolve, 3500)); // past the node's wait
    expect((await kernel.execute('console.log((globalThis as any).afterRan === undefined)')).stdout).toBe('true\n');
  });

  it('reinstalls the runtime after a kernel restart', async () => {
    await bridge.run({ ...marketing, outputs: ['spend_mean'] });
    await kernel.kernel.restart();
    await bridge.define('function spend(raw_spend: number[]): number[] { return raw_spend; }\nfunction spend_mean(spend: number[]): number { return spend.length; }');
    const result = await bridge.run({ functions: ['spend', 'spend_mean'], outputs: ['spend_mean'], inputs: { raw_spend: [1, 2] } });
    expect(result.results.spend_mean.text).toBe('2');
    expect(executed.filter(code => code.includes('.eval(')).length).toBe(2);
  });
});

import { readFileSync, rmSync } from 'fs';
import { join } from 'path';

import { PROJECT_ROOT } from './harness/server';
import { startKernel, TestKernel, ExecuteResult } from './harness/kernel';

/** The example notebooks run top to bottom in a real tslab kernel, with the numbers they promise. */
const notebooks = join(PROJECT_ROOT, 'notebooks');

function codeCells(name: string): string[] {
  const notebook = JSON.parse(readFileSync(join(notebooks, name), 'utf8'));
  return notebook.cells
    .filter((c: { cell_type: string }) => c.cell_type === 'code')
    .map((c: { source: string[] | string }) => (Array.isArray(c.source) ? c.source.join('') : c.source));
}

async function runAll(kernel: TestKernel, name: string): Promise<ExecuteResult[]> {
  const results: ExecuteResult[] = [];
  for (const code of codeCells(name)) {
    const result = await kernel.execute(code);
    expect({ code, status: result.status, stderr: result.stderr }).toEqual({ code, status: 'ok', stderr: '' });
    results.push(result);
  }
  return results;
}

describe('example notebooks', () => {
  let kernel: TestKernel;
  beforeEach(async () => {
    kernel = await startKernel({ cwd: notebooks });
  });
  afterEach(async () => {
    await kernel?.shutdown();
  });

  it("hello_world.ipynb runs and computes Hamilton's numbers", async () => {
    await runAll(kernel, 'hello_world.ipynb');
    const check = await kernel.execute('console.log(JSON.stringify(result))');
    const result = JSON.parse(check.stdout);
    const hamilton = JSON.parse(
      readFileSync(join(PROJECT_ROOT, 'kernel-helpers', 'test', 'fixtures', 'hello_world.hamilton.json'), 'utf8')
    );
    expect(result.spend_per_signup).toEqual(hamilton.spend_per_signup);
    hamilton.spend_zero_mean_unit_variance.forEach((v: number, i: number) =>
      expect(result.spend_zero_mean_unit_variance[i]).toBeCloseTo(v, 12)
    );
  });

  it('feature_engineering.ipynb runs, cleans the missing amounts, and accounts for every order', async () => {
    const results = await runAll(kernel, 'feature_engineering.ipynb');
    expect(results.map(r => r.stdout).join('')).toContain('10 orders without an amount');
    const check = await kernel.execute('console.log(JSON.stringify(out))');
    const out = JSON.parse(check.stdout) as {
      segments: Record<string, number>;
      region_summary: { region: string; orders: number; revenue_usd: number }[];
    };
    expect(out.region_summary.map(r => r.region)).toEqual(['APAC', 'EU', 'US']);
    expect(out.region_summary.reduce((n, r) => n + r.orders, 0)).toBe(590);
    const customers = await kernel.execute(
      'console.log(new Set(clean_orders(orders(raw_rows("data/orders.csv"))).map(o => o.customer_id)).size)'
    );
    expect(Object.values(out.segments).reduce((a, b) => a + b, 0)).toBe(Number(customers.stdout));
    expect(out.segments.high_value).toBeGreaterThan(0);
  });

  it('variants_and_artifacts.ipynb runs both feature sets and writes the validation predictions only when the saver is asked for', async () => {
    const output = join(notebooks, 'output');
    rmSync(output, { recursive: true, force: true });
    try {
      const results = await runAll(kernel, 'variants_and_artifacts.ipynb');
      const text = results.map(r => r.stdout).join('');
      const accuracy = /accuracy with basic features: (\d\.\d+), with rich features: (\d\.\d+)/.exec(text);
      expect(accuracy).not.toBeNull();
      const saved = JSON.parse(results[results.length - 1].stdout);
      expect(saved).toMatchObject({ format: 'csv', path: join(output, 'validation_predictions.csv') });
      const lines = readFileSync(saved.path, 'utf8').trim().split('\n');
      expect(lines[0]).toBe('order_id,score,predicted,actual');
      expect(lines.length - 1).toBe(saved.rows);
      // The table's rows agree with the accuracy the rich variant reported.
      const rows = lines.slice(1).map(l => l.split(','));
      const correct = rows.filter(r => r[2] === r[3]).length / rows.length;
      expect(correct.toFixed(3)).toBe(accuracy![2]);
      // The variants are really different dataflows.
      const widths = await kernel.execute(
        'console.log(JSON.stringify([features__basic(orders.call(null, [{order_id:"a",region:"US",channel:"app",amount:1,items:1,returned:0}]))[0].x.length, features__rich(orders.call(null, [{order_id:"a",region:"US",channel:"app",amount:1,items:1,returned:0}]))[0].x.length]))'
      );
      expect(JSON.parse(widths.stdout)).toEqual([2, 9]);
    } finally {
      rmSync(output, { recursive: true, force: true });
    }
  });
});


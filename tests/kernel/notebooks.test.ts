import { readFileSync } from 'fs';
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
});

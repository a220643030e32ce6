import { readFileSync } from 'fs';
import { join } from 'path';

import { Driver } from '../src';
import * as helloWorld from './fixtures/hello_world';

const fixtures = join(__dirname, 'fixtures');
const read = (name: string) => JSON.parse(readFileSync(join(fixtures, name), 'utf8'));

/**
 * Hamilton's hello-world dataflow, ported to TypeScript, must compute what
 * Hamilton computes. The expected numbers were produced by Apache Hamilton
 * itself (bench/hamilton/hello_world.py writes them), not typed by hand.
 */
describe("Hamilton's hello world, in TypeScript", () => {
  const inputs = read('hello_world.inputs.json');
  const hamilton: Record<string, unknown> = read('hello_world.hamilton.json');

  it.each(Object.keys(hamilton))('%s matches Hamilton', async output => {
    const dr = Driver.fromModule(helloWorld, { source: readFileSync(join(fixtures, 'hello_world.ts'), 'utf8') });
    const result = await dr.execute([output], { inputs });
    const expected = hamilton[output];
    const value = result[output];
    if (Array.isArray(expected)) {
      expect((value as number[]).map(v => (Number.isNaN(v) ? 'NaN' : v))).toEqual(
        expected.map(v => (v === 'NaN' ? 'NaN' : expect.closeTo(v as number, 12)))
      );
    } else {
      expect(value).toBeCloseTo(expected as number, 12);
    }
  });
});

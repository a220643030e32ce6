import { readFileSync } from 'fs';
import { join } from 'path';

import { readNotebook, runDefinitions } from '../src/export';

const example = (name: string) => {
  const path = join(__dirname, '..', '..', 'notebooks', name);
  return readNotebook(readFileSync(path, 'utf8'), name);
};

describe('what a panel run defines in a kernel where no cell has run', () => {
  const cells = example('feature_engineering.ipynb');

  it('sends the functions of the run with the imports, interfaces, constants and helpers they use, in notebook order', () => {
    const { pieces, problems, modules } = runDefinitions(cells, ['raw_rows', 'orders', 'clean_orders', 'orders_by_customer', 'customer_features', 'high_value_threshold', 'segments']);
    expect(pieces.map(p => p.names)).toEqual([
      ['fs'],
      ['Order'],
      ['CustomerFeatures'],
      ['DAY_MS'],
      ['raw_rows'],
      ['orders'],
      ['clean_orders'],
      ['_mode'],
      ['orders_by_customer'],
      ['customer_features'],
      ['high_value_threshold'],
      ['segments']
    ]);
    expect(pieces[0]).toMatchObject({ cell: 2, line: 1, code: 'import * as fs from "fs";' });
    expect(problems).toEqual([]);
    expect(modules).toEqual([]);
  });

  it('never sends exploration, and sends only what the functions asked for need', () => {
    const { pieces } = runDefinitions(cells, ['fx_rates']);
    expect(pieces.map(p => p.names)).toEqual([['fx_rates']]);
    const code = runDefinitions(cells, ['raw_rows', 'orders']).pieces.map(p => p.code).join('\n');
    expect(code).not.toMatch(/console\.log|Driver\.fromNotebook/);
  });

  it('keeps a definition in the lines of its cell, so that the kernel’s complaints can point there', () => {
    const { pieces } = runDefinitions(cells, ['clean_orders']);
    const piece = pieces.find(p => p.names.includes('clean_orders'));
    expect(piece).toMatchObject({ cell: 7, line: 1 });
    expect(piece?.code.startsWith('/** Orders with a usable amount')).toBe(true);
  });

  it('uses the last definition of a name defined in two cells, as the kernel would', () => {
    const twice = [
      { type: 'code' as const, source: 'function total(a: number): number { return a; }' },
      { type: 'code' as const, source: 'const RATE = 2;\nfunction total(a: number): number { return a * RATE; }' }
    ];
    expect(runDefinitions(twice, ['total']).pieces.map(p => [p.cell, p.names])).toEqual([
      [2, ['RATE']],
      [2, ['total']]
    ]);
  });

  it('says when a function uses a value only exploration computes, and when a needed cell does not parse', () => {
    const cells = [
      { type: 'code' as const, source: 'const data = JSON.parse("[1, 2]");' },
      { type: 'code' as const, source: 'function total(): number { return data.length; }' },
      { type: 'code' as const, source: 'function broken(x: number): number { return x + ; }' }
    ];
    const { problems } = runDefinitions(cells, ['total']);
    expect(problems.map(p => [p.code, p.cell, p.blocking])).toEqual([['EXPLORATION_VALUE', 2, false]]);
    expect(problems[0].message).toMatch(/uses data, which only exploration computes \(cell 1/);
    expect(runDefinitions(cells, ['broken']).problems.map(p => p.code)).toEqual(['SYNTAX']);
  });

  it('drops `export` from a pasted module statement, which a tslab cell would refuse', () => {
    const { pieces } = runDefinitions([{ type: 'code', source: 'export function f(x: number): number { return x; }' }], ['f']);
    expect(pieces[0].code).toBe('function f(x: number): number { return x; }');
  });

  it('defines a tslab module cell whole when the run imports from it', () => {
    const cells = [
      { type: 'code' as const, source: '/** @module helper */\nexport function triple(x: number): number { return 3 * x; }' },
      { type: 'code' as const, source: 'import { triple } from "./helper";\nfunction tripled(raw: number): number { return triple(raw); }' }
    ];
    const { modules, pieces } = runDefinitions(cells, ['tripled']);
    expect(modules).toEqual([expect.objectContaining({ name: 'helper', cell: 1, code: cells[0].source })]);
    expect(pieces.map(p => p.names)).toEqual([['triple'], ['tripled']]);
  });
});

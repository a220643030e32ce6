import { SourceGraph } from 'dagcells/analysis';

import { inputValueProblem, parseInputValue, planRun } from '../src/model/plan';

const graph = (() => {
  const g = new SourceGraph();
  g.setCell('a', 'function spend(raw_spend: number[]): number[] { return raw_spend; }');
  g.setCell('b', 'function signups(raw_signups: number[]): number[] { return raw_signups; }');
  g.setCell('c', 'function per_signup(spend: number[], signups: number[], scale?: number): number[] { return spend; }');
  g.setCell('d', 'function mean(spend: number[]): number { return 0; }');
  g.setCell('e', 'function label(id: number): string { return ""; }\nfunction twice(label: number): number { return 0; }');
  return g.snapshot();
})();

describe('planning a run from the selection', () => {
  it('takes the upstream closure of the outputs, and only it', () => {
    const plan = planRun(graph, ['mean']);
    expect(plan.functions).toEqual(['spend', 'mean']);
    expect(plan.inputs).toEqual([{ name: 'raw_spend', type: 'number[]', required: true, consumers: ['spend'] }]);
    expect(plan.problems).toEqual([]);
  });

  it('lists every input it needs with its declared type, optional ones marked', () => {
    const plan = planRun(graph, ['per_signup']);
    expect(plan.inputs.map(i => [i.name, i.type, i.required])).toEqual([
      ['raw_signups', 'number[]', true],
      ['raw_spend', 'number[]', true],
      ['scale', 'number', false]
    ]);
  });

  it('names the problems that stop it, only those that touch it', () => {
    expect(planRun(graph, ['twice']).problems.map(p => p.code)).toEqual(['TYPE_MISMATCH']);
    expect(planRun(graph, ['label']).problems).toEqual([]);
  });

  it('ignores selected names that are no longer in the graph', () => {
    expect(planRun(graph, ['gone', 'mean']).outputs).toEqual(['mean']);
  });
});

describe('input field values', () => {
  it.each([
    ['[1, 2]', [1, 2]],
    ['3.5', 3.5],
    ['"quoted"', 'quoted'],
    ['US', 'US'],
    ['{"a": 1}', { a: 1 }],
    ['true', true],
    ['null', null],
    ['data/orders.csv', 'data/orders.csv']
  ])('%s is %p', (text, value) => {
    expect(parseInputValue(text)).toEqual({ value });
  });

  it('is nothing when empty', () => {
    expect(parseInputValue('   ')).toBeUndefined();
  });
});

describe('input values against their declared types', () => {
  const spendInput = { name: 'raw_spend', type: 'number[]', required: true, consumers: ['spend'] };

  it('lets through what the type admits, and anything when there is no type', () => {
    expect(inputValueProblem(spendInput, '[1, 2]', [1, 2])).toBeUndefined();
    expect(inputValueProblem({ ...spendInput, type: undefined }, 'US', 'US')).toBeUndefined();
    expect(inputValueProblem({ ...spendInput, type: 'string' }, 'US', 'US')).toBeUndefined();
  });

  it('says why text meant as JSON was not, when the type takes no string', () => {
    expect(inputValueProblem(spendInput, '[1, 2', '[1, 2')).toMatch(/^spend declares raw_spend: number\[\], but "\[1, 2" is not JSON: /);
  });

  it('names the value given when it is JSON of the wrong kind', () => {
    expect(inputValueProblem(spendInput, '{"a": 1}', { a: 1 })).toBe('spend declares raw_spend: number[], but the value given is an object.');
    expect(inputValueProblem({ ...spendInput, consumers: ['spend', 'total'] }, '"x"', 'x')).toBe(
      'spend, total declare raw_spend: number[], but the value given is a string ("x").'
    );
  });
});

import { inputValueProblem, parseInputValue } from '../src/model/plan';

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

import { typesAgree } from '../src/analysis';

const definitions: Record<string, string> = {
  Amount: 'number',
  Row: '{ id: string; spend: number }',
  WideRow: 'Row & { region?: string }',
  Other: '{ id: number }',
  Tree: '{ value: number; children: Tree[] }'
};
const resolve = (name: string) => definitions[name];

describe('typesAgree: what a producer may pass to a consumer', () => {
  it.each([
    ['number', 'number'],
    ['number[]', 'number[]'],
    ['number[]', 'Array<number>'],
    ['Array<number>', 'readonly number[]'],
    ['number[]', 'ReadonlyArray<number>'],
    ['number', 'number | undefined'],
    ['1 | 2', 'number'],
    ['"a" | "b"', 'string'],
    ['`id-${string}`', 'string'],
    ['true', 'boolean'],
    ['string', 'string | number'],
    ['never', 'string'],
    ['[number, string]', '[number, string]'],
    ['[number, number]', 'number[]'],
    ['{ a: number; b: string }', '{ a: number }'],
    ['{ a: number }', '{ a: number; b?: string }'],
    ['{ a: number; b: number }', 'Record<string, number>'],
    ['Map<string, number>', 'Map<string, number>'],
    ['Float64Array', 'Float64Array'],
    ['Date', 'object'],
    ['() => void', 'Function'],
    ['number', '{}'],
    ['undefined', 'void']
  ])('%s agrees with %s', (producer, consumer) => {
    expect(typesAgree(producer, consumer)).toBe(true);
  });

  it.each([
    ['string', 'number'],
    ['number[]', 'string[]'],
    ['readonly number[]', 'number[]'],
    ['number | string', 'number'],
    ['number | undefined', 'number'],
    ['null', 'number'],
    ['number', '1 | 2'],
    ['"c"', '"a" | "b"'],
    ['string', 'number[]'],
    ['number[]', 'number'],
    ['[number, string]', '[number, string, boolean]'],
    ['{ a: number }', '{ a: string }'],
    ['{ a: number }', '{ a: number; b: string }'],
    ['{ a: string }', 'Record<string, number>'],
    ['Map<string, number>', 'Set<string>'],
    ['Map<string, number>', 'Map<string, string>'],
    ['Float64Array', 'number[]'],
    ['Date', 'string'],
    ['string', 'Date'],
    ['number', 'object'],
    ['null', '{}'],
    ['string', '() => void']
  ])('%s disagrees with %s', (producer, consumer) => {
    expect(typesAgree(producer, consumer)).toBe(false);
  });

  it('agrees when either side has no annotation, or with any and unknown', () => {
    expect(typesAgree(undefined, 'number')).toBe(true);
    expect(typesAgree('number', undefined)).toBe(true);
    expect(typesAgree('any', 'number')).toBe(true);
    expect(typesAgree('string', 'unknown')).toBe(true);
    expect(typesAgree('string[]', 'any[]')).toBe(true);
  });

  it('ignores differences of spelling that are not differences of type', () => {
    expect(typesAgree('Array< number >', 'number[]')).toBe(true);
    expect(typesAgree('(number)[]', 'number[]')).toBe(true);
    expect(typesAgree('{a:number,b:string}', '{ b: string; a: number }')).toBe(true);
  });

  it('does not raise a false alarm on what it cannot judge from text alone', () => {
    expect(typesAgree('Foo', 'Bar')).toBe(true); // unknown names
    expect(typesAgree('Partial<Row>', 'number')).toBe(true);
    expect(typesAgree('T extends string ? 1 : 2', 'number')).toBe(true);
    expect(typesAgree('ns.Type', 'number')).toBe(true);
    expect(typesAgree('this is not a type (', 'number')).toBe(true);
  });

  it('sees through aliases and interfaces that the notebook declares', () => {
    expect(typesAgree('Amount', 'number', resolve)).toBe(true);
    expect(typesAgree('Amount[]', 'string[]', resolve)).toBe(false);
    expect(typesAgree('Row[]', 'Row[]', resolve)).toBe(true);
    expect(typesAgree('WideRow', 'Row', resolve)).toBe(true);
    expect(typesAgree('Row', 'WideRow', resolve)).toBe(true);
    expect(typesAgree('Row', 'Other', resolve)).toBe(false);
    expect(typesAgree('{ id: string; spend: number; extra: 1 }', 'Row', resolve)).toBe(true);
    expect(typesAgree('{ id: string }', 'Row', resolve)).toBe(false);
  });

  it('stops on recursive types instead of looping', () => {
    expect(typesAgree('Tree', 'Tree', resolve)).toBe(true);
    expect(typesAgree('Tree', '{ value: number }', resolve)).toBe(true);
    expect(typesAgree('Tree', '{ value: string }', resolve)).toBe(false);
  });
});

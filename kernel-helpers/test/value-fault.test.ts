import { analyzeSource } from '../src/analysis/analyze';
import { inputValueFault } from '../src/driver/value-check';

/** A resolver over the named types a source declares, as the panel builds one from its cells. */
function typesOf(source: string): (name: string) => string | undefined {
  const types = new Map(analyzeSource(source).types.map(t => [t.name, t.definition]));
  return name => types.get(name);
}

const SALES = `
interface Sale { region: string; amount: number; note?: string }
type Channel = "web" | "store";
interface Order { sale: Sale; channel: Channel; tags: string[] }
type Id = string | number;
`;
const resolve = typesOf(SALES);
const check = (value: unknown, type: string) => inputValueFault(value, type, resolve);

describe('checking an input against its declared type, in depth', () => {
  it('names the first element and the field missing from a record', () => {
    expect(check([{ region: 'US', amount: 1 }, { region: 'EU' }], 'Sale[]')).toEqual({
      path: '[1].amount',
      message: '[1].amount is missing; Sale needs amount: number'
    });
  });

  it('names the first element of the wrong type', () => {
    expect(check([1, 'two', 3], 'number[]')?.message).toBe('[1] is a string ("two"), not number');
  });

  it('follows fields into nested records and arrays', () => {
    expect(check({ sale: { region: 'US', amount: '12' }, channel: 'web', tags: [] }, 'Order')?.message).toBe(
      'sale.amount is a string ("12"), not number'
    );
    expect(check({ sale: { region: 'US', amount: 1 }, channel: 'web', tags: ['a', 2] }, 'Order')?.message).toBe(
      'tags[1] is a number (2), not string'
    );
  });

  it('checks literal unions and says which values are allowed', () => {
    expect(check({ sale: { region: 'US', amount: 1 }, channel: 'phone', tags: [] }, 'Order')?.message).toBe(
      'channel is a string ("phone"), not "web" | "store"'
    );
  });

  it('accepts a value of any member of a union, optional fields left out, and extra fields', () => {
    expect(check([1, 'a'], 'Id[]')).toBeUndefined();
    expect(check({ region: 'US', amount: 1, extra: true }, 'Sale')).toBeUndefined();
    expect(check({ region: 'US', amount: 1, note: 'ok' }, 'Sale')).toBeUndefined();
    expect(check({ region: 'US', amount: 1, note: 3 }, 'Sale')?.message).toBe('note is a number (3), not string');
  });

  it('says what an array or a record was given instead', () => {
    expect(check({ region: 'US' }, 'Sale[]')?.message).toBe('the value given is an object');
    expect(check('US', 'Sale')?.message).toBe('the value given is a string ("US")');
    expect(check([1, 2, 3], '[number, number]')?.message).toBe('the value given has 3 elements; [number, number] has 2');
  });

  it('reports the deeper fault of the union member shaped like the value', () => {
    expect(check([{ region: 'US' }], 'Sale[] | null')?.message).toBe('[0].amount is missing; Sale needs amount: number');
  });

  it('trusts what it cannot judge from text: unknown names, generics', () => {
    expect(check({ anything: 1 }, 'Unknown')).toBeUndefined();
    expect(check([1], 'Promise<number>')).toBeUndefined();
    expect(check('x', 'Partial<Sale>')).toBeUndefined();
  });

  it('stops on recursive types without looping', () => {
    const tree = typesOf('interface Tree { value: number; children: Tree[] }');
    const value = { value: 1, children: [{ value: 2, children: [{ value: 'x', children: [] }] }] };
    expect(inputValueFault(value, 'Tree', tree)?.message).toBe('children[0].children[0].value is a string ("x"), not number');
  });
});

describe('the Driver checks inputs in depth when it knows the source', () => {
  it('refuses an input with a missing field before anything runs, naming the element and field', async () => {
    const { Driver } = await import('../src/driver/driver');
    const source = 'interface Sale { region: string; amount: number }\nfunction total(sales: Sale[]): number { return sales.reduce((s, x) => s + x.amount, 0); }';
    let ran = false;
    const total = (sales: { amount: number }[]) => {
      ran = true;
      return sales.reduce((s, x) => s + x.amount, 0);
    };
    const dr = Driver.fromFunctions({ total: total }, { source });
    await expect(dr.execute(['total'], { inputs: { sales: [{ region: 'US', amount: 1 }, { region: 'EU' }] } })).rejects.toMatchObject({
      code: 'TYPE_MISMATCH',
      message: expect.stringContaining('total declares sales: Sale[], but [1].amount is missing; Sale needs amount: number.')
    });
    expect(ran).toBe(false);
    await expect(dr.execute(['total'], { inputs: { sales: [{ region: 'US', amount: 1 }, { region: 'EU', amount: 2 }] } })).resolves.toEqual({ total: 3 });
  });
});

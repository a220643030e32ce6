import ts from 'typescript';

import { analyzeSource } from '../src/analysis';
import { functionSpec, readParameters, sourceSpec } from '../src/specs';

/* eslint-disable @typescript-eslint/no-unused-vars */
const names = (fn: (...args: never[]) => unknown) => {
  const read = readParameters(fn);
  if (read.error !== undefined) {
    throw new Error(read.error);
  }
  return read.params.map(p => (p.optional ? `${p.name}?` : p.name) + (p.pattern ? `(${p.pattern})` : ''));
};

// Functions written as source text, as a kernel or a loader compiles them.
const compiled = (source: string) => new Function(`return (${source});`)() as (...args: never[]) => unknown;

describe('reading parameter names from live functions', () => {
  it.each([
    ['function spend(raw_spend, region) { return raw_spend; }', ['raw_spend', 'region']],
    ['async function load(path) { return path; }', ['path']],
    ['function* rows(data) { yield data; }', ['data']],
    ['async function* chunks(data) { yield data; }', ['data']],
    ['(a, b) => a + b', ['a', 'b']],
    ['async (a) => a', ['a']],
    ['a => a * 2', ['a']],
    ['async a => a', ['a']],
    ['() => 1', []],
    ['function () { return 1; }', []],
    ['function named ( spaced ,  out ) {}', ['spaced', 'out']],
    ['($el, _x) => $el', ['$el', '_x']],
    ['async => async', ['async']],
    ['function f(\n  a,\n\tb\n) {}', ['a', 'b']]
  ])('%s', (source, expected) => {
    expect(names(compiled(source))).toEqual(expected);
  });

  it('reads defaults, whatever their expressions, as optional parameters', () => {
    const fn = compiled(
      'function f(a, b = 2, c = compute(1, (x) => x), d = { k: [1, ")"] }, e = `t${1})`, f = (1, 2)) {}'
    );
    expect(names(fn)).toEqual(['a', 'b?', 'c?', 'd?', 'e?', 'f?']);
  });

  it('is not confused by comments inside the parameter list', () => {
    const fn = compiled('function f(a /* the first ) */, // second\n b) {}');
    expect(names(fn)).toEqual(['a', 'b']);
  });

  it('tells async functions from a parameter or a method named async', () => {
    const isAsync = (fn: (...args: never[]) => unknown) => readParameters(fn).isAsync;
    expect(isAsync(compiled('async (a) => a'))).toBe(true);
    expect(isAsync(compiled('async a => a'))).toBe(true);
    expect(isAsync(compiled('async => 1'))).toBe(false);
    const object = {
      async() { return 1; },
      asyncRows(rows: number[]) { return rows; },
      asyncfunction(x: number) { return x; },
      async load(path: string) { return path; }
    };
    expect([object.async, object.asyncRows, object.asyncfunction, object.load].map(isAsync)).toEqual([false, false, false, true]);
  });

  it('reads methods of objects and classes', () => {
    const object = { total(spend: number, tax = 1) { return spend + tax; }, async load(path: string) { return path; } };
    expect(names(object.total)).toEqual(['spend', 'tax?']);
    expect(names(object.load)).toEqual(['path']);
    class Model { predict(features: number[]) { return features; } }
    expect(names(Model.prototype.predict)).toEqual(['features']);
  });

  it('reads functions compiled by TypeScript from this very file', () => {
    function typed(spend: number[], signups?: number[], rate: number = 0.5): number { return rate; }
    expect(names(typed)).toEqual(['spend', 'signups', 'rate?']);
  });

  it('marks destructured and rest parameters', () => {
    expect(names(compiled('function f({ a, b }, [c], ...rest) {}'))).toEqual([
      '{ a, b }(destructured)',
      '[c](destructured)',
      'rest?(rest)'
    ]);
    expect(names(compiled('({ a } = {}) => a'))).toEqual(['{ a }?(destructured)']);
  });

  it('explains why it cannot read a class, a built-in or a bound function', () => {
    class K {}
    expect(readParameters(K as never).error).toMatch(/it is a class/);
    expect(readParameters(Math.max).error).toMatch(/built-in or bound function/);
    expect(readParameters(function f(a: number) { return a; }.bind(null)).error).toMatch(/built-in or bound/);
  });

});

describe('a node spec from a live function', () => {
  it('reads a function once, however many times and under whatever names it is asked for', () => {
    const fn = compiled('function spend(raw_spend, region = "US") { return raw_spend; }');
    const first = functionSpec('spend', fn);
    const again = functionSpec('other_name', fn);
    expect(first.dependencies).toEqual([
      { name: 'raw_spend', optional: false },
      { name: 'region', optional: true }
    ]);
    // The same reading, not a second one: the very same dependency list.
    expect(again.dependencies).toBe(first.dependencies);
    expect(again.name).toBe('other_name');
  });

  it('names the bad parameters of a function that cannot be a node, with the fix', () => {
    const spec = functionSpec('report', compiled('function report({ a, b }, ...rest) {}'));
    expect(spec.invalid).toBe(
      "report: the destructured parameter '{ a, b }' and the rest parameter '...rest' cannot name a dependency. " +
        'Each parameter names the node it depends on: take the value whole and destructure it inside the body; list the dependencies one by one.'
    );
    expect(spec.dependencies).toEqual([]);
  });
});

/**
 * Where the source is known its analysis decides; reading the compiled text is
 * for functions without it. On everything the compiled text still shows, the
 * two must agree (a `?` is gone once compiled: only the source can say it).
 */
describe('the two readers agree on every signature both can see', () => {
  const sources = [
    'function f(a: number, b: string[]): number { return a; }',
    'async function f(a: number, b = 2): Promise<number> { return a + b; }',
    'const f = (a: number, b: Record<string, number> = {}) => a;',
    'const f = async (rows: { id: number }[]) => rows.length;',
    'const f = function (x: number, /* note ) */ y: number) { return x + y; };',
    'function f(a: number, options = { k: [1, ")"] }, c = (1, 2)): number { return a; }',
    'function f({ a, b }: { a: number; b: number }, ...rest: number[]): number { return a; }',
    'function* f(data: number[]) { yield data; }',
    'function f() { return 1; }'
  ];
  it.each(sources)('%s', source => {
    const [info] = analyzeSource(source).functions;
    const { outputText } = ts.transpileModule(`${source}\nexports.f = f;`, {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 }
    });
    const mod: { exports: Record<string, unknown> } = { exports: {} };
    new Function('exports', 'module', outputText)(mod.exports, mod);
    const live = functionSpec('f', mod.exports.f as (...args: never[]) => unknown);
    const fromSource = sourceSpec(info);
    expect(live.dependencies.map(d => [d.name, d.optional])).toEqual(fromSource.dependencies.map(d => [d.name, d.optional]));
    expect(Boolean(live.isAsync)).toBe(Boolean(fromSource.isAsync));
    expect(live.invalid).toBe(fromSource.invalid);
  });
});

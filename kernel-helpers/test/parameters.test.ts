import { readParameters, readParametersInto } from '../src/driver';

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
      '{...}(destructured)',
      '[...](destructured)',
      'rest?(rest)'
    ]);
    expect(names(compiled('({ a } = {}) => a'))).toEqual(['{...}?(destructured)']);
  });

  it('explains why it cannot read a class, a built-in or a bound function', () => {
    class K {}
    expect(readParameters(K as never).error).toMatch(/it is a class/);
    expect(readParameters(Math.max).error).toMatch(/built-in or bound function/);
    expect(readParameters(function f(a: number) { return a; }.bind(null)).error).toMatch(/built-in or bound/);
  });

  describe('into flat lists, as a large build reads them', () => {
    const into = (fn: (...args: never[]) => unknown) => {
      const names: string[] = ['before'];
      const optional: number[] = [0];
      const ok = readParametersInto(fn, names, optional);
      return { ok, names: names.slice(1), optional: optional.slice(1) };
    };

    it.each([
      'function spend(raw_spend, region) { return raw_spend; }',
      'async function load(path) { return path; }',
      'async  function  load ( path ) {}',
      'function* rows(data) { yield data; }',
      '(a, b) => a + b',
      'async (a) => a',
      'async(a, b) => a',
      'a => a * 2',
      'async => async',
      '() => 1',
      'function f(\n  a,\n\tb\n) {}',
      'function f(a, b = 2, c = g(1, (x) => x)) {}',
      'function f(a /* the first ) */, // second\n b) {}',
      'function f(a, ) {}',
      'function f(ünter, b) {}',
      '(a, b = ")") => a'
    ])('gives what readParameters gives for %s', source => {
      const fn = compiled(source);
      const read = readParameters(fn);
      expect(into(fn)).toEqual({
        ok: true,
        names: read.params?.map(p => p.name),
        optional: read.params?.map(p => (p.optional ? 1 : 0))
      });
    });

    it('reads methods, including one named async, as the general reading does', () => {
      const object = {
        async(a: number) { return a; },
        asyncRows(rows: number[]) { return rows; },
        asyncfunction(x: number) { return x; },
        load(path: string, n = 1) { return path + n; }
      };
      expect([object.async, object.asyncRows, object.asyncfunction, object.load].map(into)).toEqual([
        { ok: true, names: ['a'], optional: [0] },
        { ok: true, names: ['rows'], optional: [0] },
        { ok: true, names: ['x'], optional: [0] },
        { ok: true, names: ['path', 'n'], optional: [0, 1] }
      ]);
    });

    it('pushes nothing and says no for patterns, rest parameters, classes and built-ins', () => {
      class K {}
      for (const fn of [
        compiled('function f(a, { b }) {}'),
        compiled('(a, ...rest) => a'),
        K as never,
        Math.max,
        function f(a: number) { return a; }.bind(null)
      ]) {
        expect(into(fn)).toEqual({ ok: false, names: [], optional: [] });
      }
    });
  });
});

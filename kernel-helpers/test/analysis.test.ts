import { analyzeSource } from '../src/analysis';

const names = (code: string) => analyzeSource(code).functions.map(f => f.name);

describe('analyzeSource: which functions are nodes', () => {
  it('reads function declarations, async functions, arrows and function expressions', () => {
    const code = [
      'function a(x: number): number { return x; }',
      'async function b(a: number): Promise<string> { return String(a); }',
      'const c = (b: string) => b.length;',
      'const d = async (c: number): Promise<number> => c;',
      'const e = function (d: number) { return d; };',
      'let f = x => x;'
    ].join('\n');
    const fns = analyzeSource(code).functions;
    expect(fns.map(f => [f.name, f.form, f.isAsync])).toEqual([
      ['a', 'function', false],
      ['b', 'function', true],
      ['c', 'arrow', false],
      ['d', 'arrow', true],
      ['e', 'function-expression', false],
      ['f', 'arrow', false]
    ]);
  });

  it('keeps `_` helpers, which the graph leaves out, in source order', () => {
    expect(names('function _clean(x) { return x; }\nfunction b(_clean) {}')).toEqual(['_clean', 'b']);
  });

  it('ignores nested functions, methods, overload signatures and ambient declarations', () => {
    const code = [
      'function outer() { function inner(a) {} return inner; }',
      'class K { m(a: number) { return a; } }',
      'function over(a: number): number;',
      'function over(a: any) { return a; }',
      'declare function ambient(a: number): void;',
      'const obj = { f: (a: number) => a };',
      'if (true) { function hidden() {} }'
    ].join('\n');
    expect(names(code)).toEqual(['outer', 'over']);
  });

  it('sees arrows through parentheses, `as` and `satisfies`', () => {
    const code = [
      'const a = ((x: number) => x);',
      'const b = ((x: number) => x) as (x: number) => number;',
      'const c = ((x: number) => x) satisfies (x: number) => number;'
    ].join('\n');
    expect(names(code)).toEqual(['a', 'b', 'c']);
  });

  it('reads each arrow of a multi-declaration statement', () => {
    expect(names('const a = () => 1, b = (a: number) => a, n = 3;')).toEqual(['a', 'b']);
  });
});

describe('analyzeSource: parameters and types', () => {
  it('gives each parameter its name, type text and optionality', () => {
    const [fn] = analyzeSource(
      'function f(a: number[], b?: string, c: Map<string, number> = new Map(), d = 3) { return a; }'
    ).functions;
    expect(fn.params.map(p => ({ name: p.name, type: p.type, optional: p.optional, d: p.defaultText })))
      .toEqual([
        { name: 'a', type: 'number[]', optional: false, d: undefined },
        { name: 'b', type: 'string', optional: true, d: undefined },
        { name: 'c', type: 'Map<string, number>', optional: true, d: 'new Map()' },
        { name: 'd', type: undefined, optional: true, d: '3' }
      ]);
  });

  it('marks destructured and rest parameters and reports them on the function', () => {
    const analysis = analyzeSource('function f(ok: number, { a, b }: any, [x]: number[], ...rest: number[]) {}');
    expect(analysis.functions[0].params.map(p => p.pattern)).toEqual([
      undefined,
      'destructured',
      'destructured',
      'rest'
    ]);
    const messages = analysis.diagnostics.filter(d => d.node === 'f').map(d => d.message);
    expect(messages).toHaveLength(3);
    expect(messages[0]).toMatch(/f: the destructured parameter '\{ a, b \}' cannot name a dependency/);
    expect(messages[2]).toMatch(/f: the rest parameter '\.\.\.rest' cannot name a dependency/);
  });

  it('skips a `this` parameter, which is not an argument at run time', () => {
    const [fn] = analyzeSource('function f(this: Window, a: number) { return a; }').functions;
    expect(fn.params.map(p => p.name)).toEqual(['a']);
  });

  it('unwraps Promise<T> into the value type, since the driver awaits results', () => {
    const fns = analyzeSource(
      [
        'async function a(): Promise<number[]> { return []; }',
        'function b(): Promise<string> { return Promise.resolve(""); }',
        'function c(): number { return 1; }',
        'const d = (): Array<{ x: number }> => [];',
        'const e: (a: number) => boolean = a => a > 0;'
      ].join('\n')
    ).functions;
    expect(fns.map(f => [f.returnType, f.valueType])).toEqual([
      ['Promise<number[]>', 'number[]'],
      ['Promise<string>', 'string'],
      ['number', 'number'],
      ['Array<{ x: number }>', 'Array<{ x: number }>'],
      ['boolean', 'boolean']
    ]);
  });

  it('puts a multi-line annotation on one line', () => {
    const [fn] = analyzeSource('function f(): {\n  a: number;\n  b: string;\n} { return null as any; }').functions;
    expect(fn.valueType).toBe('{ a: number; b: string; }');
  });

  it('lists type aliases and interfaces with what they stand for', () => {
    const { types } = analyzeSource(
      [
        'type Amount = number;',
        'interface Row { id: string;\n  spend: number }',
        'interface Wide extends Row { extra?: boolean }',
        'type Box<T> = { value: T };'
      ].join('\n')
    );
    expect(types).toEqual([
      { name: 'Amount', definition: 'number' },
      { name: 'Row', definition: '{ id: string; spend: number }' },
      { name: 'Wide', definition: 'Row & { extra?: boolean }' },
      { name: 'Box' }
    ]);
  });
});

describe('analyzeSource: docs, places and versions', () => {
  const code = [
    '// a plain comment',
    '/**',
    ' * Spend per signup, in dollars.',
    ' * @owner marketing',
    ' * @tag finance',
    ' * @tag weekly',
    ' * @param spend weekly spend',
    ' */',
    'export function spend_per_signup(spend: number[], signups: number[]): number[] {',
    '  return spend.map((s, i) => s / signups[i]);',
    '}'
  ].join('\n');

  it('reads the JSDoc summary and tags, leaving parameter docs out of the tags', () => {
    const [fn] = analyzeSource(code).functions;
    expect(fn.doc).toBe('Spend per signup, in dollars.');
    expect(fn.tags).toEqual({ owner: 'marketing', tag: 'finance\nweekly' });
    expect(fn.exported).toBe(true);
  });

  it('gives the declaration its range and source text, JSDoc excluded', () => {
    const [fn] = analyzeSource(code).functions;
    expect(fn.range.line).toBe(9);
    expect(fn.range.endLine).toBe(11);
    expect(fn.range.column).toBe(1);
    expect(fn.source.startsWith('export function spend_per_signup(')).toBe(true);
    expect(code.slice(fn.range.start, fn.range.end)).toBe(fn.source);
  });

  it('versions a function by its source: same text same hash, any edit a new one', () => {
    const a = analyzeSource('function f(a: number) { return a + 1; }').functions[0];
    const same = analyzeSource('\n\nfunction f(a: number) { return a + 1; }').functions[0];
    const edited = analyzeSource('function f(a: number) { return a + 2; }').functions[0];
    expect(a.hash).toMatch(/^[0-9a-f]{14}$/);
    expect(same.hash).toBe(a.hash);
    expect(edited.hash).not.toBe(a.hash);
  });

  it('gives a function the same version in a cell and exported from a module', () => {
    const cell = analyzeSource('function f(a: number) { return a + 1; }').functions[0];
    const exported = analyzeSource('export function f(a: number) { return a + 1; }').functions[0];
    const arrow = analyzeSource('const g = (a: number) => a;').functions[0];
    const exportedArrow = analyzeSource('export const g = (a: number) => a;').functions[0];
    expect(exported.hash).toBe(cell.hash);
    expect(exportedArrow.hash).toBe(arrow.hash);
  });
});

describe('analyzeSource: broken code', () => {
  it('never throws, and reads what it can around a syntax error', () => {
    const analysis = analyzeSource('function a(x: number) { return x; }\nconst b = (y: ;\nfunction c(a) { return a; }');
    expect(analysis.diagnostics.some(d => d.severity === 'error' && d.range && d.range.line === 2)).toBe(true);
    expect(analysis.functions.map(f => f.name)).toEqual(expect.arrayContaining(['a', 'c']));
  });

  it.each([
    '',
    '   ',
    'function (',
    '}}}{{{',
    'const = => ;',
    '`unterminated ${',
    '/* open comment',
    'function f(a: number',
    '\u0000\uFFFF',
    'async async function f() {}'
  ])('survives %j', code => {
    expect(() => analyzeSource(code)).not.toThrow();
  });

  it('reports a name defined twice in one cell on the second definition', () => {
    const analysis = analyzeSource('function a() { return 1; }\nconst a = () => 2;');
    const duplicate = analysis.diagnostics.find(d => d.node === 'a');
    expect(duplicate?.message).toBe('a is defined twice in this source (lines 1 and 2).');
    expect(duplicate?.range?.line).toBe(2);
  });

  it('parses JavaScript files as JavaScript', () => {
    const analysis = analyzeSource('function f(a) { return a < 1 ? <any>a : a; }', { fileName: 'x.js' });
    // `<any>a` is a type assertion in TypeScript but a JSX-free syntax error in JavaScript.
    expect(analysis.diagnostics.length).toBeGreaterThan(0);
  });
});

describe('analyzeSource: statements, for export and for defining a cell', () => {
  const kinds = (code: string) => analyzeSource(code).statements.map(s => [s.kind, s.names]);

  it('sorts definitions from exploration', () => {
    const code = [
      'import * as fs from "fs";',
      'import { join } from "path";',
      'const _ = require("lodash");',
      'type Row = { a: number };',
      'interface Cfg { x: string }',
      'declare const ENV: string;',
      'const RATE = 0.2, NAMES = ["a", "b"];',
      'const LIMITS = Object.freeze({ max: 3 });',
      'const cache = new Map<string, number>();',
      'function f(a: number) { return a; }',
      'const g = (f: number) => f * 2;',
      'class Model {}',
      'enum Color { Red }',
      'const data = fs.readFileSync("x.csv", "utf8");',
      'const later = await Promise.resolve(1);',
      'console.log(f(1));',
      'f(2);',
      'g;',
      'for (const x of [1]) {}',
      'let counter;'
    ].join('\n');
    expect(kinds(code)).toEqual([
      ['import', ['fs']],
      ['import', ['join']],
      ['import', ['_']],
      ['type', ['Row']],
      ['type', ['Cfg']],
      ['type', ['ENV']],
      ['constant', ['RATE', 'NAMES']],
      ['constant', ['LIMITS']],
      ['constant', ['cache']],
      ['function', ['f']],
      ['function', ['g']],
      ['declaration', ['Model']],
      ['declaration', ['Color']],
      ['exploration', ['data']],
      ['exploration', ['later']],
      ['exploration', []],
      ['exploration', []],
      ['exploration', []],
      ['exploration', []],
      ['constant', ['counter']]
    ]);
  });

  it('does not count calls inside function bodies as work done at top level', () => {
    expect(kinds('const handler = { run: () => console.log(1) };')).toEqual([['constant', ['handler']]]);
  });

  it('keeps a statement together with its leading comments and JSDoc', () => {
    const code = 'const a = 1;\n\n// why b\n/** b doc */\nfunction b() {}\n';
    const [, b] = analyzeSource(code).statements;
    expect(b.text).toBe('// why b\n/** b doc */\nfunction b() {}');
    expect(b.range.line).toBe(3);
  });
});

import { analyzeSource, typesAgree } from '../src/analysis';
import { exportNotebook } from '../src/export';
import type { NotebookCell } from '../src/export';

/**
 * Source analysis under hostile or generated text: it never throws, whatever
 * the depth of the code; where TypeScript's own parser gives up, the text gets
 * a diagnostic at the deepest point, like any other syntax error.
 */
const sum = (terms: number) => Array.from({ length: terms }, (_, i) => i).join(' + ');
const nested = (open: string, close: string, depth: number, inner = '1') => open.repeat(depth) + inner + close.repeat(depth);
const code = (cell: string): NotebookCell => ({ type: 'code', source: cell });

describe('analyzeSource on deeply nested code', () => {
  it('reads a constant of 5,000 + terms and the function after it, without a diagnostic', () => {
    const analysis = analyzeSource(`const TOTAL = ${sum(5000)};\nfunction total(): number { return TOTAL; }\n`);
    expect(analysis.diagnostics).toEqual([]);
    expect(analysis.statements.map(s => s.kind)).toEqual(['constant', 'function']);
    expect(analysis.functions.map(f => f.name)).toEqual(['total']);
  });

  it('reads a constant of 100,000 + terms', () => {
    const analysis = analyzeSource(`export const TOTAL = ${sum(100_000)};\nexport function total(): number { return TOTAL; }\n`);
    expect(analysis.diagnostics).toEqual([]);
    expect(analysis.functions.map(f => f.name)).toEqual(['total']);
  });

  it('reads a call chain of 20,000 members as a call that runs work', () => {
    const chain = 'a' + '.b'.repeat(20_000);
    const analysis = analyzeSource(`const x = ${chain}();\nfunction f(x: number) { return x; }\n`);
    expect(analysis.statements[0].kind).toBe('exploration');
    expect(analysis.functions.map(f => f.name)).toEqual(['f']);
  });

  it('never throws on 1,000 nested parentheses: the constant is read, or the depth is a diagnostic', () => {
    // Whether TypeScript's recursive parser reaches the bottom depends on the stack left to it.
    const analysis = analyzeSource(`const DEEP = ${nested('(', ')', 1000)};\nfunction deep(): number { return DEEP; }\n`);
    if (analysis.diagnostics.length === 0) {
      expect(analysis.functions.map(f => f.name)).toEqual(['deep']);
    } else {
      expect(analysis.diagnostics).toMatchObject([{ message: expect.stringContaining('brackets 1000 deep at line 1') }]);
    }
  });

  it.each([
    ['10,000 nested parentheses', nested('(', ')', 10_000), 10_000],
    ['10,000 nested array brackets', nested('[', ']', 10_000, ''), 10_000],
    ['5,000 nested object literals', nested('{ a: ', ' }', 5000), 5000]
  ])('turns %s, too deep for the parser, into a diagnostic at the deepest point', (_, expression, depth) => {
    const text = `function before(x: number) { return x; }\nconst DEEP = ${expression};\n`;
    const analysis = analyzeSource(text);
    expect(analysis.diagnostics).toHaveLength(1);
    const [diagnostic] = analysis.diagnostics;
    expect(diagnostic).toMatchObject({ severity: 'error', range: { line: 2 } });
    expect(diagnostic.node).toBeUndefined(); // a syntax error, like the parser's own
    expect(diagnostic.message).toContain(`brackets ${depth} deep at line 2`);
    expect(text.slice(diagnostic.range?.start, diagnostic.range?.end)).toMatch(/^[([{]$/);
  });

  it('turns 100,000 unary operators in a row, too deep for the parser, into a diagnostic', () => {
    const analysis = analyzeSource(`const N = ${'!'.repeat(100_000)}1;\nfunction n(): boolean { return N; }\n`);
    expect(analysis.diagnostics).toMatchObject([{ severity: 'error', message: expect.stringMatching(/^the code nests too deeply/) }]);
  });

  it('analyses normally again after the parser ran out of stack', () => {
    analyzeSource(`const DEEP = ${nested('(', ')', 5000)};`);
    const analysis = analyzeSource('function spend(raw_spend: number[]): number[] { return raw_spend; }');
    expect(analysis.diagnostics).toEqual([]);
    expect(analysis.functions[0].params).toMatchObject([{ name: 'raw_spend', type: 'number[]' }]);
  });

  it('gives no verdict, rather than throwing, on type text nested too deeply to read', () => {
    const deep = nested('Array<', '>', 5000, 'number');
    expect(typesAgree(deep, 'string')).toBe(true);
    expect(typesAgree('string', deep)).toBe(true);
  });
});

describe('the export on deeply nested cells', () => {
  it('exports a cell holding a constant of 5,000 + terms', () => {
    const result = exportNotebook([code(`const TOTAL = ${sum(5000)};\nfunction total(): number { return TOTAL; }`)], {
      notebook: 'deep.ipynb'
    });
    expect(result.problems).toEqual([]);
    expect(result.functions).toEqual(['total']);
    expect(result.values).toEqual(['TOTAL']);
    expect(result.text).toContain(`const TOTAL = ${sum(5000)};`);
  });

  it('refuses a cell nested too deeply to parse, naming the cell and line', () => {
    const result = exportNotebook(
      [code('function ok(): number { return 1; }'), code(`\nconst DEEP = ${nested('(', ')', 10_000)};`)],
      { notebook: 'deep.ipynb' }
    );
    expect(result.text).toBeUndefined();
    expect(result.problems).toMatchObject([{ code: 'SYNTAX', cell: 2, line: 2, blocking: true }]);
    expect(result.problems[0].message).toMatch(/^cell 2 does not parse: line 2: the code nests too deeply/);
  });
});

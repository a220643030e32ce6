import ts from 'typescript';

import { checkIdentifier, installAndRunCode, RequestError, runCode, stringLiteral } from '../src/kernel/request';
import type { RunPayload } from '../src/kernel/protocol';

const payload = (over: Partial<RunPayload> = {}): RunPayload => ({
  runId: 'run-1',
  nodes: [
    { name: 'spend', dependencies: [{ name: 'raw_spend', optional: false }] },
    { name: 'spend_mean', dependencies: [{ name: 'spend', optional: false }] }
  ],
  outputs: ['spend_mean'],
  inputs: { raw_spend: [1, 2] },
  overrides: {},
  config: {},
  ...over
});

/** The statements of generated code, as the TypeScript parser sees them. */
function statements(code: string): ts.NodeArray<ts.Statement> {
  const file = ts.createSourceFile('request.ts', code, ts.ScriptTarget.Latest, true);
  const errors = (file as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics;
  expect(errors.map(e => e.messageText)).toEqual([]);
  return file.statements;
}

/** Every string literal in the code, with the text it stands for. */
function strings(code: string): string[] {
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node)) {
      found.push(node.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile('request.ts', code, ts.ScriptTarget.Latest, true));
  return found;
}

const HOSTILE_VALUES = [
  '"); process.exit(1); ("',
  "'); process.exit(1); ('",
  '`${process.exit(1)}`',
  '\u2028process.exit(1)\u2029',
  '</script><script>alert(1)</script>',
  '\\"); process.exit(1); //',
  '*/ process.exit(1); /*',
  '\u0000\ud800'
];

describe('the code sent to run a dataflow', () => {
  it('has the same structure whatever the values: one import, one block, one final statement', () => {
    for (const value of HOSTILE_VALUES) {
      const code = runCode(payload({ inputs: { raw_spend: value, other: { nested: [value] } } }), '1.0+abc');
      const kinds = statements(code).map(s => ts.SyntaxKind[s.kind]);
      expect(kinds).toEqual(['ImportDeclaration', 'Block', 'ExpressionStatement']);
    }
  });

  it('carries every value inside one JSON string that parses back to the same data', () => {
    for (const value of HOSTILE_VALUES) {
      const run = payload({ inputs: { raw_spend: value } });
      const literals = strings(runCode(run, '1.0+abc'));
      const json = literals.find(text => text.startsWith('{"runId"'));
      expect(JSON.parse(json as string)).toEqual(run);
    }
  });

  it('installs the runtime from one string literal, then runs', () => {
    const source = 'globalThis.__dagcells__ = { version: "x", run() {} }; // \u2028 "quotes" `ticks`';
    const code = installAndRunCode(payload(), source);
    expect(statements(code).map(s => ts.SyntaxKind[s.kind])).toEqual([
      'ImportDeclaration',
      'ExpressionStatement',
      'Block',
      'ExpressionStatement'
    ]);
    expect(strings(code)).toContain(source);
  });

  it('writes string literals that an older TypeScript (tslab 5.0) also reads whole', () => {
    expect(stringLiteral('a\u2028b\u2029c')).toBe('"a\\u2028b\\u2029c"');
  });

  it.each([
    ['a); process.exit(1); (', 'function'],
    ['1abc', 'function'],
    ['spend-mean', 'function'],
    ['class', 'function'],
    ['__proto__', 'function'],
    ['', 'function'],
    ['spend mean', 'function']
  ])('refuses the name %j', name => {
    expect(() => runCode(payload({ nodes: [{ name, dependencies: [] }] }), 'v')).toThrow(RequestError);
    expect(() => runCode(payload({ nodes: [{ name: 'spend', dependencies: [{ name, optional: false }] }] }), 'v')).toThrow(
      /dependency of spend .* is not a valid name/
    );
    expect(() => runCode(payload({ outputs: [name] }), 'v')).toThrow(/is not a valid name/);
    expect(() => runCode(payload({ inputs: { [name]: 1 } }), 'v')).toThrow(/input .* is not a valid name/);
  });

  it('carries code versions as checked names and hex strings, never as code', () => {
    const run = payload({ versions: { spend: '0a6835f1cfd645', spend_mean: '057e3ee766ef39' } });
    const json = strings(runCode(run, 'v')).find(text => text.startsWith('{"runId"'));
    expect(JSON.parse(json as string).versions).toEqual(run.versions);
    expect(() => runCode(payload({ versions: { 'a); process.exit(1); (': '0a' } }), 'v')).toThrow(/versioned node .* is not a valid name/);
    expect(() => runCode(payload({ versions: { spend: '"); process.exit(1); ("' } }), 'v')).toThrow(
      /^the code version of spend \(.*\) is no code version \(hex digits\)\.$/
    );
    expect(() => runCode(payload({ cache: { versions: { spend: 'xyz' } } }), 'v')).toThrow(/code version of spend/);
  });

  it('accepts names with $, _ and digits', () => {
    expect(() => checkIdentifier('$spend_2', 'function')).not.toThrow();
    expect(() => checkIdentifier('_private', 'function')).not.toThrow();
  });

  it.each([
    [{ raw: NaN }, 'the run.inputs.raw is NaN, which JSON cannot carry.'],
    [{ raw: [1, undefined] }, 'the run.inputs.raw[1] is undefined, which JSON cannot carry.'],
    [{ raw: () => 1 }, 'the run.inputs.raw is a function, which JSON cannot carry.'],
    [{ raw: new Date(0) }, 'the run.inputs.raw is a Date, not plain JSON data.'],
    [{ raw: 10n }, 'the run.inputs.raw is a bigint, which JSON cannot carry.']
  ])('refuses a value JSON would change: %p', (inputs, message) => {
    expect(() => runCode(payload({ inputs: inputs as Record<string, unknown> }), 'v')).toThrow(message);
  });

  it('refuses a value that refers to itself', () => {
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(() => runCode(payload({ inputs: { raw: loop } }), 'v')).toThrow('the run.inputs.raw.self refers to itself.');
  });
});

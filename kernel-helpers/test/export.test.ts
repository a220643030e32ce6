import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';

import { analyzeSource } from '../src/analysis';
import { exportNotebook, moduleToCells, readHeader, readNotebook } from '../src/export';
import type { NotebookCell, NotebookExport } from '../src/export';

/**
 * The export's pure logic on fixture notebooks kept as data (test/fixtures/export)
 * and on the example notebooks: what the module keeps, leaves out and reports.
 */
const fixtures = join(__dirname, 'fixtures', 'export');
const examples = join(__dirname, '..', '..', 'notebooks');

function notebook(path: string): NotebookCell[] {
  return readNotebook(readFileSync(path, 'utf8'), path);
}

function exported(name: string): NotebookExport {
  return exportNotebook(notebook(join(fixtures, `${name}.ipynb`)), { notebook: `${name}.ipynb` });
}

const code = (...sources: (string | Partial<NotebookCell>)[]): NotebookCell[] =>
  sources.map(s => (typeof s === 'string' ? { type: 'code', source: s } : { type: 'code', source: '', ...s }));

/** Top-level names of a module, in order, with the statement kinds `analyzeSource` gives them. */
function outline(text: string): string[] {
  return analyzeSource(text).statements.map(s => `${s.kind} ${s.names.join(',')}`.trim());
}

/** What a function looks like in a module: name to source text. */
function functionsOf(text: string): Record<string, string> {
  return Object.fromEntries(analyzeSource(text).functions.map(f => [f.name, f.source]));
}

describe('exportNotebook: what the module holds', () => {
  const sensors = exported('sensors');
  const text = sensors.text as string;

  it('puts the imports first, then types, constants and functions in cell order', () => {
    expect(outline(text)).toEqual([
      'import createHash',
      'import path',
      'type Reading',
      'constant SENSOR_PREFIX',
      'function readings',
      'function _round',
      'constant MIN_PLAUSIBLE_C',
      'constant MAX_PLAUSIBLE_C',
      'function valid_readings',
      'type Unit',
      'function sensor_means',
      'function fingerprint',
      'function report_path',
      'function spread'
    ]);
  });

  it('exports functions and types, and keeps `_` helpers and constants private', () => {
    const exportedNames = analyzeSource(text).functions.filter(f => f.exported).map(f => f.name);
    expect(exportedNames).toEqual(['readings', 'valid_readings', 'sensor_means', 'fingerprint', 'report_path', 'spread']);
    expect(text).toContain('\nexport interface Reading {');
    expect(text).toContain('\nexport type Unit = ');
    expect(text).toContain('\nfunction _round(');
    expect(text).toContain('\nconst SENSOR_PREFIX = "s-"; // how the fleet names probes\n');
    expect(sensors).toMatchObject({
      functions: ['readings', 'valid_readings', 'sensor_means', 'fingerprint', 'report_path', 'spread'],
      helpers: ['_round'],
      types: ['Reading', 'Unit'],
      values: ['SENSOR_PREFIX', 'MIN_PLAUSIBLE_C', 'MAX_PLAUSIBLE_C'],
      imports: ['crypto', 'path']
    });
  });

  it('keeps JSDoc and comments with what they document', () => {
    expect(text).toContain('/** Readings parsed from "sensor,at,celsius" lines. */\nexport function readings(');
    expect(text).toContain('/** Rounds to a number of digits (a helper: its name starts with _). */\nfunction _round(');
  });

  it('leaves out exploration: calls, console.log, bare expressions, top-level awaits, values computed by calls', () => {
    expect(analyzeSource(text).statements.filter(s => s.kind === 'exploration')).toEqual([]);
    expect(text).not.toContain('sample');
    expect(text).not.toContain('console.log');
    const exploration = sensors.leftOut.filter(l => l.reason === 'exploration');
    expect(exploration.map(l => [l.cell, l.line, l.text.slice(0, 30)])).toEqual([
      [4, 2, 'const sample = readings(["a,20'],
      [4, 3, 'console.log(sample.length, "re'],
      [4, 4, 'sample[0]'],
      [5, 1, 'await new Promise(resolve => s'],
      [5, 2, 'valid_readings(sample).map(r ='],
      [11, 3, 'const dr = Driver.fromNotebook'],
      [11, 4, 'const report = await dr.execut'],
      [11, 7, 'report']
    ]);
  });

  it('leaves a cell tagged dagcells-skip out whole, and says which', () => {
    expect(sensors.skippedCells).toEqual([6]);
    expect(text).not.toContain('debug_table');
    expect(text).not.toContain('Scratch work');
  });

  it('keeps the later of two definitions, as the kernel does, and says so where it keeps it', () => {
    expect(Object.keys(functionsOf(text)).filter(n => n === 'valid_readings')).toHaveLength(1);
    expect(functionsOf(text).valid_readings).toContain('r.celsius <= MAX_PLAUSIBLE_C');
    expect(text).toContain(
      '// dagcells: valid_readings is also defined in cell 3; this later definition wins, as in the notebook.\n' +
        '/** Plausible readings only: both ends checked now. */\n' +
        'export function valid_readings('
    );
    expect(text).toContain('// dagcells: MIN_PLAUSIBLE_C is also defined in cell 2; this later definition wins, as in the notebook.\n');
    expect(text).toContain('export type Unit = "C" | "F" | "K";');
    expect(text).not.toContain('-60');
    expect(sensors.redefinitions.map(r => [r.name, r.kept.cell, r.replaced.map(p => p.cell)])).toEqual([
      ['MIN_PLAUSIBLE_C', 8, [2]],
      ['valid_readings', 8, [3]],
      ['Unit', 8, [2]]
    ]);
    expect(sensors.leftOut.filter(l => l.reason === 'replaced').map(l => [l.cell, l.names])).toEqual([
      [2, ['Unit']],
      [2, ['MIN_PLAUSIBLE_C']],
      [3, ['valid_readings']]
    ]);
  });

  it('imports a module once, and only what the kept code uses', () => {
    expect(text.match(/from "crypto"/g)).toHaveLength(1);
    expect(text).not.toContain('dagcells"');
    expect(sensors.leftOut.filter(l => l.reason.endsWith('import')).map(l => [l.cell, l.reason, l.names])).toEqual([
      [8, 'duplicate-import', ['createHash']],
      [11, 'unused-import', ['Driver']]
    ]);
  });

  it('has no problems when parameters shadow the nodes they name, as every Hamilton dataflow does', () => {
    expect(sensors.problems).toEqual([]);
  });

  it('gives the same bytes for the same notebook, under a header naming it', () => {
    expect(exported('sensors').text).toBe(text);
    expect(text.split('\n').slice(0, 2)).toEqual([
      expect.stringMatching(/^\/\/ @generated by dagcells from sensors\.ipynb \(checksum [0-9a-f]{14}\)\.$/),
      '// Edit the notebook, not this file: exporting again replaces it.'
    ]);
    expect(readHeader(text)).toMatchObject({ notebook: 'sensors.ipynb', intact: true });
    expect(readHeader(text.replace('s-', 't-'))).toMatchObject({ intact: false });
    expect(readHeader('export const x = 1;\n')).toBeUndefined();
  });

  it('leaves the cells it is given as they were', () => {
    const cells = notebook(join(fixtures, 'sensors.ipynb'));
    const copy = JSON.parse(JSON.stringify(cells));
    exportNotebook(Object.freeze(cells.map(c => Object.freeze({ ...c }))), { notebook: 'sensors.ipynb' });
    expect(cells).toEqual(copy);
  });

  it.each(readdirSync(examples).filter(f => f.endsWith('.ipynb')))(
    'exports the example %s with every function and no problem',
    name => {
      const cells = notebook(join(examples, name));
      const result = exportNotebook(cells, { notebook: name });
      const inCells = cells
        .filter(c => c.type === 'code')
        .flatMap(c => analyzeSource(c.source).functions.map(f => f.name));
      expect(result.problems).toEqual([]);
      expect([...result.functions, ...result.helpers].sort()).toEqual([...new Set(inCells)].sort());
      expect(analyzeSource(result.text as string).diagnostics).toEqual([]);
    }
  );
});

describe('exportNotebook: problems', () => {
  it('refuses a notebook with a cell that does not parse, naming the cell and the line', () => {
    const broken = exported('broken');
    expect(broken.text).toBeUndefined();
    expect(broken.problems[0]).toMatchObject({ code: 'SYNTAX', cell: 2, line: 1, blocking: true });
    expect(broken.problems[0].message).toMatch(/^cell 2 does not parse: line 1: ',' expected \(and \d+ more\)\. Fix the cell, or tag it dagcells-skip/);
  });

  it('refuses a cell that defines a function twice, which tslab rejects', () => {
    expect(exported('broken').problems[1]).toMatchObject({ code: 'DUPLICATE_IN_CELL', cell: 4, name: 'twice', blocking: true });
  });

  it('does not mind a cell that does not parse when it is tagged dagcells-skip', () => {
    expect(exported('broken').problems.map(p => p.cell)).toEqual([2, 4]);
    expect(exported('broken').skippedCells).toEqual([5]);
  });

  const problems = exported('problems');

  it('reports a function that uses a value only exploration computes, naming the function, the value and the cell', () => {
    expect(problems.problems[0]).toMatchObject({ code: 'EXPLORATION_VALUE', cell: 3, name: 'above', blocking: false });
    expect(problems.problems[0].message).toBe(
      'function above (cell 3) uses data, which only exploration computes (cell 2: `const data = [3, 12, 7, 30].map(x => x * 10);`): ' +
        'the module has no value for it. Take data as a parameter (it becomes an input or a node) or make it a function.'
    );
  });

  it('reports a function that uses what only a skipped cell defines', () => {
    expect(problems.problems[1]).toMatchObject({ code: 'EXPLORATION_VALUE', cell: 5, name: 'scaled' });
    expect(problems.problems[1].message).toMatch(/^function scaled \(cell 5\) uses _scale, which only cell 4 defines, and that cell is tagged dagcells-skip/);
  });

  it('reports a function that reads a value exploration changes after defining it', () => {
    expect(problems.problems[2]).toMatchObject({ code: 'EXPLORATION_VALUE', cell: 5, name: 'call_count' });
    expect(problems.problems[2].message).toMatch(/^function call_count \(cell 5\) uses calls, which exploration changes in cell 6 \(`calls = 5;`\)/);
  });

  it('reports a constant that reads, while the module loads, a value the module defines further down', () => {
    expect(problems.problems[3]).toMatchObject({ code: 'USED_BEFORE_DEFINED', cell: 8, name: 'LIMIT' });
    expect(problems.problems[3].message).toMatch(/^constant LIMIT \(cell 8\) reads BASE when the module loads, but the module defines BASE further down \(cell 9/);
    expect(problems.problems).toHaveLength(4);
  });

  it('still writes the module, so that a UI can show it with its problems', () => {
    expect(problems.text).toContain('export function above(limit: number): number[]');
  });

  it('does not take a local variable or parameter for a value of the notebook', () => {
    const result = exportNotebook(
      code(
        'const data = [1, 2].map(x => x);',
        'function total(data: number[]): number { return data.length; }\n' +
          'function inner(): number { const data = [1]; return data.length; }\n' +
          'function obj(): { data: number } { return { data: 1 }; }'
      ),
      { notebook: 'n.ipynb' }
    );
    expect(result.problems).toEqual([]);
  });
});

describe('exportNotebook: the details of a faithful module', () => {
  const text = (...cells: (string | Partial<NotebookCell>)[]) =>
    (exportNotebook(code(...cells), { notebook: 'n.ipynb' }).text as string).split('\n').slice(3).join('\n');

  it('keeps a type and a value of the same name', () => {
    expect(text('const Color = { red: "red" } as const;\ntype Color = (typeof Color)[keyof typeof Color];')).toBe(
      'const Color = { red: "red" } as const;\nexport type Color = (typeof Color)[keyof typeof Color];\n'
    );
  });

  it('keeps interfaces declared twice in one cell: TypeScript merges them', () => {
    expect(text('interface A { x: number }\ninterface A { y: number }')).toBe(
      'export interface A { x: number }\nexport interface A { y: number }\n'
    );
  });

  it('writes part of an import again when only some of its names are used', () => {
    expect(text('import { a, b as c, d } from "./lib";', 'function f(): number { return a + c; }')).toBe(
      'import { a, b as c } from "./lib";\n\nexport function f(): number { return a + c; }\n'
    );
  });

  it('keeps a side-effect import once', () => {
    expect(text('import "./setup";', 'import "./setup";\nfunction f() { return 1; }')).toBe(
      'import "./setup";\n\nexport function f() { return 1; }\n'
    );
  });

  it('keeps the later import when two cells bind a name to different things', () => {
    const result = exportNotebook(code('import { x } from "./a";', 'import { x } from "./b";', 'function f() { return x; }'), {
      notebook: 'n.ipynb'
    });
    expect(result.text).toContain('// dagcells: x is also defined in cell 1; this later definition wins, as in the notebook.\nimport { x } from "./b";');
    expect(result.text).not.toContain('"./a"');
  });

  it('splits a declaration list when a later cell defines one of its names again', () => {
    expect(text('const A = 1, B = 2;', 'const B = 3;', 'function f() { return A + B; }')).toBe(
      'const A = 1;\n\n' +
        '// dagcells: B is also defined in cell 1; this later definition wins, as in the notebook.\n' +
        'const B = 3;\n\n' +
        'export function f() { return A + B; }\n'
    );
  });

  it('exports arrows and function expressions, and splits a list that mixes helpers and nodes', () => {
    expect(text('const a = (x: number) => x, _b = function (y: number) { return y; };')).toBe(
      'export const a = (x: number) => x;\nconst _b = function (y: number) { return y; };\n'
    );
  });

  it('keeps overload signatures with their implementation, exported together', () => {
    const source =
      'function parse(x: string): number;\nfunction parse(x: number): number;\nfunction parse(x: string | number): number { return Number(x); }';
    expect(text('function parse(x: any) { return 0; }', source)).toBe(
      '// dagcells: parse is also defined in cell 1; this later definition wins, as in the notebook.\n' +
        'export function parse(x: string): number;\nexport function parse(x: number): number;\n' +
        'export function parse(x: string | number): number { return Number(x); }\n'
    );
  });

  it('keeps classes and enums, private', () => {
    expect(text('class Model { static version = 1; }\nenum Color { Red }')).toBe('class Model { static version = 1; }\nenum Color { Red }\n');
  });

  it('writes relative imports from the module\'s folder when it lives elsewhere', () => {
    const result = exportNotebook(code('import { helper } from "./lib/helper";\nfunction f() { return helper(); }'), {
      notebook: '../notebooks/n.ipynb',
      notebookDir: '../notebooks'
    });
    expect(result.text).toContain('import { helper } from "../notebooks/lib/helper";');
    expect(result.text?.split('\n')[0]).toMatch(/^\/\/ @generated by dagcells from \.\.\/notebooks\/n\.ipynb /);
  });

  it('holds the definitions of a tslab module cell itself, and leaves the imports from it out', () => {
    const result = exported('module_cell');
    expect(outline(result.text as string)).toEqual(['function fahrenheit', 'constant FREEZING_F', 'function temperatures_f', 'function frost_days']);
    expect(result.text).not.toContain('@module');
    expect(result.text).not.toContain('./units');
    expect(result.leftOut.filter(l => l.reason === 'module-cell-import')).toEqual([
      { cell: 3, cellId: 'module_c-02', line: 1, reason: 'module-cell-import', text: 'import { fahrenheit, FREEZING_F } from "./units";', names: ['fahrenheit', 'FREEZING_F'] }
    ]);
    expect(result.problems).toEqual([]);
  });

  it('reports an import that renames a name of a tslab module cell', () => {
    const result = exportNotebook(
      code('/** @module units */\nexport function fahrenheit(c: number) { return c * 1.8 + 32; }', 'import { fahrenheit as f } from "./units";\nfunction hot(t: number) { return f(t) > 90; }'),
      { notebook: 'n.ipynb' }
    );
    expect(result.problems).toEqual([
      expect.objectContaining({ code: 'MODULE_CELL_IMPORT', cell: 2, name: 'f' })
    ]);
    expect(result.problems[0].message).toBe(
      'cell 2 imports f from ./units, the tslab module cell 1, which the module holds itself: ' +
        'import each name as it is defined (import { fahrenheit } from "./units") and use that name.'
    );
  });

  it('leaves markdown, raw and empty cells out, and gives only the header for a notebook without code', () => {
    const result = exportNotebook(
      [
        { type: 'markdown', source: 'function not_code() {}' },
        { type: 'raw', source: 'const x = 1;' },
        { type: 'code', source: '  \n' }
      ],
      { notebook: 'n.ipynb' }
    );
    expect(result.text?.split('\n')).toHaveLength(3);
    expect(result).toMatchObject({ functions: [], leftOut: [], problems: [] });
  });
});

describe('moduleToCells: a module back into cells', () => {
  const module = exported('sensors').text as string;
  const { cells, leftOut, problems } = moduleToCells(module);

  it('makes one cell of imports, one of types and constants, and one per function', () => {
    expect(problems).toEqual([]);
    expect(cells.map(c => (c.role === 'function' ? c.name : c.role))).toEqual([
      'imports',
      'declarations',
      'readings',
      '_round',
      'valid_readings',
      'sensor_means',
      'fingerprint',
      'report_path',
      'spread'
    ]);
    expect(cells[0].source).toBe('import { createHash } from "crypto";\nimport * as path from "path";');
    expect(leftOut).toEqual([]);
  });

  it('removes `export`, which tslab rejects in a cell, the generated header and the export\'s notes; keeps JSDoc', () => {
    const all = cells.map(c => c.source).join('\n');
    expect(all).not.toMatch(/^export /m);
    expect(all).not.toContain('@generated');
    expect(all).not.toContain('// dagcells:');
    expect(cells[4].source).toBe(
      '/** Plausible readings only: both ends checked now. */\n' +
        'function valid_readings(readings: Reading[]): Reading[] {\n' +
        '  return readings.filter(r => Number.isFinite(r.celsius) && r.celsius >= MIN_PLAUSIBLE_C && r.celsius <= MAX_PLAUSIBLE_C);\n}'
    );
    expect(cells[1].source).toContain('interface Reading {');
    expect(cells[1].source).toContain('type Unit = "C" | "F" | "K";');
  });

  it.each(['sensors', ...readdirSync(examples).filter(f => f.endsWith('.ipynb'))])(
    'gives back the same functions when exported again (%s)',
    name => {
      const path = name.endsWith('.ipynb') ? join(examples, name) : join(fixtures, `${name}.ipynb`);
      const first = exportNotebook(notebook(path), { notebook: 'n.ipynb' }).text as string;
      const back = moduleToCells(first).cells.map(c => ({ type: 'code' as const, source: c.source }));
      const second = exportNotebook(back, { notebook: 'n.ipynb' }).text as string;
      expect(functionsOf(second)).toEqual(functionsOf(first));
      expect(Object.keys(functionsOf(second)).length).toBeGreaterThan(0);
    }
  );

  it('takes modules written by hand: default exports, export lists and top-level code are listed as left out', () => {
    const result = moduleToCells(
      [
        'import { readFileSync } from "fs";',
        '// The total.',
        'export default function total(xs: number[]): number { return xs.reduce((a, b) => a + b, 0); }',
        'export const double = (total: number) => total * 2;',
        'export { total as sum };',
        'console.log(double(2));'
      ].join('\n')
    );
    expect(result.cells.map(c => c.source)).toEqual([
      'import { readFileSync } from "fs";',
      '// The total.\nfunction total(xs: number[]): number { return xs.reduce((a, b) => a + b, 0); }',
      'const double = (total: number) => total * 2;'
    ]);
    expect(result.leftOut).toEqual([
      { line: 5, text: 'export { total as sum };', reason: 'export-statement' },
      { line: 6, text: 'console.log(double(2));', reason: 'exploration' }
    ]);
  });

  it('imports nothing from a module that does not parse, and says where', () => {
    const result = moduleToCells('export const a = 1;\nexport const b = ;\n');
    expect(result.cells).toEqual([]);
    expect(result.problems).toEqual([{ line: 2, message: 'Expression expected.' }]);
  });

  it('counts lines of the file, header included, in what it reports', () => {
    const withHeader = exportNotebook(code('function f() { return 1; }'), { notebook: 'n.ipynb' }).text + 'f();\n';
    expect(moduleToCells(withHeader).leftOut).toEqual([{ line: 5, text: 'f();', reason: 'exploration' }]);
  });
});

describe('readNotebook', () => {
  it('reads cell types, sources given as lists of lines, tags and ids', () => {
    const cells = readNotebook(
      JSON.stringify({
        cells: [
          { cell_type: 'markdown', id: 'm', metadata: {}, source: ['# Title\n', 'text'] },
          { cell_type: 'code', id: 'c', metadata: { tags: ['dagcells-skip'] }, source: 'f()', outputs: [] }
        ],
        nbformat: 4
      }),
      'n.ipynb'
    );
    expect(cells).toEqual([
      { type: 'markdown', source: '# Title\ntext', id: 'm' },
      { type: 'code', source: 'f()', tags: ['dagcells-skip'], id: 'c' }
    ]);
  });

  it.each([
    ['{oops', /^n\.ipynb is not a notebook: it is not valid JSON \(/],
    ['{"nbformat": 4}', /^n\.ipynb is not a notebook: it has no "cells" list\.$/],
    ['{"worksheets": []}', /^n\.ipynb is an nbformat 3 notebook; open and save it in JupyterLab/],
    ['{"cells": [{"cell_type": "heading", "source": ""}]}', /^n\.ipynb: cell 1 has cell_type "heading"; expected code, markdown or raw\.$/],
    ['{"cells": [{"cell_type": "code", "source": [1]}]}', /^n\.ipynb: the source of cell 1 is not text\.$/]
  ])('says what is wrong with %s', (text, message) => {
    expect(() => readNotebook(text, 'n.ipynb')).toThrow(message);
  });
});

import { analyzeSource } from 'dagcells/analysis';

import { cellDefinitions } from '../src/execute/definitions';

describe("what defining a cell sends to the kernel", () => {
  const cell = [
    'import * as fs from "fs";',
    'const RATE = 0.2;',
    'console.log("exploring");',
    '',
    '/** Doc. */',
    'function rows(path: string): string[] {',
    '  return fs.readFileSync(path, "utf8").split("\\n");',
    '}',
    'rows("data.csv").length;'
  ].join('\n');

  it("keeps the cell's definitions and leaves its exploration out", () => {
    const { code } = cellDefinitions(analyzeSource(cell));
    expect(code).toBe(
      ['import * as fs from "fs";', 'const RATE = 0.2;', '/** Doc. */', 'function rows(path: string): string[] {', '  return fs.readFileSync(path, "utf8").split("\\n");', '}'].join('\n')
    );
  });

  it("maps each line sent back to the cell's line, for error messages", () => {
    const { cellLines } = cellDefinitions(analyzeSource(cell));
    expect(cellLines).toEqual([1, 2, 5, 6, 7, 8]);
  });
});

/**
 * What a run from the notebook panel must define in the kernel before its
 * functions can run: the functions of the run and everything they need
 * (imports, types, interfaces, constants, `_` helpers), each as the notebook
 * ends up defining it, as written, in notebook order. Exploration is never
 * sent. A fresh or restarted kernel, in which no cell has run, can then run
 * any output of the notebook.
 */
import ts from 'typescript';

import { hashText } from '../analysis/hash';
import { readNotebookPieces } from './export-notebook';
import { functionPiece, holdersOf, isExportedStatement, neededPieces } from './needs';
import { planModule } from './plan';
import { Piece, pieceText } from './pieces';
import { moduleProblems } from './problems';
import type { ExportProblem, NotebookCell } from './types';

/** One top-level statement to define in the kernel. */
export interface KernelPiece {
  /** The cell's position in the notebook, from 1, and its id. */
  cell: number;
  cellId?: string;
  /** Line in the cell where `code` starts. */
  line: number;
  /** Names it defines. */
  names: string[];
  /** Its code as the kernel runs it (a tslab cell cannot `export`). */
  code: string;
  /** A version of that code: the kernel holds the piece when it holds this version of its names. */
  hash: string;
}

/** A tslab module cell (`/** @module NAME *\/`) the run imports from: defined whole, as the cell. */
export interface KernelModule {
  name: string;
  cell: number;
  cellId?: string;
  code: string;
  hash: string;
}

/** What {@link runDefinitions} finds. */
export interface RunDefinitions {
  /** Module cells to define first, in notebook order. */
  modules: KernelModule[];
  /** Pieces to define, in notebook order. */
  pieces: KernelPiece[];
  /** Functions of the run that no cell defines (nothing to send for them). */
  undefined: string[];
  /**
   * What can keep the definitions from working: a needed cell that does not
   * parse (`blocking`), a value that only exploration computes (it works only
   * once that cell has run in this kernel).
   */
  problems: ExportProblem[];
}

/**
 * The definitions the functions `names` need, from the notebook's cells.
 *
 * @example
 * ```ts
 * const { pieces } = runDefinitions(cells, ["segments"]);
 * const code = pieces.map(p => p.code).join("\n");   // imports, types, helpers, the functions
 * ```
 */
export function runDefinitions(cells: readonly NotebookCell[], names: readonly string[]): RunDefinitions {
  const { pieces: all, blocking, modules: moduleCells } = readNotebookPieces(cells);
  const plan = planModule(all);
  const holders = holdersOf(plan);
  const start: Piece[] = [];
  const missing: string[] = [];
  for (const name of names) {
    const piece = functionPiece(holders, name);
    if (piece) {
      start.push(piece);
    } else {
      missing.push(name);
    }
  }
  const needed = neededPieces(plan, start, holders);
  const neededCells = new Set(needed.map(p => p.cell));
  const moduleNames = new Map([...moduleCells].map(([name, cell]) => [cell, name]));

  const modules = new Map<number, KernelModule>();
  const pieces: KernelPiece[] = [];
  for (const piece of needed) {
    const inModule = moduleNames.get(piece.cell);
    if (inModule !== undefined) {
      addModule(inModule, piece.cell);
      continue;
    }
    const imported = importedModuleCell(piece, moduleCells);
    if (imported !== undefined) {
      addModule(imported, moduleCells.get(imported) as number);
    }
    const code = kernelText(piece);
    pieces.push({
      cell: piece.cell,
      ...(piece.cellId !== undefined ? { cellId: piece.cellId } : {}),
      line: piece.sourceFile.getLineAndCharacterOfPosition(piece.start).line + 1,
      names: [...new Set((plan.kept.get(piece) ?? piece.bindings).map(b => b.name))],
      code,
      hash: hashText(code)
    });
  }
  const problems = [
    ...blocking.filter(p => neededCells.has(p.cell)),
    ...moduleProblems(plan).filter(p => needed.some(piece => piece.cell === p.cell && piece.line === p.line))
  ];
  return {
    modules: [...modules.values()].sort((a, b) => a.cell - b.cell),
    pieces,
    undefined: missing,
    problems
  };

  function addModule(name: string, cell: number): void {
    if (modules.has(cell)) {
      return;
    }
    const source = cells[cell - 1]?.source ?? '';
    modules.set(cell, {
      name,
      cell,
      ...(cells[cell - 1]?.id !== undefined ? { cellId: cells[cell - 1].id } : {}),
      code: source,
      hash: hashText(source)
    });
    neededCells.add(cell);
  }
}

/** A piece's text without a top-level `export` (a tslab cell rejects one). */
function kernelText(piece: Piece): string {
  const text = pieceText(piece);
  const statement = piece.statement;
  if (!isExportedStatement(statement)) {
    return text;
  }
  const modifier = (ts.canHaveModifiers(statement) ? ts.getModifiers(statement) ?? [] : []).find(m => m.kind === ts.SyntaxKind.ExportKeyword) as ts.Modifier;
  const from = modifier.getStart(piece.sourceFile) - piece.start;
  let to = modifier.end - piece.start;
  while (to < text.length && /\s/.test(text[to])) {
    to++;
  }
  return text.slice(0, from) + text.slice(to);
}

/** The module cell an import reads from (`./NAME`), when it is one of the notebook's. */
function importedModuleCell(piece: Piece, modules: ReadonlyMap<string, number>): string | undefined {
  const statement = piece.statement;
  if (piece.kind !== 'import' || !ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) {
    return undefined;
  }
  const match = /^\.\/([\w$.-]+?)(\.[cm]?[tj]s)?$/.exec(statement.moduleSpecifier.text);
  return match && modules.has(match[1]) ? match[1] : undefined;
}

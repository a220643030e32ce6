/**
 * A notebook's cells as one module file: pure text in, text out, so that the
 * JupyterLab command and `dagcells export` give the same bytes.
 */
import ts from 'typescript';

import { withHeader } from './header';
import { inlineModuleImports, moduleCellName, withoutMarker } from './module-cells';
import { planModule, Plan } from './plan';
import { Binding, Piece, readPieces } from './pieces';
import { cellProblems, moduleProblems } from './problems';
import { isPrivate, renderBody, specifierOf } from './render';
import { CellPlace, ExportOptions, ExportProblem, NotebookCell, NotebookExport, Redefinition, SKIP_TAG } from './types';

/**
 * Exports a notebook's code cells as a module: imports (deduplicated, those the
 * kept code uses) first, then types, constants and functions in cell order,
 * functions and types exported, `_` helpers kept private. Exploration (calls,
 * logging, bare expressions, top-level awaits) and cells tagged `dagcells-skip`
 * are left out. A name defined in several cells keeps its last definition, as in
 * the kernel. Never throws: problems are reported, and a cell the notebook
 * itself cannot run (a syntax error) prevents the module (`text` is absent).
 *
 * @example
 * ```ts
 * const result = exportNotebook(cells, { notebook: "hello_world.ipynb" });
 * if (result.text !== undefined) writeFileSync("hello_world.ts", result.text);
 * result.problems.forEach(p => console.error(p.message));
 * ```
 */
export function exportNotebook(cells: readonly NotebookCell[], options: ExportOptions): NotebookExport {
  const { pieces: read, skippedCells, blocking, modules } = readNotebookPieces(cells);
  const inlined = inlineModuleImports(read, modules);
  const plan = planModule(inlined.pieces);
  const redefinitions = redefinitionsOf(plan);
  const summary = summarize(plan);
  const problems = [...blocking, ...inlined.problems, ...moduleProblems(plan)].sort((a, b) => a.cell - b.cell || a.line - b.line);
  const text =
    blocking.length > 0 ? undefined : withHeader(renderBody(plan, redefinitions, options.notebookDir), options.notebook);
  return {
    ...(text !== undefined ? { text } : {}),
    ...summary,
    skippedCells,
    leftOut: [...plan.leftOut, ...inlined.leftOut].sort((a, b) => a.cell - b.cell || a.line - b.line),
    redefinitions: [...redefinitions.values()].flat(),
    problems
  };
}

/** The pieces of a notebook's code cells, in order, with what stops an export. */
export interface NotebookPieces {
  pieces: Piece[];
  /** Code cells tagged `dagcells-skip` (1-based notebook positions). */
  skippedCells: number[];
  /** Problems of cells the notebook itself cannot run. */
  blocking: ExportProblem[];
  /** tslab module cells (`/** @module NAME *\/`), by module name: their positions. */
  modules: Map<string, number>;
}

/** Reads every code cell into pieces (skipped cells too: they ran in the notebook). */
export function readNotebookPieces(cells: readonly NotebookCell[]): NotebookPieces {
  const pieces: Piece[] = [];
  const skippedCells: number[] = [];
  const blocking: ExportProblem[] = [];
  const modules = new Map<string, number>();
  cells.forEach((cell, i) => {
    const position = i + 1;
    if (cell.type !== 'code' || cell.source.trim() === '') {
      return;
    }
    const skipped = (cell.tags ?? []).includes(SKIP_TAG);
    if (skipped) {
      skippedCells.push(position);
    } else {
      blocking.push(...cellProblems(cell, position));
    }
    const place = { cell: position, skipped, ...(cell.id !== undefined ? { cellId: cell.id } : {}) };
    const moduleName = moduleCellName(cell.source);
    if (moduleName !== undefined && !skipped) {
      modules.set(moduleName, position);
    }
    const source = moduleName !== undefined ? withoutMarker(cell.source) : cell.source;
    pieces.push(...readPieces(source, place, pieces.length));
  });
  return { pieces, skippedCells, blocking, modules };
}

type Summary = Pick<NotebookExport, 'functions' | 'helpers' | 'types' | 'values' | 'imports'>;

function summarize(plan: Plan): Summary {
  const summary: Summary = { functions: [], helpers: [], types: [], values: [], imports: [] };
  const kept = [...plan.kept.entries()].sort(([a], [b]) => a.index - b.index);
  for (const [piece, bindings] of kept) {
    const names = bindings.map(b => b.name);
    if (piece.kind === 'import') {
      const from = specifierOf(piece.statement)?.text ?? piece.sourceFile.text.slice(piece.tokenStart, piece.statement.end);
      if (!summary.imports.includes(from)) {
        summary.imports.push(from);
      }
    } else if (piece.kind === 'function') {
      summary.functions.push(...names.filter(n => !isPrivate(n)));
      summary.helpers.push(...names.filter(isPrivate));
    } else if (piece.kind === 'type' && (ts.isInterfaceDeclaration(piece.statement) || ts.isTypeAliasDeclaration(piece.statement))) {
      summary.types.push(...names);
    } else if (piece.kind !== 'signature') {
      summary.values.push(...names);
    }
  }
  for (const key of Object.keys(summary) as (keyof Summary)[]) {
    summary[key] = [...new Set(summary[key])]; // a cell that defines a name twice is a problem of its own
  }
  return summary;
}

/** For each kept piece, the names it defines again and where the earlier definitions were. */
function redefinitionsOf(plan: Plan): Map<Piece, Redefinition[]> {
  const earlier = new Map<Binding, Binding[]>();
  for (const [replaced] of plan.resolution.replacedBy) {
    if (replaced.piece.skipped || replaced.piece.kind === 'exploration') {
      continue;
    }
    let final = replaced;
    while (plan.resolution.replacedBy.has(final)) {
      final = plan.resolution.replacedBy.get(final) as Binding;
    }
    if (plan.kept.get(final.piece)?.includes(final)) {
      earlier.set(final, [...(earlier.get(final) ?? []), replaced]);
    }
  }
  const byPiece = new Map<Piece, Redefinition[]>();
  for (const [binding, replaced] of earlier) {
    const redefinition: Redefinition = {
      name: binding.name,
      kept: placeOf(binding.piece),
      replaced: replaced.sort((a, b) => a.piece.index - b.piece.index).map(b => placeOf(b.piece))
    };
    byPiece.set(binding.piece, [...(byPiece.get(binding.piece) ?? []), redefinition]);
  }
  return byPiece;
}

function placeOf(piece: Piece): CellPlace {
  return { cell: piece.cell, line: piece.line, ...(piece.cellId !== undefined ? { cellId: piece.cellId } : {}) };
}

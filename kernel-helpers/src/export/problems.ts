/**
 * Why a module would not work, or would not give the notebook's results, found
 * before it is written: kept code that uses what only exploration (or a skipped
 * cell) computes or changes, and values the module reads while loading before
 * it defines them.
 */
import ts from 'typescript';

import { analyzeSource } from '../analysis/analyze';
import { assignedNames, freeValueNames, loadTimeNames } from './names';
import { keptNodes, Plan } from './plan';
import { Binding, firstLine, Piece } from './pieces';
import type { ExportProblem, NotebookCell } from './types';

/** Problems of cells the notebook itself cannot run: no module is made while there are any. */
export function cellProblems(cell: NotebookCell, position: number): ExportProblem[] {
  const { diagnostics } = analyzeSource(cell.source);
  const place = { cell: position, ...(cell.id !== undefined ? { cellId: cell.id } : {}) };
  const syntax = diagnostics.filter(d => d.node === undefined);
  if (syntax.length > 0) {
    const [first] = syntax;
    const more = syntax.length > 1 ? ` (and ${syntax.length - 1} more)` : '';
    return [
      {
        ...place,
        line: first.range?.line ?? 1,
        code: 'SYNTAX',
        blocking: true,
        message:
          `cell ${position} does not parse: line ${first.range?.line ?? 1}: ${first.message.replace(/\.$/, '')}${more}. ` +
          `Fix the cell, or tag it dagcells-skip to leave it out of the module.`
      }
    ];
  }
  return diagnostics
    .filter(d => d.node !== undefined && /defined twice/.test(d.message))
    .map(d => ({
      ...place,
      line: d.range?.line ?? 1,
      code: 'DUPLICATE_IN_CELL' as const,
      blocking: true,
      name: d.node,
      message: `cell ${position}: ${d.message} tslab rejects such a cell; rename or remove one of them.`
    }));
}

/** Problems of the module the plan would make. */
export function moduleProblems(plan: Plan): ExportProblem[] {
  const problems: ExportProblem[] = [];
  const assignments = assignmentsOf(plan.pieces);
  const keptBinding = (bindings: Binding[]) => bindings.find(b => plan.kept.get(b.piece)?.includes(b));
  for (const [piece, bindings] of plan.kept) {
    if (piece.kind === 'import' || piece.kind === 'signature') {
      continue;
    }
    const what = describe(piece, bindings);
    const nodes = keptNodes(piece, bindings);
    const reported = new Set<string>();
    for (const name of union(nodes.map(freeValueNames))) {
      const finals = plan.resolution.finalValue(name);
      if (finals.length === 0 || finals.some(b => b.piece === piece)) {
        continue; // a global, or its own name
      }
      const kept = keptBinding(finals);
      if (!kept) {
        const source = finals[finals.length - 1].piece;
        reported.add(name);
        problems.push(problem(piece, what, name, leftOutMessage(what, name, source)));
        continue;
      }
      const change = assignments.find(a => a.name === name && a.piece.index > kept.piece.index);
      if (change) {
        reported.add(name);
        problems.push(
          problem(
            piece,
            what,
            name,
            `${what} uses ${name}, which exploration changes in cell ${change.piece.cell} (\`${firstLine(change.piece, 60)}\`): ` +
              `the module keeps the value cell ${kept.piece.cell} defines, so its results can differ from the notebook's. ` +
              `Make the change part of the definition, or pass ${name} as a parameter.`
          )
        );
      }
    }
    if (!isHoistedWhole(piece)) {
      for (const name of union(nodes.map(loadTimeNames))) {
        const kept = keptBinding(plan.resolution.finalValue(name));
        if (kept && kept.piece.index > piece.index && !kept.hoisted && !reported.has(name)) {
          problems.push({
            cell: piece.cell,
            ...(piece.cellId !== undefined ? { cellId: piece.cellId } : {}),
            line: piece.line,
            code: 'USED_BEFORE_DEFINED',
            blocking: false,
            name: bindings[0]?.name,
            message:
              `${what} reads ${name} when the module loads, but the module defines ${name} further down ` +
              `(cell ${kept.piece.cell}, the definition the notebook ends with), so loading it would fail. ` +
              `Move that definition of ${name} up, or make ${bindings[0]?.name ?? 'this'} a function.`
          });
        }
      }
    }
  }
  return problems;
}

function leftOutMessage(what: string, name: string, source: Piece): string {
  if (source.skipped) {
    return (
      `${what} uses ${name}, which only cell ${source.cell} defines, and that cell is tagged dagcells-skip: ` +
      `the module has no ${name}. Remove the tag, or move ${name} to a cell the export keeps.`
    );
  }
  return (
    `${what} uses ${name}, which only exploration computes (cell ${source.cell}: \`${firstLine(source, 60)}\`): ` +
    `the module has no value for it. Take ${name} as a parameter (it becomes an input or a node) or make it a function.`
  );
}

function problem(piece: Piece, what: string, name: string, message: string): ExportProblem {
  return {
    cell: piece.cell,
    ...(piece.cellId !== undefined ? { cellId: piece.cellId } : {}),
    line: piece.line,
    code: 'EXPLORATION_VALUE',
    blocking: false,
    name: nameOf(piece) ?? name,
    message
  };
}

/** "function spend_mean (cell 6)", "constant RATES (cell 2)". */
function describe(piece: Piece, bindings: Binding[]): string {
  const statement = piece.statement;
  const noun =
    piece.kind === 'function' || piece.kind === 'constant'
      ? piece.kind
      : ts.isClassDeclaration(statement)
        ? 'class'
        : ts.isEnumDeclaration(statement)
          ? 'enum'
          : 'declaration';
  const names = bindings.map(b => b.name);
  return `${noun} ${names.join(', ') || firstLine(piece, 40)} (cell ${piece.cell})`;
}

function nameOf(piece: Piece): string | undefined {
  return piece.bindings[0]?.name;
}

/** Function declarations and ambient declarations run nothing when the module loads. */
function isHoistedWhole(piece: Piece): boolean {
  const statement = piece.statement;
  return (
    ts.isFunctionDeclaration(statement) ||
    ts.isInterfaceDeclaration(statement) ||
    ts.isTypeAliasDeclaration(statement) ||
    piece.kind === 'type'
  );
}

interface Assignment {
  name: string;
  piece: Piece;
}

/** Top-level assignments of exploration code, skipped cells' included: they ran in the notebook. */
function assignmentsOf(pieces: readonly Piece[]): Assignment[] {
  return pieces
    .filter(p => p.kind === 'exploration')
    .flatMap(piece => [...assignedNames(piece.statement)].map(name => ({ name, piece })));
}

function union(sets: Set<string>[]): Set<string> {
  return new Set(sets.flatMap(s => [...s]));
}

/**
 * What the module keeps, piece by piece: definitions whose names still hold at
 * the end of the notebook, and the imports that kept code uses. Everything
 * else is accounted for as left out, with the reason.
 */
import ts from 'typescript';

import { mentionedNames } from './names';
import { Binding, firstLine, Piece } from './pieces';
import { isLive, Resolution, resolveBindings } from './resolve';
import type { LeftOut, LeftOutReason } from './types';

/** The pieces the module keeps, with the nodes of each it keeps. */
export interface Plan {
  pieces: readonly Piece[];
  resolution: Resolution;
  /**
   * Kept pieces and their kept bindings. A kept piece with no bindings (a
   * side-effect import, `declare global`) is kept whole.
   */
  kept: Map<Piece, Binding[]>;
  leftOut: LeftOut[];
}

const DEFINITIONS = new Set(['type', 'function', 'constant', 'declaration', 'signature']);

/** Decides what the module keeps from the pieces of the notebook's code cells. */
export function planModule(pieces: readonly Piece[]): Plan {
  const resolution = resolveBindings(pieces);
  const kept = new Map<Piece, Binding[]>();
  const leftOut: LeftOut[] = [];
  const leave = (piece: Piece, reason: LeftOutReason, names: string[]) =>
    leftOut.push({ cell: piece.cell, cellId: piece.cellId, line: piece.line, reason, text: firstLine(piece), names });

  for (const piece of pieces) {
    if (piece.skipped || !DEFINITIONS.has(piece.kind) || piece.kind === 'signature') {
      continue;
    }
    const live = piece.bindings.filter(b => isLive(b, resolution));
    if (piece.bindings.length > 0 && live.length === 0) {
      leave(piece, 'replaced', namesOf(piece.bindings));
      continue;
    }
    if (live.length < piece.bindings.length) {
      leave(piece, 'replaced', namesOf(piece.bindings.filter(b => !live.includes(b))));
    }
    kept.set(piece, live);
  }
  for (const piece of pieces) {
    if (piece.kind === 'signature' && piece.implementation && kept.has(piece.implementation)) {
      kept.set(piece, []);
    }
  }

  const used = new Set<string>();
  for (const [piece, bindings] of kept) {
    keptNodes(piece, bindings).forEach(node => mentionedNames(node).forEach(name => used.add(name)));
  }
  const sideEffects = new Set<string>();
  for (const piece of pieces) {
    if (piece.skipped) {
      continue;
    }
    if (piece.kind === 'exploration') {
      leave(piece, 'exploration', namesOf(piece.bindings));
    } else if (piece.kind === 'export-statement') {
      leave(piece, 'export-statement', []);
    } else if (piece.kind === 'import') {
      planImport(piece);
    }
  }
  leftOut.sort((a, b) => a.cell - b.cell || a.line - b.line);
  return { pieces, resolution, kept, leftOut };

  function planImport(piece: Piece): void {
    if (piece.bindings.length === 0) {
      const text = firstLine(piece, Infinity);
      if (sideEffects.has(text)) {
        leave(piece, 'duplicate-import', []);
      } else {
        sideEffects.add(text);
        kept.set(piece, []);
      }
      return;
    }
    const live = piece.bindings.filter(b => isLive(b, resolution));
    const usedLive = live.filter(b => used.has(b.name));
    const duplicates = piece.bindings.filter(b => resolution.duplicateOf.has(b));
    const replaced = piece.bindings.filter(b => resolution.replacedBy.has(b));
    const unused = live.filter(b => !used.has(b.name));
    if (duplicates.length > 0) {
      leave(piece, 'duplicate-import', namesOf(duplicates));
    }
    if (replaced.length > 0) {
      leave(piece, 'replaced', namesOf(replaced));
    }
    if (unused.length > 0) {
      leave(piece, 'unused-import', namesOf(unused));
    }
    if (usedLive.length > 0) {
      // `const { a, b } = require(...)` cannot lose a part: it stays whole once any of it is used.
      kept.set(piece, ts.isVariableStatement(piece.statement) ? piece.bindings : usedLive);
    }
  }
}

/** The nodes of a kept piece that end up in the module: the whole statement, or its kept declarations. */
export function keptNodes(piece: Piece, bindings: readonly Binding[]): ts.Node[] {
  const statement = piece.statement;
  if (ts.isVariableStatement(statement) && bindings.length < piece.bindings.length) {
    return statement.declarationList.declarations.filter(d => bindings.some(b => b.node === d));
  }
  return [statement];
}

function namesOf(bindings: readonly Binding[]): string[] {
  return [...new Set(bindings.map(b => b.name))];
}

/**
 * What a definition needs: the imports, types, constants, `_` helpers and
 * other definitions that its code names, and what those name in turn, each
 * as the notebook ends up defining it. One answer serves the module export's
 * plan, the definitions a panel run sends to a fresh kernel, and the code
 * version of a node.
 */
import ts from 'typescript';

import { mentionedNames } from './names';
import { keptNodes, Plan } from './plan';
import type { Binding, Piece } from './pieces';

/** Which kept piece finally holds each name, in each space a name can live in. */
export interface Holders {
  value: Map<string, Piece>;
  type: Map<string, Piece>;
}

/** The kept piece holding each name at the end of the notebook. */
export function holdersOf(plan: Plan): Holders {
  const value = new Map<string, Piece>();
  const type = new Map<string, Piece>();
  const kept = [...plan.kept.entries()].sort(([a], [b]) => a.index - b.index);
  for (const [piece, bindings] of kept) {
    for (const binding of bindings) {
      if (binding.space !== 'type') {
        value.set(binding.name, piece);
      }
      if (binding.space !== 'value') {
        type.set(binding.name, piece);
      }
    }
  }
  return { value, type };
}

/**
 * The kept pieces that the given ones need, themselves included, in notebook
 * order. A name counts whether it is read as a value or named as a type:
 * sending a type the code does not need costs nothing, missing one fails.
 */
export function neededPieces(plan: Plan, start: readonly Piece[], holders: Holders = holdersOf(plan)): Piece[] {
  const needed = new Set<Piece>();
  const queue = [...start];
  while (queue.length > 0) {
    const piece = queue.pop() as Piece;
    if (needed.has(piece)) {
      continue;
    }
    needed.add(piece);
    const owner = piece.kind === 'signature' ? piece.implementation : undefined;
    if (owner) {
      queue.push(owner);
    }
    for (const node of keptNodes(piece, plan.kept.get(piece) ?? piece.bindings)) {
      for (const name of mentionedNames(node)) {
        for (const holder of [holders.value.get(name), holders.type.get(name)]) {
          if (holder && !needed.has(holder)) {
            queue.push(holder);
          }
        }
      }
    }
  }
  // Overload signatures go with their implementation.
  for (const piece of plan.kept.keys()) {
    if (piece.kind === 'signature' && piece.implementation && needed.has(piece.implementation)) {
      needed.add(piece);
    }
  }
  return [...needed].sort((a, b) => a.index - b.index);
}

/** The kept piece that defines a function node, if any. */
export function functionPiece(holders: Holders, name: string): Piece | undefined {
  const piece = holders.value.get(name);
  return piece && piece.kind === 'function' ? piece : undefined;
}

/** The bindings of a kept piece that are values (what code can read). */
export function valueBindings(bindings: readonly Binding[]): Binding[] {
  return bindings.filter(b => b.space !== 'type');
}

/** Whether a statement is written with `export` (a tslab module cell's, or a pasted module's). */
export function isExportedStatement(statement: ts.Statement): boolean {
  return ts.canHaveModifiers(statement) && (ts.getModifiers(statement) ?? []).some(m => m.kind === ts.SyntaxKind.ExportKeyword);
}

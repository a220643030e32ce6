/**
 * Which definition of a name the module keeps. In the kernel a later cell's
 * definition replaces an earlier one (tslab lets the latest win, for values and
 * types alike), so the module keeps the last. Within one cell nothing replaces
 * anything: two interfaces of one name merge, overloads belong together, and a
 * real clash is an error the cell already has in the notebook.
 */
import type { Binding, Piece } from './pieces';

/** The outcome: what replaced what, and which binding finally holds each name. */
export interface Resolution {
  /** An earlier binding and the later one that replaced it. */
  replacedBy: Map<Binding, Binding>;
  /** A repeated import and the identical one kept in its place. */
  duplicateOf: Map<Binding, Binding>;
  /**
   * The bindings a value name has once every cell ran: what code in the module
   * sees under that name (several when one cell binds it twice).
   */
  finalValue(name: string): Binding[];
}

type Key = string;

function keysOf(binding: Binding): Key[] {
  switch (binding.space) {
    case 'value':
      return [`value:${binding.name}`];
    case 'type':
      return [`type:${binding.name}`];
    default:
      return [`value:${binding.name}`, `type:${binding.name}`];
  }
}

/** Resolves the bindings of every piece, in notebook order, skipped cells and exploration included. */
export function resolveBindings(pieces: readonly Piece[]): Resolution {
  const current = new Map<Key, Binding[]>();
  const replacedBy = new Map<Binding, Binding>();
  const duplicateOf = new Map<Binding, Binding>();
  for (const piece of pieces) {
    for (const binding of piece.bindings) {
      const repeated = repeatOf(binding, current);
      if (repeated) {
        duplicateOf.set(binding, repeated);
        continue;
      }
      for (const key of keysOf(binding)) {
        const holders = current.get(key) ?? [];
        const sameCell = holders.filter(h => h.piece.cell === piece.cell);
        for (const earlier of holders) {
          if (earlier.piece.cell !== piece.cell && !replacedBy.has(earlier)) {
            replacedBy.set(earlier, binding);
          }
        }
        current.set(key, [...sameCell, binding]);
      }
    }
  }
  return {
    replacedBy,
    duplicateOf,
    finalValue: name => current.get(`value:${name}`) ?? []
  };
}

/** An import of exactly what the name already holds (same module, same export): a repeat. */
function repeatOf(binding: Binding, current: Map<Key, Binding[]>): Binding | undefined {
  if (binding.target === undefined) {
    return undefined;
  }
  for (const key of keysOf(binding)) {
    const holders = current.get(key) ?? [];
    const same = holders.find(h => h.target === binding.target && h.space === binding.space);
    if (same && holders.length === 1) {
      return same;
    }
  }
  return undefined;
}

/** True when the binding is still what its name means at the end: neither replaced nor a repeat. */
export function isLive(binding: Binding, resolution: Resolution): boolean {
  return !resolution.replacedBy.has(binding) && !resolution.duplicateOf.has(binding);
}

/**
 * tslab's module cells: a cell whose first line is `/** @module NAME *\/` is a
 * module of its own, which later cells import from `./NAME`. There is no such
 * file beside the exported module: the module holds those definitions itself,
 * so the imports from module cells go, and names are used as defined.
 */
import ts from 'typescript';

import { firstLine, Piece } from './pieces';
import type { ExportProblem, LeftOut } from './types';

const MARKER = /^[ \t]*\/\*\*[ \t]*@module[ \t]+([\w$.-]+)[ \t]*\*\/[ \t]*(?=\r?\n|$)/;

/** The module name a cell declares on its first line, if it does. */
export function moduleCellName(source: string): string | undefined {
  return MARKER.exec(source)?.[1];
}

/** The cell without its `@module` line (left empty, so that line numbers stay). */
export function withoutMarker(source: string): string {
  return source.replace(MARKER, '');
}

/**
 * Takes the imports from module cells out of the pieces: each becomes a piece
 * that binds nothing, and is listed as left out. A name imported under another
 * name, or a namespace or default import, cannot become the module's own
 * definition: a problem says how to write it.
 */
export function inlineModuleImports(
  pieces: readonly Piece[],
  modules: ReadonlyMap<string, number>
): { pieces: Piece[]; leftOut: LeftOut[]; problems: ExportProblem[] } {
  const leftOut: LeftOut[] = [];
  const problems: ExportProblem[] = [];
  const result = pieces.map(piece => {
    const name = moduleCellImported(piece);
    const cell = name !== undefined ? modules.get(name) : undefined;
    if (cell === undefined || piece.skipped) {
      return piece;
    }
    const place = { cell: piece.cell, line: piece.line, ...(piece.cellId !== undefined ? { cellId: piece.cellId } : {}) };
    const defined = new Set(pieces.filter(p => p.cell === cell).flatMap(p => p.bindings.map(b => b.name)));
    for (const binding of piece.bindings) {
      const imported = (binding.target ?? '').split('#').pop();
      if (imported !== binding.name || !defined.has(binding.name)) {
        problems.push({
          ...place,
          code: 'MODULE_CELL_IMPORT',
          blocking: false,
          name: binding.name,
          message:
            imported === binding.name
              ? `cell ${piece.cell} imports ${binding.name} from ./${name} (the tslab module cell ${cell}), which does not define it.`
              : `cell ${piece.cell} imports ${binding.name} from ./${name}, the tslab module cell ${cell}, ` +
                `which the module holds itself: import each name as it is defined (import { ${imported === '*' || imported === 'default' ? 'NAME' : imported} } from "./${name}") and use that name.`
        });
      }
    }
    leftOut.push({ ...place, reason: 'module-cell-import', text: firstLine(piece), names: piece.bindings.map(b => b.name) });
    return { ...piece, kind: 'module-cell-import' as const, bindings: [] };
  });
  return { pieces: result, leftOut, problems };
}

/** `./NAME` (or `./NAME.ts`) of an import statement, when it names a sibling module. */
function moduleCellImported(piece: Piece): string | undefined {
  const statement = piece.statement;
  if (piece.kind !== 'import' || !ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) {
    return undefined;
  }
  const match = /^\.\/([\w$.-]+?)(\.[cm]?[tj]s)?$/.exec(statement.moduleSpecifier.text);
  return match?.[1];
}

/**
 * The way back: a module file's declarations as notebook cells, so that a
 * dataflow kept as a module can be explored again. tslab rejects a top-level
 * `export` in a normal cell, so the keywords go; the generated header and the
 * export's own notes go too. Exporting the cells again gives the module's
 * functions back, same names, same text.
 */
import ts from 'typescript';

import { analyzeSource } from '../analysis/analyze';
import { readHeader } from './header';
import { firstLine, Piece, readPieces } from './pieces';
import type { ModuleCell, ModuleImport } from './types';

/** Notes the export writes above a kept redefinition; they describe the export, not the code. */
const EXPORT_NOTE = /^[ \t]*\/\/ dagcells: [^\n]*\n/gm;

/**
 * Splits a module into cells: its imports in one cell, its types, constants and
 * classes in one cell, then one cell per function with its comments and JSDoc.
 * Statements that are not declarations are left out and listed.
 *
 * @example
 * ```ts
 * const { cells } = moduleToCells(readFileSync("hello_world.ts", "utf8"));
 * cells.map(c => c.role); // ["imports", "declarations", "function", "function", ...]
 * ```
 */
export function moduleToCells(text: string): ModuleImport {
  const header = readHeader(text);
  const body = header ? header.body : text;
  const lineOffset = header ? text.slice(0, text.length - body.length).split('\n').length - 1 : 0;
  const syntax = analyzeSource(body).diagnostics.filter(d => d.node === undefined);
  if (syntax.length > 0) {
    return {
      cells: [],
      leftOut: [],
      problems: syntax.map(d => ({ line: (d.range?.line ?? 1) + lineOffset, message: d.message }))
    };
  }
  const pieces = readPieces(body, { cell: 1, skipped: false }, 0);
  const imports: Piece[] = [];
  const declarations: Piece[] = [];
  const functions: Piece[][] = [];
  const leftOut: ModuleImport['leftOut'] = [];
  let signatures: Piece[] = [];
  for (const piece of pieces) {
    const place = { line: piece.line + lineOffset, text: firstLine(piece) };
    if (piece.kind === 'signature') {
      signatures.push(piece);
    } else if (piece.kind === 'import') {
      imports.push(piece);
    } else if (piece.kind === 'export-statement' || (piece.kind === 'function' && piece.bindings.length === 0)) {
      leftOut.push({ ...place, reason: 'export-statement' });
    } else if (piece.kind === 'exploration') {
      leftOut.push({ ...place, reason: 'exploration' });
    } else if (piece.kind === 'function') {
      functions.push([...signatures.filter(s => s.implementation === piece), piece]);
    } else {
      declarations.push(piece);
    }
    if (piece.kind !== 'signature') {
      signatures = [];
    }
  }
  const cells: ModuleCell[] = [];
  if (imports.length > 0) {
    cells.push({ role: 'imports', source: joinPieces(imports) });
  }
  if (declarations.length > 0) {
    cells.push({ role: 'declarations', source: joinPieces(declarations) });
  }
  for (const group of functions) {
    const implementation = group[group.length - 1];
    cells.push({ role: 'function', name: implementation.bindings.map(b => b.name).join(', '), source: joinPieces(group) });
  }
  return { cells, leftOut, problems: [] };
}

/** Pieces as one cell's text: neighbours stay as close as they were, others get a blank line. */
function joinPieces(pieces: Piece[]): string {
  let text = '';
  pieces.forEach((piece, i) => {
    if (i > 0) {
      const previous = pieces[i - 1];
      const between = piece.sourceFile.text.slice(previous.end, piece.start);
      text += piece.index === previous.index + 1 && !/\n[ \t]*\n/.test(between) ? '\n' : '\n\n';
    }
    text += cellText(piece);
  });
  return text;
}

/** A piece's text without `export`/`default` and without the export's notes. */
function cellText(piece: Piece): string {
  const source = piece.sourceFile.text;
  const lead = source.slice(piece.start, piece.tokenStart).replace(EXPORT_NOTE, '');
  let code = source.slice(piece.tokenStart, piece.end);
  const modifiers = (ts.canHaveModifiers(piece.statement) ? ts.getModifiers(piece.statement) ?? [] : []).filter(
    m => m.kind === ts.SyntaxKind.ExportKeyword || m.kind === ts.SyntaxKind.DefaultKeyword
  );
  for (const modifier of [...modifiers].reverse()) {
    const from = modifier.getStart(piece.sourceFile) - piece.tokenStart;
    const to = modifier.end + (/^\s*/.exec(source.slice(modifier.end)) as RegExpExecArray)[0].length - piece.tokenStart;
    code = code.slice(0, from) + code.slice(to);
  }
  return lead + code;
}

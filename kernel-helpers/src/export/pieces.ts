/**
 * A cell's top-level statements as pieces of a future module: each with its
 * kind (as {@link analyzeSource} classifies it, the same rules the notebook
 * panel uses), its exact text with its comments, and the names it binds.
 */
import ts from 'typescript';

import { parseSource } from '../analysis/parse';
import { makeRangeFactory } from '../analysis/ranges';
import { classifyStatement } from '../analysis/statements';
import type { StatementKind } from '../analysis/types';
import { bindingNames } from './names';

/** Which declaration space a name lives in: TypeScript lets a type and a value share a name. */
export type Space = 'value' | 'type' | 'both';

/** A name a statement binds at top level. */
export interface Binding {
  name: string;
  space: Space;
  piece: Piece;
  /**
   * The node that declares it: a variable declaration, an import specifier or
   * clause, or the statement itself.
   */
  node: ts.Node;
  /** For imports, what it is bound to: the same import twice is a repeat, not a redefinition. */
  target?: string;
  /** Available before its statement runs (function declarations and imports). */
  hoisted: boolean;
}

/** What a piece is, for the module: the analysis's kinds, plus two the export treats apart. */
export type PieceKind =
  | StatementKind
  /** an overload signature: it goes wherever its implementation goes */
  | 'signature'
  /** `export ... from`, `export =`: a module's statement, never a notebook's */
  | 'export-statement'
  /** an import from a tslab module cell, whose definitions the module holds itself */
  | 'module-cell-import';

/** One top-level statement of a cell. */
export interface Piece {
  /** Position among all pieces of the notebook. */
  index: number;
  /** The cell's position in the notebook, from 1. */
  cell: number;
  cellId?: string;
  kind: PieceKind;
  statement: ts.Statement;
  sourceFile: ts.SourceFile;
  /** The statement's text starts here, at its first leading comment. */
  start: number;
  /** ... and ends here, after a comment on its last line. */
  end: number;
  /** Where the statement's first token is. */
  tokenStart: number;
  /** Line of the first token in the cell, from 1. */
  line: number;
  bindings: Binding[];
  /** For a signature: the implementation it belongs to. */
  implementation?: Piece;
  /** In a cell tagged to be left out: it ran in the notebook, but the module has none of it. */
  skipped: boolean;
}

/** Parses a cell into pieces; `first` is the index the first piece gets. */
export function readPieces(
  source: string,
  place: { cell: number; cellId?: string; skipped: boolean },
  first: number
): Piece[] {
  // Text too deep to parse has no pieces: the cell's own check reports it (see cellProblems).
  const { sourceFile } = parseSource(`cell${place.cell}.ts`, source, true);
  const range = makeRangeFactory(sourceFile);
  const pieces: Piece[] = [];
  let previousEnd = 0;
  for (const statement of sourceFile.statements) {
    const info = classifyStatement(statement, sourceFile, range);
    if (!info) {
      continue; // a stray `;`
    }
    const tokenStart = statement.getStart(sourceFile);
    const leading = (ts.getLeadingCommentRanges(source, statement.pos) ?? []).filter(c => c.pos >= previousEnd);
    const trailing = ts.getTrailingCommentRanges(source, statement.end) ?? [];
    const piece: Piece = {
      index: first + pieces.length,
      cell: place.cell,
      cellId: place.cellId,
      kind: pieceKind(statement, info.kind),
      statement,
      sourceFile,
      start: leading.length > 0 ? leading[0].pos : tokenStart,
      end: trailing.length > 0 ? trailing[trailing.length - 1].end : statement.end,
      tokenStart,
      line: sourceFile.getLineAndCharacterOfPosition(tokenStart).line + 1,
      bindings: [],
      skipped: place.skipped
    };
    piece.bindings = bindingsOf(piece);
    previousEnd = piece.end;
    pieces.push(piece);
  }
  linkSignatures(pieces);
  return pieces;
}

/** The text of a piece, comments included. */
export function pieceText(piece: Piece): string {
  return piece.sourceFile.text.slice(piece.start, piece.end);
}

/** The piece's first line without its comments, shortened: how a summary names it. */
export function firstLine(piece: Piece, max = 80): string {
  const line = piece.sourceFile.text.slice(piece.tokenStart, piece.statement.end).split('\n')[0].trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

function pieceKind(statement: ts.Statement, kind: StatementKind): PieceKind {
  if (ts.isExportDeclaration(statement) || ts.isExportAssignment(statement)) {
    return 'export-statement';
  }
  if (ts.isFunctionDeclaration(statement) && !statement.body && !hasModifier(statement, ts.SyntaxKind.DeclareKeyword)) {
    return 'signature';
  }
  return kind;
}

function bindingsOf(piece: Piece): Binding[] {
  const statement = piece.statement;
  const make = (name: string, space: Space, node: ts.Node, extra: Partial<Binding> = {}): Binding => ({
    name,
    space,
    piece,
    node,
    hoisted: false,
    ...extra
  });
  if (ts.isImportDeclaration(statement)) {
    const clause = statement.importClause;
    if (!clause) {
      return [];
    }
    const from = moduleName(statement.moduleSpecifier);
    const space: Space = clause.isTypeOnly ? 'type' : 'both';
    const found: Binding[] = [];
    if (clause.name) {
      found.push(make(clause.name.text, space, clause, { target: `${from}#default`, hoisted: true }));
    }
    const bindings = clause.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings)) {
      found.push(make(bindings.name.text, space, bindings, { target: `${from}#*`, hoisted: true }));
    } else if (bindings) {
      for (const element of bindings.elements) {
        const imported = (element.propertyName ?? element.name).text;
        const elementSpace: Space = element.isTypeOnly ? 'type' : space;
        found.push(make(element.name.text, elementSpace, element, { target: `${from}#${imported}`, hoisted: true }));
      }
    }
    return found;
  }
  if (ts.isImportEqualsDeclaration(statement)) {
    const target = statement.moduleReference.getText(piece.sourceFile);
    return [make(statement.name.text, statement.isTypeOnly ? 'type' : 'both', statement, { target, hoisted: true })];
  }
  if (ts.isTypeAliasDeclaration(statement) || ts.isInterfaceDeclaration(statement)) {
    return [make(statement.name.text, 'type', statement)];
  }
  if (ts.isFunctionDeclaration(statement)) {
    return statement.name && piece.kind !== 'signature' ? [make(statement.name.text, 'value', statement, { hoisted: true })] : [];
  }
  if (ts.isVariableStatement(statement)) {
    return statement.declarationList.declarations.flatMap(declaration =>
      bindingNames(declaration.name).map(name =>
        make(name, 'value', declaration, piece.kind === 'import' ? { target: declaration.getText(piece.sourceFile) } : {})
      )
    );
  }
  if (ts.isClassDeclaration(statement) || ts.isEnumDeclaration(statement) || ts.isModuleDeclaration(statement)) {
    const name = statement.name;
    return name && ts.isIdentifier(name) ? [make(name.text, 'both', statement)] : [];
  }
  return [];
}

/** Overload signatures belong to the implementation that follows them in the same cell. */
function linkSignatures(pieces: Piece[]): void {
  let waiting: Piece[] = [];
  for (const piece of pieces) {
    const statement = piece.statement;
    const name = ts.isFunctionDeclaration(statement) ? statement.name?.text : undefined;
    if (piece.kind === 'signature') {
      waiting = waiting.length > 0 && nameOf(waiting[0]) !== name ? [piece] : [...waiting, piece];
      continue;
    }
    if (waiting.length > 0 && name === nameOf(waiting[0])) {
      waiting.forEach(signature => (signature.implementation = piece));
    }
    waiting = [];
  }
}

function nameOf(piece: Piece): string | undefined {
  return (piece.statement as ts.FunctionDeclaration).name?.text;
}

function moduleName(specifier: ts.Expression): string {
  return ts.isStringLiteral(specifier) ? specifier.text : specifier.getText();
}

export function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some(m => m.kind === kind);
}

/**
 * The module's text from a plan: imports first, then the kept definitions in
 * cell order, each with its comments and JSDoc, functions and types exported.
 * Constants, classes and enums stay private: `dagcells run` takes every exported
 * function as a node, and a class or a function-valued constant is a function
 * at run time, which would add nodes the notebook's graph does not have.
 */
import ts from 'typescript';

import type { Plan } from './plan';
import { Binding, hasModifier, Piece } from './pieces';
import type { Redefinition } from './types';
import { tsLineComment, tsStringLiteral } from '../text/escape';

/** The module's body (everything under the header). */
export function renderBody(
  plan: Plan,
  redefinitions: ReadonlyMap<Piece, readonly Redefinition[]>,
  notebookDir?: string
): string {
  const kept = [...plan.kept.keys()].sort((a, b) => a.index - b.index);
  // The note goes above a definition's first overload signature, where the definition starts.
  const noted = new Set<Piece>();
  const notes = new Map<Piece, string>();
  for (const piece of kept) {
    const owner = piece.kind === 'signature' ? (piece.implementation as Piece) : piece;
    if (!noted.has(owner)) {
      noted.add(owner);
      notes.set(piece, redefinitionComment(redefinitions.get(owner) ?? []));
    }
  }
  const note = (piece: Piece) => notes.get(piece) ?? '';
  const imports = kept
    .filter(p => p.kind === 'import')
    .map(p => note(p) + renderImport(p, plan.kept.get(p) ?? [], notebookDir));
  const definitions: string[] = [];
  let previous: Piece | undefined;
  for (const piece of kept.filter(p => p.kind !== 'import')) {
    if (previous) {
      definitions.push(separator(previous, piece));
    }
    definitions.push(note(piece) + renderDefinition(piece, plan.kept.get(piece) ?? []));
    previous = piece;
  }
  const sections = [imports.join('\n'), definitions.join('')].filter(s => s.length > 0);
  return sections.length > 0 ? `\n${sections.join('\n\n')}\n` : '';
}

/** Whether the module exports a kept definition: functions and types, unless `_` or ambient. */
export function isExported(piece: Piece): boolean {
  const statement = piece.statement;
  if (hasModifier(statement, ts.SyntaxKind.DeclareKeyword)) {
    return false;
  }
  if (hasModifier(statement, ts.SyntaxKind.ExportKeyword)) {
    return true;
  }
  if (ts.isFunctionDeclaration(statement) || ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement)) {
    return statement.name !== undefined && !isPrivate(statement.name.text);
  }
  return false;
}

/** `_` names are helpers: kept, never nodes, never exported. */
export function isPrivate(name: string): boolean {
  return name.startsWith('_');
}

function renderDefinition(piece: Piece, bindings: readonly Binding[]): string {
  const statement = piece.statement;
  const text = piece.sourceFile.text;
  const lead = text.slice(piece.start, piece.tokenStart);
  const tail = text.slice(statement.end, piece.end);
  if (ts.isVariableStatement(statement)) {
    const declarations = statement.declarationList.declarations.filter(d => bindings.some(b => b.node === d));
    const exported = declarations.map(d => piece.kind === 'function' && !isPrivate(d.name.getText(piece.sourceFile)));
    const whole = declarations.length === statement.declarationList.declarations.length;
    if (whole && exported.every(e => e === exported[0])) {
      const alreadyExported = hasModifier(statement, ts.SyntaxKind.ExportKeyword);
      return lead + (exported[0] && !alreadyExported ? 'export ' : '') + text.slice(piece.tokenStart, piece.end);
    }
    // Part of the statement goes, or only part is exported: one statement per declaration.
    const declare = hasModifier(statement, ts.SyntaxKind.DeclareKeyword) ? 'declare ' : '';
    const keyword = declarationKeyword(statement.declarationList);
    const lines = declarations.map(
      (d, i) => `${exported[i] ? 'export ' : ''}${declare}${keyword} ${d.getText(piece.sourceFile)};`
    );
    return lead + lines.join('\n') + tail;
  }
  const exportable = piece.kind === 'signature' ? piece.implementation !== undefined && isExported(piece.implementation) : isExported(piece);
  const missing = exportable && !hasModifier(statement, ts.SyntaxKind.ExportKeyword);
  return lead + (missing ? 'export ' : '') + text.slice(piece.tokenStart, piece.end);
}

function renderImport(piece: Piece, bindings: readonly Binding[], notebookDir?: string): string {
  const statement = piece.statement;
  const sourceFile = piece.sourceFile;
  const specifier = specifierOf(statement);
  const rebased = specifier ? rebase(specifier.text, notebookDir) : undefined;
  if (bindings.length === piece.bindings.length || !ts.isImportDeclaration(statement)) {
    const text = sourceFile.text.slice(piece.start, piece.end);
    if (!specifier || rebased === specifier.text) {
      return text;
    }
    const from = specifier.getStart(sourceFile) - piece.start;
    return text.slice(0, from) + quote(rebased as string, specifier, sourceFile) + text.slice(specifier.end - piece.start);
  }
  // Some of the names go: the statement is written again with the rest.
  const clause = statement.importClause as ts.ImportClause;
  const keep = new Set(bindings.map(b => b.node));
  const parts: string[] = [];
  if (clause.name && keep.has(clause)) {
    parts.push(clause.name.text);
  }
  const named = clause.namedBindings;
  if (named && ts.isNamespaceImport(named) && keep.has(named)) {
    parts.push(`* as ${named.name.text}`);
  } else if (named && ts.isNamedImports(named)) {
    const elements = named.elements.filter(e => keep.has(e)).map(e => e.getText(sourceFile));
    if (elements.length > 0) {
      parts.push(`{ ${elements.join(', ')} }`);
    }
  }
  const lead = sourceFile.text.slice(piece.start, piece.tokenStart);
  const from = quote(rebased as string, statement.moduleSpecifier as ts.StringLiteral, sourceFile);
  const attributes = statement.attributes ? ` ${statement.attributes.getText(sourceFile)}` : '';
  return `${lead}import ${clause.isTypeOnly ? 'type ' : ''}${parts.join(', ')} from ${from}${attributes};`;
}

/** The string naming the imported module, if the statement has one. */
export function specifierOf(statement: ts.Statement): ts.StringLiteral | undefined {
  if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
    return statement.moduleSpecifier;
  }
  if (
    ts.isImportEqualsDeclaration(statement) &&
    ts.isExternalModuleReference(statement.moduleReference) &&
    ts.isStringLiteral(statement.moduleReference.expression)
  ) {
    return statement.moduleReference.expression;
  }
  if (ts.isVariableStatement(statement)) {
    const [declaration] = statement.declarationList.declarations;
    const init = declaration?.initializer;
    if (
      statement.declarationList.declarations.length === 1 &&
      init &&
      ts.isCallExpression(init) &&
      ts.isIdentifier(init.expression) &&
      init.expression.text === 'require' &&
      init.arguments.length === 1
    ) {
      const [argument] = init.arguments;
      return ts.isStringLiteral(argument) ? argument : undefined;
    }
  }
  return undefined;
}

/**
 * A relative import as seen from the module's folder. The notebook's imports are
 * relative to its own folder, where the kernel runs.
 */
export function rebase(specifier: string, notebookDir: string | undefined): string {
  if (!notebookDir || notebookDir === '.' || !/^\.\.?\//.test(specifier)) {
    return specifier;
  }
  const joined = normalizePath(`${notebookDir}/${specifier}`);
  return joined.startsWith('.') || joined.startsWith('/') ? joined : `./${joined}`;
}

/** `a/./b/../c` as `a/c`, without Node's `path` (this also runs in the browser). */
export function normalizePath(path: string): string {
  const absolute = path.startsWith('/');
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') {
      continue;
    }
    if (part === '..' && out.length > 0 && out[out.length - 1] !== '..') {
      out.pop();
    } else if (part !== '..' || !absolute) {
      out.push(part);
    }
  }
  return (absolute ? '/' : '') + out.join('/');
}

/** A rewritten specifier, in the original's quote marks; the folder names in it are outside text. */
function quote(text: string, original: ts.StringLiteral, sourceFile: ts.SourceFile): string {
  return tsStringLiteral(text, original.getText(sourceFile)[0] === "'" ? "'" : '"');
}

function declarationKeyword(list: ts.VariableDeclarationList): string {
  if (list.flags & ts.NodeFlags.Const) {
    return 'const';
  }
  return list.flags & ts.NodeFlags.Let ? 'let' : 'var';
}

/** Statements that were neighbours in a cell stay as close; others get a blank line. */
function separator(previous: Piece, piece: Piece): string {
  if (previous.cell === piece.cell && piece.index === previous.index + 1) {
    const between = piece.sourceFile.text.slice(previous.end, piece.start);
    return /\n[ \t]*\n/.test(between) ? '\n\n' : '\n';
  }
  return '\n\n';
}

/** Says, where the module keeps a later definition, which earlier ones it replaces. */
function redefinitionComment(redefinitions: readonly Redefinition[]): string {
  return redefinitions
    .map(r => {
      const cells = [...new Set(r.replaced.map(p => p.cell))];
      const list = cells.length === 1 ? `cell ${cells[0]}` : `cells ${cells.slice(0, -1).join(', ')} and ${cells[cells.length - 1]}`;
      return `// dagcells: ${tsLineComment(r.name)} is also defined in ${list}; this later definition wins, as in the notebook.\n`;
    })
    .join('');
}

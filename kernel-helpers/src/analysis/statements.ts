/**
 * Sorting top-level statements into definitions (imports, types, functions,
 * constants, classes) and exploration (calls, logging, bare expressions, loops).
 * A module export keeps the definitions; the notebook panel sends a cell's
 * definitions to the kernel before running its functions.
 */
import ts from 'typescript';

import { hasModifier } from './modifiers';
import type { RangeFactory } from './ranges';
import { walkTree } from './walk';
import { dagcellsNames, DagcellsNames, readModifierCall } from './modifier-calls';

const namesBySource = new WeakMap<ts.SourceFile, DagcellsNames>();
const NO_FUNCTIONS = new Map<string, ts.SignatureDeclaration>();

/** Whether a declaration is a function wrapped by dagcells' modifiers, for callers that classify alone (the export). */
function defaultModifierTest(declaration: ts.VariableDeclaration, sourceFile: ts.SourceFile): boolean {
  const init = declaration.initializer;
  if (!init || !ts.isCallExpression(init)) {
    return false;
  }
  let names = namesBySource.get(sourceFile);
  if (!names) {
    names = dagcellsNames(sourceFile);
    namesBySource.set(sourceFile, names);
  }
  return readModifierCall(init, sourceFile, names, NO_FUNCTIONS) !== undefined;
}
import type { StatementInfo, StatementKind } from './types';

/**
 * Calls that are as good as constants: building a frozen object, a symbol, a
 * number from a literal. Anything else called at top level runs work, so a
 * statement containing it is exploration, not a definition.
 */
const CONSTANT_CALLS = new Set([
  'Object.freeze',
  'Symbol',
  'Symbol.for',
  'Number',
  'String',
  'Boolean',
  'BigInt',
  'Date.UTC'
]);

/** Classifies one top-level statement; `undefined` for an empty statement. */
export function classifyStatement(
  statement: ts.Statement,
  sourceFile: ts.SourceFile,
  range: RangeFactory,
  isModifierCall?: (declaration: ts.VariableDeclaration) => boolean
): StatementInfo | undefined {
  if (ts.isEmptyStatement(statement)) {
    return undefined;
  }
  const { kind, names } = kindOf(statement, isModifierCall ?? (d => defaultModifierTest(d, sourceFile)));
  const start = leadingCommentStart(statement, sourceFile);
  return {
    kind,
    names,
    range: range(start, statement.end),
    text: sourceFile.text.slice(start, statement.end)
  };
}

function kindOf(
  statement: ts.Statement,
  isModifierCall?: (declaration: ts.VariableDeclaration) => boolean
): { kind: StatementKind; names: string[] } {
  if (ts.isImportDeclaration(statement)) {
    return { kind: 'import', names: importedNames(statement) };
  }
  if (ts.isImportEqualsDeclaration(statement)) {
    return { kind: 'import', names: [statement.name.text] };
  }
  if (ts.isExportDeclaration(statement) || ts.isExportAssignment(statement)) {
    return { kind: 'import', names: [] };
  }
  if (ts.isTypeAliasDeclaration(statement) || ts.isInterfaceDeclaration(statement)) {
    return { kind: 'type', names: [statement.name.text] };
  }
  if (isAmbient(statement)) {
    return { kind: 'type', names: declaredNames(statement) };
  }
  if (ts.isFunctionDeclaration(statement)) {
    return { kind: 'function', names: statement.name ? [statement.name.text] : [] };
  }
  if (
    ts.isClassDeclaration(statement) ||
    ts.isEnumDeclaration(statement) ||
    ts.isModuleDeclaration(statement)
  ) {
    return { kind: 'declaration', names: declaredNames(statement) };
  }
  if (ts.isVariableStatement(statement)) {
    return { kind: variableKind(statement, isModifierCall), names: declaredNames(statement) };
  }
  return { kind: 'exploration', names: [] };
}

function variableKind(
  statement: ts.VariableStatement,
  isModifierCall?: (declaration: ts.VariableDeclaration) => boolean
): StatementKind {
  const declarations = statement.declarationList.declarations;
  // A function wrapped by dagcells' modifiers (`config.when(..., fn)`) is a definition too.
  if (declarations.every(d => functionInitializer(d) !== undefined || (isModifierCall?.(d) ?? false))) {
    return 'function';
  }
  if (declarations.every(d => d.initializer && isRequireCall(d.initializer))) {
    return 'import';
  }
  return declarations.every(d => !d.initializer || !runsWork(d.initializer))
    ? 'constant'
    : 'exploration';
}

/** True when evaluating the expression calls or awaits something (function bodies excluded). */
function runsWork(expression: ts.Node): boolean {
  let found = false;
  walkTree(expression, node => {
    if (ts.isFunctionLike(node) || ts.isClassLike(node)) {
      return false;
    }
    if (
      ts.isAwaitExpression(node) ||
      ts.isYieldExpression(node) ||
      ts.isTaggedTemplateExpression(node) ||
      (ts.isCallExpression(node) && !CONSTANT_CALLS.has(calleeName(node.expression)))
    ) {
      found = true;
      return 'stop';
    }
    return true;
  });
  return found;
}

/** `Object.freeze` for `Object.freeze(...)`; empty when the callee is not a chain of names. */
function calleeName(expression: ts.Expression): string {
  const parts: string[] = [];
  let current = expression;
  while (ts.isPropertyAccessExpression(current)) {
    parts.push(current.name.text);
    current = current.expression;
  }
  if (!ts.isIdentifier(current)) {
    return '';
  }
  parts.push(current.text);
  return parts.reverse().join('.');
}

function isRequireCall(expression: ts.Expression): boolean {
  return (
    ts.isCallExpression(expression) &&
    ts.isIdentifier(expression.expression) &&
    expression.expression.text === 'require'
  );
}

function isAmbient(statement: ts.Statement): boolean {
  return hasModifier(statement, ts.SyntaxKind.DeclareKeyword);
}

function importedNames(statement: ts.ImportDeclaration): string[] {
  const clause = statement.importClause;
  if (!clause) {
    return [];
  }
  const names = clause.name ? [clause.name.text] : [];
  const bindings = clause.namedBindings;
  if (bindings && ts.isNamespaceImport(bindings)) {
    names.push(bindings.name.text);
  } else if (bindings) {
    names.push(...bindings.elements.map(e => e.name.text));
  }
  return names;
}

function declaredNames(statement: ts.Statement): string[] {
  if (ts.isVariableStatement(statement)) {
    const names: string[] = [];
    for (const declaration of statement.declarationList.declarations) {
      addBindingNames(declaration.name, names);
    }
    return names;
  }
  const name = (statement as { name?: ts.Node }).name;
  return name && (ts.isIdentifier(name) || ts.isStringLiteral(name)) ? [name.text] : [];
}

function addBindingNames(name: ts.BindingName, names: string[]): void {
  const pending: ts.BindingName[] = [name];
  while (pending.length > 0) {
    const current = pending.pop() as ts.BindingName;
    if (ts.isIdentifier(current)) {
      names.push(current.text);
      continue;
    }
    for (let i = current.elements.length - 1; i >= 0; i--) {
      const element = current.elements[i];
      if (!ts.isOmittedExpression(element)) {
        pending.push(element.name);
      }
    }
  }
}

/** Where a statement starts when its leading comments and JSDoc belong to it. */
function leadingCommentStart(statement: ts.Statement, sourceFile: ts.SourceFile): number {
  const comments = ts.getLeadingCommentRanges(sourceFile.text, statement.pos);
  return comments && comments.length > 0 ? comments[0].pos : statement.getStart(sourceFile);
}

/** `const f = (...) => ...` or `const f = function (...) {...}`, seen through parentheses and `as`/`satisfies`. */
export function functionInitializer(
  declaration: ts.VariableDeclaration
): ts.ArrowFunction | ts.FunctionExpression | undefined {
  let expression = declaration.initializer;
  while (
    expression &&
    (ts.isParenthesizedExpression(expression) ||
      ts.isAsExpression(expression) ||
      ts.isSatisfiesExpression(expression) ||
      ts.isTypeAssertionExpression(expression))
  ) {
    expression = expression.expression;
  }
  if (expression && (ts.isArrowFunction(expression) || ts.isFunctionExpression(expression))) {
    return expression;
  }
  return undefined;
}

/**
 * Which names a piece of code reads, read from syntax alone (no type checker,
 * so it also runs in the browser). Three questions, each answered on the
 * side that keeps the module correct:
 * - {@link freeValueNames}: what a definition reads from outside itself, to find
 *   values only exploration computes. A name declared anywhere inside counts as
 *   local (Hamilton's parameters shadow the nodes of the same name all the time),
 *   which can miss a problem but never invents one.
 * - {@link loadTimeNames}: what is read while the module loads (outside function
 *   bodies), to find reads before the definition.
 * - {@link mentionedNames}: every identifier, types included, to decide whether
 *   an import is used; over-counting only keeps an import.
 */
import ts from 'typescript';

import { walkTree } from '../analysis/walk';

/** Value names `node` reads that it does not declare itself. */
export function freeValueNames(node: ts.Node): Set<string> {
  const read = new Set<string>();
  const declared = new Set<string>();
  walkValues(node, { read, declared, enterFunctions: true });
  return difference(read, declared);
}

/** Value names read while the statement runs at load time: function bodies excluded. */
export function loadTimeNames(node: ts.Node): Set<string> {
  const read = new Set<string>();
  const declared = new Set<string>();
  walkValues(node, { read, declared, enterFunctions: false });
  return difference(read, declared);
}

/** Every identifier in `node`, type positions included, property names excluded. */
export function mentionedNames(node: ts.Node): Set<string> {
  const names = new Set<string>();
  walkTree(node, child => {
    if (ts.isIdentifier(child)) {
      names.add(child.text);
      return false;
    }
    // `x.name`: only `x` is a name of this scope
    return ts.isPropertyAccessExpression(child) ? child.expression : true;
  });
  return names;
}

/** Names a top-level statement assigns to (`x = ...`, `x += 1`, `x++`) outside function bodies. */
export function assignedNames(node: ts.Node): Set<string> {
  const assigned = new Set<string>();
  const declared = new Set<string>();
  walkTree(node, child => {
    if (ts.isFunctionLike(child) || ts.isClassLike(child)) {
      return false;
    }
    if (ts.isVariableDeclaration(child)) {
      bindingNames(child.name).forEach(n => declared.add(n));
    } else if (
      ts.isBinaryExpression(child) &&
      isAssignment(child.operatorToken.kind) &&
      ts.isIdentifier(child.left)
    ) {
      assigned.add(child.left.text);
    } else if (
      (ts.isPrefixUnaryExpression(child) || ts.isPostfixUnaryExpression(child)) &&
      (child.operator === ts.SyntaxKind.PlusPlusToken || child.operator === ts.SyntaxKind.MinusMinusToken) &&
      ts.isIdentifier(child.operand)
    ) {
      assigned.add(child.operand.text);
    }
    return true;
  });
  return difference(assigned, declared);
}

/** The identifiers a binding name (`a`, `{ a, b: [c] }`) declares. */
export function bindingNames(name: ts.BindingName): string[] {
  const names: string[] = [];
  walkTree(name, child => {
    if (ts.isIdentifier(child)) {
      names.push(child.text);
      return false;
    }
    // Of an element only its name declares: not its key, nor its default value.
    return ts.isBindingElement(child) ? child.name : true;
  });
  return names;
}

interface Walk {
  read: Set<string>;
  declared: Set<string>;
  enterFunctions: boolean;
}

function walkValues(node: ts.Node, walk: Walk): void {
  walkTree(node, child => {
    if (ts.isIdentifier(child)) {
      const role = roleOf(child);
      if (role === 'read') {
        walk.read.add(child.text);
      } else if (role === 'declared') {
        walk.declared.add(child.text);
      }
      return false;
    }
    if (ts.isTypeNode(child) && !isValueHeritage(child)) {
      return false; // types are gone at run time
    }
    if (
      ts.isInterfaceDeclaration(child) ||
      ts.isTypeAliasDeclaration(child) ||
      ts.isImportDeclaration(child) ||
      ts.isImportEqualsDeclaration(child)
    ) {
      return false;
    }
    if (!walk.enterFunctions && child !== node) {
      if (ts.isFunctionLike(child)) {
        if (ts.isFunctionDeclaration(child) && child.name) {
          walk.declared.add(child.name.text);
        }
        return false;
      }
      if (ts.isClassElement(child) && !isStaticInitializer(child)) {
        return false; // runs when an instance is made, not when the module loads
      }
    }
    return true;
  });
}

/** `class A extends B`: `B` is a value; `implements C` is a type. */
function isValueHeritage(node: ts.Node): boolean {
  return (
    ts.isExpressionWithTypeArguments(node) &&
    ts.isHeritageClause(node.parent) &&
    node.parent.token === ts.SyntaxKind.ExtendsKeyword &&
    ts.isClassLike(node.parent.parent)
  );
}

function isStaticInitializer(member: ts.ClassElement): boolean {
  if (ts.isClassStaticBlockDeclaration(member)) {
    return true;
  }
  return (
    ts.isPropertyDeclaration(member) &&
    (ts.getModifiers(member) ?? []).some(m => m.kind === ts.SyntaxKind.StaticKeyword)
  );
}

/** What an identifier does where it stands: read a value, declare a name, or neither (a property key, a label). */
function roleOf(id: ts.Identifier): 'read' | 'declared' | 'other' {
  const parent = id.parent;
  if (!parent) {
    return 'read';
  }
  if (ts.isPropertyAccessExpression(parent)) {
    return parent.expression === id ? 'read' : 'other';
  }
  if (ts.isQualifiedName(parent)) {
    return parent.left === id ? 'read' : 'other';
  }
  if (ts.isShorthandPropertyAssignment(parent)) {
    return 'read';
  }
  if (ts.isBindingElement(parent)) {
    return parent.name === id ? 'declared' : 'other';
  }
  if (
    ts.isVariableDeclaration(parent) ||
    ts.isParameter(parent) ||
    ts.isFunctionDeclaration(parent) ||
    ts.isFunctionExpression(parent) ||
    ts.isClassDeclaration(parent) ||
    ts.isClassExpression(parent) ||
    ts.isEnumDeclaration(parent) ||
    ts.isModuleDeclaration(parent) ||
    ts.isImportClause(parent) ||
    ts.isNamespaceImport(parent) ||
    ts.isImportSpecifier(parent) ||
    ts.isImportEqualsDeclaration(parent)
  ) {
    return (parent as { name?: ts.Node }).name === id ? 'declared' : 'read';
  }
  if (
    ts.isPropertyAssignment(parent) ||
    ts.isPropertyDeclaration(parent) ||
    ts.isMethodDeclaration(parent) ||
    ts.isGetAccessorDeclaration(parent) ||
    ts.isSetAccessorDeclaration(parent) ||
    ts.isPropertySignature(parent) ||
    ts.isMethodSignature(parent) ||
    ts.isEnumMember(parent) ||
    ts.isJsxAttribute(parent)
  ) {
    return (parent as { name?: ts.Node }).name === id ? 'other' : 'read';
  }
  if (
    ts.isLabeledStatement(parent) ||
    ts.isBreakOrContinueStatement(parent) ||
    ts.isExportSpecifier(parent) ||
    ts.isMetaProperty(parent)
  ) {
    return 'other';
  }
  return 'read';
}

function isAssignment(kind: ts.SyntaxKind): boolean {
  return kind >= ts.SyntaxKind.FirstAssignment && kind <= ts.SyntaxKind.LastAssignment;
}

function difference(a: Set<string>, b: Set<string>): Set<string> {
  return new Set([...a].filter(name => !b.has(name)));
}

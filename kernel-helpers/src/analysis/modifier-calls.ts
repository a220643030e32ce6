/**
 * Static recognition of modifier calls: `const spend__us = config.when({ region:
 * "US" }, (raw_spend: number[]) => raw_spend)` read from source, so that the
 * live graph shows what the modifiers make before anything runs. Arguments are
 * read as plain data: literals, `source()`, `value()`, `group()`, `step()`,
 * functions written inline or defined in the same source. Anything else (an
 * argument computed at run time) is kept as `{ $dynamic: text }`, never guessed.
 */
import ts from 'typescript';

import type { StaticModifier, StaticValue } from './types';

/** The canonical modifier callees, as written after `import { ... } from "dagcells"`. */
const CALLEES: Record<string, string> = {
  'config.when': 'config.when',
  'config.whenNot': 'config.whenNot',
  'config.whenIn': 'config.whenIn',
  'config.whenNotIn': 'config.whenNotIn',
  tag: 'tag',
  parameterize: 'parameterize',
  extractFields: 'extractFields',
  checkOutput: 'checkOutput',
  pipeInput: 'pipeInput',
  subdag: 'subdag',
  does: 'does'
};
const BINDINGS = new Set(['source', 'value', 'group', 'step']);
const DAGCELLS_EXPORTS = new Set(['config', 'saveTo', 'loadFrom', ...Object.keys(CALLEES), ...BINDINGS]);

/** How this source names dagcells' exports: local name to export name, and namespaces. */
export interface DagcellsNames {
  /** Local name -> the dagcells export it stands for. */
  locals: ReadonlyMap<string, string>;
  /** `import * as dc from "dagcells"`: the namespace names. */
  namespaces: ReadonlySet<string>;
}

/**
 * The names a source gives dagcells' exports. A canonical name not imported
 * from elsewhere counts too: in a notebook the import is often in another cell.
 */
export function dagcellsNames(sourceFile: ts.SourceFile, extraNamespaces: readonly string[] = []): DagcellsNames {
  if (extraNamespaces.length === 0 && !sourceFile.statements.some(ts.isImportDeclaration)) {
    return CANONICAL_NAMES; // most cells: dagcells' names as they are, made once
  }
  const locals = new Map<string, string>();
  const namespaces = new Set<string>(extraNamespaces);
  const shadowed = new Set<string>();
  for (const statement of sourceFile.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) {
      continue;
    }
    const fromDagcells = statement.moduleSpecifier.text === 'dagcells';
    const bindings = statement.importClause?.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings)) {
      if (fromDagcells) {
        namespaces.add(bindings.name.text);
      }
    } else if (bindings) {
      for (const element of bindings.elements) {
        const exported = (element.propertyName ?? element.name).text;
        if (fromDagcells) {
          locals.set(element.name.text, exported);
        } else {
          shadowed.add(element.name.text);
        }
      }
    }
  }
  const imported = new Set(locals.values());
  for (const name of DAGCELLS_EXPORTS) {
    if (!locals.has(name) && !shadowed.has(name) && !imported.has(name)) {
      locals.set(name, name);
    }
  }
  return { locals, namespaces };
}

/** The names of a source that imports nothing: each export by its own name. */
const CANONICAL_NAMES: DagcellsNames = { locals: new Map([...DAGCELLS_EXPORTS].map(name => [name, name])), namespaces: new Set() };

/** `a.b.c` for a chain of names; undefined otherwise. */
function chainText(expression: ts.Expression): string[] | undefined {
  const parts: string[] = [];
  let current = expression;
  while (ts.isPropertyAccessExpression(current)) {
    parts.unshift(current.name.text);
    current = current.expression;
  }
  if (!ts.isIdentifier(current)) {
    return undefined;
  }
  parts.unshift(current.text);
  return parts;
}

/** The dagcells export a callee names (`config.when`, `saveTo.csv`, `source`), if it names one. */
function exportOf(expression: ts.Expression, names: DagcellsNames): string | undefined {
  const parts = chainText(expression);
  if (!parts) {
    return undefined;
  }
  if (parts.length > 1 && names.namespaces.has(parts[0])) {
    return parts.slice(1).join('.');
  }
  const local = names.locals.get(parts[0]);
  return local === undefined ? undefined : [local, ...parts.slice(1)].join('.');
}

export function unwrap(expression: ts.Expression): ts.Expression {
  let current = expression;
  while (
    ts.isParenthesizedExpression(current) ||
    ts.isAsExpression(current) ||
    ts.isSatisfiesExpression(current) ||
    ts.isTypeAssertionExpression(current) ||
    ts.isNonNullExpression(current)
  ) {
    current = current.expression;
  }
  return current;
}

/** What a modifier call holds: its modifiers outermost first, and the function inside. */
export interface ModifierCall {
  modifiers: StaticModifier[];
  /** The function inside, written inline. */
  inline?: ts.ArrowFunction | ts.FunctionExpression;
  /** The function inside, named (defined elsewhere in the source, or not). */
  reference?: string;
  /** Text of what is inside when it is neither. */
  dynamic?: string;
}

/** Parameters of the functions a source defines at top level, for references to them. */
export type LocalFunctions = Map<string, ts.SignatureDeclaration>;

/** The modifier call an initializer is, or undefined when it is none. */
export function readModifierCall(
  initializer: ts.Expression | undefined,
  sourceFile: ts.SourceFile,
  names: DagcellsNames,
  functions: LocalFunctions
): ModifierCall | undefined {
  if (!initializer) {
    return undefined;
  }
  const modifiers: StaticModifier[] = [];
  let current = unwrap(initializer);
  for (;;) {
    if (!ts.isCallExpression(current)) {
      break;
    }
    const callee = exportOf(current.expression, names);
    const kind = callee === undefined ? undefined : kindOf(callee);
    if (!kind) {
      break;
    }
    const args = current.arguments;
    if (args.length === 0) {
      break;
    }
    const read = (node: ts.Expression | undefined) => (node ? staticValue(node, sourceFile, names, functions) : undefined);
    const text = current.getText(sourceFile);
    const callText = current.expression.getText(sourceFile);
    const head = args.slice(0, -1);
    let modArgs: Record<string, StaticValue | undefined>;
    switch (kind.kind) {
      case 'config.when':
      case 'config.whenNot':
      case 'config.whenIn':
      case 'config.whenNotIn':
        modArgs = { conditions: read(head[0]) };
        break;
      case 'tag':
        modArgs = { tags: read(head[0]) };
        break;
      case 'parameterize':
        modArgs = { nodes: read(head[0]) };
        break;
      case 'extractFields':
        modArgs = { fields: read(head[0]) };
        break;
      case 'checkOutput':
        modArgs = { options: read(head[0]) };
        break;
      case 'pipeInput':
        modArgs = { steps: head.map(h => read(h) as StaticValue).flatMap(v => (Array.isArray(v) ? v : [v])) };
        break;
      case 'subdag':
        modArgs = { functions: read(head[0]), options: read(head[1]) ?? {} };
        break;
      case 'does':
        modArgs = { impl: read(head[0]) };
        break;
      default:
        modArgs = { format: kind.format, options: read(head[0]) };
    }
    modifiers.push({ kind: kind.kind, callee: callText, args: modArgs as Record<string, StaticValue>, text });
    current = unwrap(args[args.length - 1]);
  }
  if (modifiers.length === 0) {
    return undefined;
  }
  if (ts.isArrowFunction(current) || ts.isFunctionExpression(current)) {
    return { modifiers, inline: current };
  }
  if (ts.isIdentifier(current)) {
    return { modifiers, reference: current.text };
  }
  return { modifiers, dynamic: current.getText(sourceFile) };
}

function kindOf(callee: string): { kind: StaticModifier['kind']; format?: string } | undefined {
  if (CALLEES[callee]) {
    return { kind: CALLEES[callee] as StaticModifier['kind'] };
  }
  const [head, format, more] = callee.split('.');
  if ((head === 'saveTo' || head === 'loadFrom') && format && more === undefined) {
    return { kind: head, format };
  }
  return undefined;
}

/** An argument as plain data, or `{ $dynamic: text }` when it is computed at run time. */
export function staticValue(node: ts.Expression, sourceFile: ts.SourceFile, names: DagcellsNames, functions: LocalFunctions): StaticValue {
  const e = unwrap(node);
  const dynamic = (): StaticValue => ({ $dynamic: e.getText(sourceFile) });
  const recur = (n: ts.Expression) => staticValue(n, sourceFile, names, functions);
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) {
    return e.text;
  }
  if (ts.isNumericLiteral(e)) {
    return Number(e.text);
  }
  if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(e.operand)) {
    return -Number(e.operand.text);
  }
  if (e.kind === ts.SyntaxKind.TrueKeyword) {
    return true;
  }
  if (e.kind === ts.SyntaxKind.FalseKeyword) {
    return false;
  }
  if (e.kind === ts.SyntaxKind.NullKeyword) {
    return null;
  }
  if (ts.isArrayLiteralExpression(e)) {
    if (e.elements.some(x => ts.isSpreadElement(x) || ts.isOmittedExpression(x))) {
      return dynamic();
    }
    return e.elements.map(x => recur(x));
  }
  if (ts.isObjectLiteralExpression(e)) {
    const out: Record<string, StaticValue> = {};
    for (const p of e.properties) {
      if (!ts.isPropertyAssignment(p)) {
        return dynamic();
      }
      const key = ts.isIdentifier(p.name) || ts.isStringLiteral(p.name) || ts.isNumericLiteral(p.name) ? p.name.text : undefined;
      if (key === undefined) {
        return dynamic();
      }
      out[key] = recur(p.initializer);
    }
    return out;
  }
  if (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) {
    return { $fn: paramNamesOf(e), name: ts.isFunctionExpression(e) && e.name ? e.name.text : '' };
  }
  if (ts.isIdentifier(e)) {
    if (e.text === 'undefined') {
      return { $undefined: true };
    }
    const local = functions.get(e.text);
    return local ? { $fn: paramNamesOf(local), name: e.text } : dynamic();
  }
  if (ts.isCallExpression(e)) {
    // step(fn, ...).named("x")
    if (ts.isPropertyAccessExpression(e.expression) && e.expression.name.text === 'named' && e.arguments.length === 1) {
      const inner = recur(e.expression.expression);
      const label = recur(e.arguments[0]);
      if (isObject(inner) && '$step' in inner && typeof label === 'string') {
        return { ...inner, name: label };
      }
      return dynamic();
    }
    const callee = exportOf(e.expression, names);
    if (callee === undefined || !BINDINGS.has(callee)) {
      return dynamic();
    }
    const args = e.arguments.map(a => recur(a));
    switch (callee) {
      case 'source':
        return typeof args[0] === 'string' ? { $source: args[0] } : dynamic();
      case 'value':
        return { $value: args[0] ?? { $undefined: true } };
      case 'group':
        return { $group: args };
      default:
        return { $step: args[0] ?? dynamic(), bindings: args[1] ?? {}, ...(typeof args[2] === 'string' ? { name: args[2] } : {}) };
    }
  }
  return dynamic();
}

function isObject(v: StaticValue): v is Record<string, StaticValue> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parameter names of a function; undefined when one is a pattern (it cannot be bound by name). */
function paramNamesOf(fn: ts.SignatureDeclaration): string[] | null {
  const out: string[] = [];
  for (const p of fn.parameters) {
    if (!ts.isIdentifier(p.name)) {
      return null;
    }
    if (p.name.text !== 'this') {
      out.push(p.name.text);
    }
  }
  return out;
}

/** Whether a value holds something computed at run time (outside the places a function's identity is enough). */
export function dynamicIn(value: StaticValue | undefined): string | undefined {
  if (value === null || typeof value !== 'object') {
    return undefined;
  }
  if (Array.isArray(value)) {
    for (const v of value) {
      const found = dynamicIn(v);
      if (found !== undefined) {
        return found;
      }
    }
    return undefined;
  }
  if (typeof (value as { $dynamic?: unknown }).$dynamic === 'string') {
    return (value as { $dynamic: string }).$dynamic;
  }
  for (const v of Object.values(value)) {
    const found = dynamicIn(v as StaticValue);
    if (found !== undefined) {
      return found;
    }
  }
  return undefined;
}

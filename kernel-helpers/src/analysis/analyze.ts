/**
 * Source analysis: what a cell or a module file defines, read with the
 * TypeScript parser (syntax only: no type checker, no lib files), so that it is
 * cheap enough to run on every edit of a cell and never throws on broken code.
 */
import ts from 'typescript';

import { hashText } from './hash';
import { classifyStatement, functionInitializer } from './statements';
import { jsDocOf } from './jsdoc';
import { hasModifier } from './modifiers';
import { dagcellsNames, DagcellsNames, LocalFunctions, ModifierCall, readModifierCall } from './modifier-calls';
import { parseSource } from './parse';
import { makeRangeFactory, RangeFactory } from './ranges';
import { invalidParametersMessage } from './rules';
import type {
  Diagnostic,
  FunctionForm,
  FunctionInfo,
  ParamInfo,
  SourceAnalysis,
  StatementInfo,
  TypeDefinition
} from './types';

/** Options of {@link analyzeSource}. */
export interface AnalyzeOptions {
  /** Name used in messages; `.js`/`.mjs` names are parsed as JavaScript. */
  fileName?: string;
  /** Names that stand for `import * as NAME from "dagcells"` made in another cell. */
  dagcellsNamespaces?: readonly string[];
}

/**
 * Reads the top-level functions and statements of a cell or a module file.
 *
 * Never throws: syntax errors become diagnostics and whatever could be read is
 * returned. Functions whose parameters cannot name dependencies (destructured or
 * rest) are returned with those parameters marked, plus a diagnostic naming them.
 *
 * @example
 * ```ts
 * const { functions } = analyzeSource("function spend_mean(spend: number[]): number { return 0; }");
 * functions[0].params[0]; // { name: "spend", type: "number[]", optional: false, ... }
 * ```
 */
export function analyzeSource(code: string, options: AnalyzeOptions = {}): SourceAnalysis {
  const fileName = options.fileName ?? 'cell.ts';
  const kind = /\.(m|c)?jsx?$/.test(fileName) ? ts.ScriptKind.JS : ts.ScriptKind.TS;
  const { sourceFile, tooDeep } = parseSource(fileName, code, false, kind);
  const range = makeRangeFactory(sourceFile);
  const functions: FunctionInfo[] = [];
  const statements: StatementInfo[] = [];
  const types: TypeDefinition[] = [];
  const diagnostics: Diagnostic[] = tooDeep ? [tooDeep] : syntaxDiagnostics(sourceFile, range);
  const context = modifierContext(sourceFile, code, options);

  for (const statement of sourceFile.statements) {
    const info = classifyStatement(statement, sourceFile, range, context ? d => isModifierCall(d, sourceFile, context) : undefined);
    if (info) {
      statements.push(info);
    }
    const type = typeDefinition(statement, sourceFile);
    if (type) {
      types.push(type);
    }
    for (const fn of functionsOf(statement, sourceFile, range, context)) {
      functions.push(fn);
      diagnostics.push(...parameterProblems(fn));
    }
  }
  diagnostics.push(...duplicatesWithin(functions));
  return { functions, statements, types, diagnostics };
}

/** A type alias or interface, with the type it stands for when it is not generic. */
function typeDefinition(statement: ts.Statement, sourceFile: ts.SourceFile): TypeDefinition | undefined {
  if (ts.isTypeAliasDeclaration(statement)) {
    return statement.typeParameters
      ? { name: statement.name.text }
      : { name: statement.name.text, definition: typeText(statement.type, sourceFile) };
  }
  if (ts.isInterfaceDeclaration(statement)) {
    if (statement.typeParameters) {
      return { name: statement.name.text };
    }
    const body = sourceFile.text.slice(statement.members.pos, statement.members.end);
    const bases = (statement.heritageClauses ?? []).flatMap(h => h.types.map(t => t.getText(sourceFile)));
    const literal = `{ ${body.trim().replace(/\s*\n\s*/g, ' ')} }`;
    return { name: statement.name.text, definition: [...bases, literal].join(' & ') };
  }
  return undefined;
}

/** The functions a top-level statement defines as candidate nodes. */
function functionsOf(
  statement: ts.Statement,
  sourceFile: ts.SourceFile,
  range: RangeFactory,
  context?: ModifierContext
): FunctionInfo[] {
  if (ts.isFunctionDeclaration(statement)) {
    if (!statement.name || !statement.body || hasModifier(statement, ts.SyntaxKind.DeclareKeyword)) {
      return []; // anonymous default export, overload signature or ambient declaration
    }
    return [
      functionInfo(statement.name.text, 'function', statement, statement, statement, sourceFile, range)
    ];
  }
  if (ts.isVariableStatement(statement) && !hasModifier(statement, ts.SyntaxKind.DeclareKeyword)) {
    const single = statement.declarationList.declarations.length === 1;
    const found: FunctionInfo[] = [];
    for (const declaration of statement.declarationList.declarations) {
      const fn = functionInitializer(declaration);
      if (fn && ts.isIdentifier(declaration.name)) {
        const form: FunctionForm = ts.isArrowFunction(fn) ? 'arrow' : 'function-expression';
        const sourceNode = single ? statement : declaration;
        found.push(
          functionInfo(declaration.name.text, form, fn, statement, sourceNode, sourceFile, range)
        );
      } else if (context && ts.isIdentifier(declaration.name)) {
        const modified = modifiedInfo(declaration, single ? statement : declaration, statement, sourceFile, range, context);
        if (modified) {
          found.push(modified);
        }
      }
    }
    return found;
  }
  return [];
}

function functionInfo(
  name: string,
  form: FunctionForm,
  fn: ts.SignatureDeclaration,
  statement: ts.Statement,
  sourceNode: ts.Node,
  sourceFile: ts.SourceFile,
  range: RangeFactory
): FunctionInfo {
  const isAsync = hasModifier(fn, ts.SyntaxKind.AsyncKeyword);
  const returnType = fn.type ? typeText(fn.type, sourceFile) : undefined;
  const declaredType = variableAnnotation(sourceNode, sourceFile);
  const { doc, tags } = jsDocOf(statement);
  const start = sourceNode.getStart(sourceFile);
  const source =
    sourceNode === statement || !ts.isVariableDeclaration(sourceNode)
      ? sourceFile.text.slice(start, sourceNode.end)
      : `const ${sourceFile.text.slice(start, sourceNode.end)};`;
  return {
    name,
    form,
    isAsync,
    params: fn.parameters
      .filter(p => !(ts.isIdentifier(p.name) && p.name.text === 'this'))
      .map(p => paramInfo(p, sourceFile, range)),
    returnType: returnType ?? declaredType,
    valueType: valueTypeOf(fn.type, sourceFile) ?? declaredType,
    doc,
    tags,
    exported: hasModifier(statement, ts.SyntaxKind.ExportKeyword),
    range: range(start, sourceNode.end),
    source,
    // The same function in a cell and in an exported module has the same version.
    hash: hashText(source.replace(/^export\s+(default\s+)?/, ''))
  };
}

/** What reading modifier calls needs: the names of dagcells' exports and the source's own functions. */
interface ModifierContext {
  names: DagcellsNames;
  functions: LocalFunctions;
  /** Each declaration's modifier call as read when its statement was classified, read once. */
  calls: Map<ts.VariableDeclaration, ModifierCall | undefined>;
}

/** Cheap first: a source that mentions no modifier name needs no modifier context. */
const MODIFIER_WORDS = /\b(config|tag|parameterize|extractFields|checkOutput|pipeInput|subdag|does|saveTo|loadFrom)\b/;

function modifierContext(sourceFile: ts.SourceFile, code: string, options: AnalyzeOptions): ModifierContext | undefined {
  if (!MODIFIER_WORDS.test(code)) {
    return undefined;
  }
  const functions: LocalFunctions = new Map();
  for (const statement of sourceFile.statements) {
    if (ts.isFunctionDeclaration(statement) && statement.name) {
      functions.set(statement.name.text, statement);
    } else if (ts.isVariableStatement(statement)) {
      for (const d of statement.declarationList.declarations) {
        const fn = functionInitializer(d);
        if (fn && ts.isIdentifier(d.name)) {
          functions.set(d.name.text, fn);
        }
      }
    }
  }
  return { names: dagcellsNames(sourceFile, options.dagcellsNamespaces), functions, calls: new Map() };
}

/** The modifier call a declaration's initializer makes, if any (read once per analysis). */
function modifierCall(declaration: ts.VariableDeclaration, sourceFile: ts.SourceFile, context: ModifierContext): ModifierCall | undefined {
  if (context.calls.has(declaration)) {
    return context.calls.get(declaration);
  }
  const call = readModifierCall(declaration.initializer, sourceFile, context.names, context.functions);
  context.calls.set(declaration, call);
  return call;
}

function isModifierCall(declaration: ts.VariableDeclaration, sourceFile: ts.SourceFile, context: ModifierContext): boolean {
  return modifierCall(declaration, sourceFile, context) !== undefined;
}

/** A `const NAME = modifier(..., fn)`: the function inside, with the modifiers around it. */
function modifiedInfo(
  declaration: ts.VariableDeclaration,
  sourceNode: ts.Node,
  statement: ts.Statement,
  sourceFile: ts.SourceFile,
  range: RangeFactory,
  context: ModifierContext
): FunctionInfo | undefined {
  const call = modifierCall(declaration, sourceFile, context);
  if (!call) {
    return undefined;
  }
  const name = (declaration.name as ts.Identifier).text;
  const inner = call.inline ?? (call.reference !== undefined ? context.functions.get(call.reference) : undefined);
  if (inner) {
    const form: FunctionForm = ts.isArrowFunction(inner) ? 'arrow' : ts.isFunctionDeclaration(inner) ? 'function' : 'function-expression';
    const info = functionInfo(name, form, inner, statement, sourceNode, sourceFile, range);
    return { ...info, modifiers: call.modifiers };
  }
  const start = sourceNode.getStart(sourceFile);
  const { doc, tags } = jsDocOf(statement);
  const source = sourceFile.text.slice(start, sourceNode.end);
  return {
    name,
    form: 'arrow',
    isAsync: false,
    params: [],
    doc,
    tags,
    exported: hasModifier(statement, ts.SyntaxKind.ExportKeyword),
    range: range(start, sourceNode.end),
    source,
    hash: hashText(source.replace(/^export\s+(default\s+)?/, '')),
    modifiers: call.modifiers,
    unresolvedBase: call.reference ?? call.dynamic ?? ''
  };
}

/** `const f: (x: number) => string = ...`: the annotation's return type, when the function has none. */
function variableAnnotation(node: ts.Node, sourceFile: ts.SourceFile): string | undefined {
  const declaration = ts.isVariableStatement(node) ? node.declarationList.declarations[0] : node;
  if (declaration && ts.isVariableDeclaration(declaration) && declaration.type) {
    if (ts.isFunctionTypeNode(declaration.type)) {
      return valueTypeOf(declaration.type.type, sourceFile);
    }
  }
  return undefined;
}

function paramInfo(
  param: ts.ParameterDeclaration,
  sourceFile: ts.SourceFile,
  range: RangeFactory
): ParamInfo {
  const info: ParamInfo = {
    name: ts.isIdentifier(param.name) ? param.name.text : param.name.getText(sourceFile),
    optional: Boolean(param.questionToken || param.initializer),
    range: range(param.getStart(sourceFile), param.end)
  };
  if (param.type) {
    info.type = typeText(param.type, sourceFile);
  }
  if (param.initializer) {
    info.defaultText = param.initializer.getText(sourceFile);
  }
  if (param.dotDotDotToken) {
    info.pattern = 'rest';
  } else if (!ts.isIdentifier(param.name)) {
    info.pattern = 'destructured';
  }
  return info;
}

/** The node's value: the return annotation with `Promise<T>` unwrapped, since the driver awaits. */
function valueTypeOf(type: ts.TypeNode | undefined, sourceFile: ts.SourceFile): string | undefined {
  if (!type) {
    return undefined;
  }
  if (
    ts.isTypeReferenceNode(type) &&
    ts.isIdentifier(type.typeName) &&
    type.typeName.text === 'Promise' &&
    type.typeArguments?.length === 1
  ) {
    return typeText(type.typeArguments[0], sourceFile);
  }
  return typeText(type, sourceFile);
}

/** A type as written, on one line. */
function typeText(type: ts.TypeNode, sourceFile: ts.SourceFile): string {
  const text = type.getText(sourceFile);
  return text.includes('\n') ? text.replace(/\s*\n\s*/g, ' ') : text;
}


function parameterProblems(fn: FunctionInfo): Diagnostic[] {
  return fn.params.flatMap(p =>
    p.pattern
      ? [
          {
            severity: 'error' as const,
            node: fn.name,
            range: p.range,
            message: invalidParametersMessage(fn.name, [{ name: p.name, pattern: p.pattern }])
          }
        ]
      : []
  );
}

function duplicatesWithin(functions: FunctionInfo[]): Diagnostic[] {
  const seen = new Map<string, FunctionInfo>();
  const problems: Diagnostic[] = [];
  for (const fn of functions) {
    const first = seen.get(fn.name);
    if (first) {
      problems.push({
        severity: 'error',
        node: fn.name,
        range: fn.range,
        message: `${fn.name} is defined twice in this source (lines ${first.range.line} and ${fn.range.line}).`
      });
    } else {
      seen.set(fn.name, fn);
    }
  }
  return problems;
}

/** The parser's syntax errors. They live on an internal field; absent, there are none to report. */
function syntaxDiagnostics(sourceFile: ts.SourceFile, range: RangeFactory): Diagnostic[] {
  const found = (sourceFile as unknown as { parseDiagnostics?: readonly ts.DiagnosticWithLocation[] })
    .parseDiagnostics;
  return (found ?? []).map(d => ({
    severity: 'error' as const,
    message: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
    range: range(d.start, d.start + d.length)
  }));
}

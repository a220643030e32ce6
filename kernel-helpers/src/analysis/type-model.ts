/**
 * A simplified model of a TypeScript type, parsed from its text: just enough
 * structure (primitives, literals, arrays, tuples, unions, records, named
 * references) to be sure when two types disagree. Anything richer is `any`.
 */
import ts from 'typescript';

export type Primitive =
  | 'number'
  | 'string'
  | 'boolean'
  | 'bigint'
  | 'symbol'
  | 'null'
  | 'undefined'
  | 'void'
  | 'object';

export interface Property {
  type: TypeModel;
  optional: boolean;
}

/** A simplified type: just enough structure to be sure of a disagreement. */
export type TypeModel =
  | { k: 'any' }
  | { k: 'never' }
  | { k: 'prim'; name: Primitive }
  | { k: 'lit'; base: 'number' | 'string' | 'boolean' | 'bigint'; text: string }
  | { k: 'array'; elem: TypeModel; readonly: boolean }
  | { k: 'tuple'; elems: TypeModel[]; readonly: boolean }
  | { k: 'union'; members: TypeModel[] }
  | { k: 'obj'; props: Map<string, Property>; index?: TypeModel }
  | { k: 'ref'; name: string; args: TypeModel[] }
  | { k: 'fn' };

export const ANY: TypeModel = { k: 'any' };

/** Library types that are distinct classes: two different ones never agree, nor with a primitive. */
export const KNOWN_CLASSES = new Set([
  'Date',
  'Map',
  'Set',
  'WeakMap',
  'WeakSet',
  'RegExp',
  'Error',
  'Promise',
  'ArrayBuffer',
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array'
]);

const KEYWORDS: Partial<Record<ts.SyntaxKind, Primitive | 'any' | 'never'>> = {
  [ts.SyntaxKind.AnyKeyword]: 'any',
  [ts.SyntaxKind.UnknownKeyword]: 'any',
  [ts.SyntaxKind.NeverKeyword]: 'never',
  [ts.SyntaxKind.NumberKeyword]: 'number',
  [ts.SyntaxKind.StringKeyword]: 'string',
  [ts.SyntaxKind.BooleanKeyword]: 'boolean',
  [ts.SyntaxKind.BigIntKeyword]: 'bigint',
  [ts.SyntaxKind.SymbolKeyword]: 'symbol',
  [ts.SyntaxKind.UndefinedKeyword]: 'undefined',
  [ts.SyntaxKind.VoidKeyword]: 'void',
  [ts.SyntaxKind.ObjectKeyword]: 'object'
};

const parsed = new Map<string, TypeModel>();
const MAX_CACHE = 5000;

/** Parses type text once; the result is cached, as the same few types recur on every edge. */
export function parseType(text: string): TypeModel {
  let model = parsed.get(text);
  if (!model) {
    model = modelOf(text);
    if (parsed.size >= MAX_CACHE) {
      parsed.clear();
    }
    parsed.set(text, model);
  }
  return model;
}

/** A type nested too deeply to read (for the parser or for this model) is `any`: nothing is claimed of it. */
function modelOf(text: string): TypeModel {
  try {
    const file = ts.createSourceFile('type.ts', `type T = ${text};`, ts.ScriptTarget.Latest, false);
    const statement = file.statements[0];
    const hasErrors =
      ((file as unknown as { parseDiagnostics?: unknown[] }).parseDiagnostics ?? []).length > 0;
    return !hasErrors && file.statements.length === 1 && ts.isTypeAliasDeclaration(statement)
      ? toModel(statement.type, file)
      : ANY;
  } catch (error) {
    if (error instanceof RangeError) {
      return ANY;
    }
    throw error;
  }
}

function toModel(node: ts.TypeNode, file: ts.SourceFile): TypeModel {
  const keyword = KEYWORDS[node.kind];
  if (keyword === 'any') {
    return ANY;
  }
  if (keyword === 'never') {
    return { k: 'never' };
  }
  if (keyword) {
    return { k: 'prim', name: keyword };
  }
  if (ts.isParenthesizedTypeNode(node)) {
    return toModel(node.type, file);
  }
  if (ts.isLiteralTypeNode(node)) {
    return literalModel(node.literal, file);
  }
  if (ts.isTemplateLiteralTypeNode(node)) {
    return { k: 'lit', base: 'string', text: node.getText(file) };
  }
  if (ts.isArrayTypeNode(node)) {
    return { k: 'array', elem: toModel(node.elementType, file), readonly: false };
  }
  if (ts.isTypeOperatorNode(node) && node.operator === ts.SyntaxKind.ReadonlyKeyword) {
    const inner = toModel(node.type, file);
    return inner.k === 'array' || inner.k === 'tuple' ? { ...inner, readonly: true } : inner;
  }
  if (ts.isTupleTypeNode(node)) {
    return tupleModel(node, file);
  }
  if (ts.isUnionTypeNode(node)) {
    return unionOf(node.types.map(t => toModel(t, file)));
  }
  if (ts.isIntersectionTypeNode(node)) {
    return intersectionOf(node.types.map(t => toModel(t, file)));
  }
  if (ts.isTypeLiteralNode(node)) {
    return objectModel(node.members, file);
  }
  if (ts.isFunctionTypeNode(node) || ts.isConstructorTypeNode(node)) {
    return { k: 'fn' };
  }
  if (ts.isTypeReferenceNode(node)) {
    return referenceModel(node, file);
  }
  return ANY;
}

function literalModel(literal: ts.LiteralTypeNode['literal'], file: ts.SourceFile): TypeModel {
  switch (literal.kind) {
    case ts.SyntaxKind.NullKeyword:
      return { k: 'prim', name: 'null' };
    case ts.SyntaxKind.TrueKeyword:
    case ts.SyntaxKind.FalseKeyword:
      return { k: 'lit', base: 'boolean', text: literal.getText(file) };
    case ts.SyntaxKind.StringLiteral:
    case ts.SyntaxKind.NoSubstitutionTemplateLiteral:
      return { k: 'lit', base: 'string', text: JSON.stringify((literal as ts.StringLiteral).text) };
    case ts.SyntaxKind.NumericLiteral:
      return { k: 'lit', base: 'number', text: String(Number((literal as ts.NumericLiteral).text)) };
    case ts.SyntaxKind.BigIntLiteral:
      return { k: 'lit', base: 'bigint', text: literal.getText(file) };
    case ts.SyntaxKind.PrefixUnaryExpression: {
      const operand = (literal as ts.PrefixUnaryExpression).operand;
      return ts.isNumericLiteral(operand)
        ? { k: 'lit', base: 'number', text: String(-Number(operand.text)) }
        : { k: 'lit', base: 'bigint', text: literal.getText(file) };
    }
    default:
      return ANY;
  }
}

function tupleModel(node: ts.TupleTypeNode, file: ts.SourceFile): TypeModel {
  const elems: TypeModel[] = [];
  for (const element of node.elements) {
    if (ts.isRestTypeNode(element) || ts.isOptionalTypeNode(element)) {
      return ANY; // variadic tuples: beyond what text alone can judge
    }
    if (ts.isNamedTupleMember(element)) {
      if (element.dotDotDotToken || element.questionToken) {
        return ANY;
      }
      elems.push(toModel(element.type, file));
    } else {
      elems.push(toModel(element, file));
    }
  }
  return { k: 'tuple', elems, readonly: false };
}

function objectModel(members: ts.NodeArray<ts.TypeElement>, file: ts.SourceFile): TypeModel {
  const props = new Map<string, Property>();
  let index: TypeModel | undefined;
  for (const member of members) {
    if (ts.isIndexSignatureDeclaration(member)) {
      index = member.type ? toModel(member.type, file) : ANY;
      continue;
    }
    const name = member.name && propertyName(member.name);
    if (name === undefined) {
      return ANY; // computed keys
    }
    const type = ts.isPropertySignature(member)
      ? member.type
        ? toModel(member.type, file)
        : ANY
      : ts.isMethodSignature(member)
        ? ({ k: 'fn' } as const)
        : ANY;
    props.set(name, { type, optional: Boolean(member.questionToken) });
  }
  return { k: 'obj', props, index };
}

function propertyName(name: ts.PropertyName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name)) {
    return name.text;
  }
  return undefined;
}

function referenceModel(node: ts.TypeReferenceNode, file: ts.SourceFile): TypeModel {
  if (!ts.isIdentifier(node.typeName)) {
    return ANY; // a qualified name such as ns.Type: not resolvable from text
  }
  const name = node.typeName.text;
  const args = (node.typeArguments ?? []).map(t => toModel(t, file));
  if ((name === 'Array' || name === 'ReadonlyArray') && args.length === 1) {
    return { k: 'array', elem: args[0], readonly: name === 'ReadonlyArray' };
  }
  if (name === 'Record' && args.length === 2) {
    return { k: 'obj', props: new Map(), index: args[1] };
  }
  return { k: 'ref', name, args };
}

function unionOf(members: TypeModel[]): TypeModel {
  const flat = members.flatMap(m => (m.k === 'union' ? m.members : [m]));
  return flat.some(m => m.k === 'any') ? ANY : { k: 'union', members: flat };
}

/** An intersection of record types is their merge; anything else is beyond text. */
function intersectionOf(members: TypeModel[]): TypeModel {
  if (members.every(m => m.k === 'obj')) {
    const props = new Map<string, Property>();
    for (const m of members as Extract<TypeModel, { k: 'obj' }>[]) {
      m.props.forEach((value, key) => props.set(key, value));
    }
    return { k: 'obj', props };
  }
  return ANY;
}


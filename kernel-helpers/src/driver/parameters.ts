/**
 * The one place that reads a function's parameters at run time, from its
 * compiled text (`fn.toString()`): that works for functions of a live kernel
 * and of any module, with or without their TypeScript source.
 *
 * Plain parameter lists (`a, b, c`) are read by a quick scan; anything richer
 * (defaults, comments, patterns) is parsed with acorn, a real JavaScript parser.
 */
import { parseExpressionAt } from 'acorn';
import type { Node as AcornNode } from 'acorn';

/** A parameter of a live function. */
export interface RuntimeParam {
  readonly name: string;
  /** Has a default value: the dependency is optional. */
  readonly optional: boolean;
  /** A destructuring pattern or a rest parameter, which cannot name a dependency. */
  readonly pattern?: 'destructured' | 'rest';
}

/** What reading a function gives: its parameters, or why they cannot be read. */
export type ReadResult =
  | { params: readonly RuntimeParam[]; isAsync: boolean; error?: undefined }
  | { params?: undefined; isAsync?: undefined; error: string };

// `function name(a, b)`, `async function* name(a)`, `(a, b) =>`, `async (a) =>`, `a =>`, `name(a) {`.
// Each is anchored at the start and stops at the end of the parameter list,
// so it costs the same for a one-line function and a long one.
const SIMPLE_FUNCTION = /^(async\s*)?function\s*\*?\s*[\w$]*\s*\(([\w$\s,]*)\)\s*\{/;
const SIMPLE_ARROW = /^(async\s*)?\(([\w$\s,]*)\)\s*=>/;
const SINGLE_ARROW = /^(async\s+)?([\w$]+)\s*=>/;
const NATIVE = /\{\s*\[native code\]\s*\}\s*$/;
const SIMPLE_METHOD = /^(async\s*)?\*?\s*[\w$]+\s*\(([\w$\s,]*)\)\s*\{/;

/**
 * Reads the parameters of a function. Not cached: for a plain list, reading
 * costs less than a WeakMap entry for a new function (measured by
 * bench/driver: a tenth of a microsecond against one), and every function a
 * Driver is built from is usually new.
 */
export function readParameters(fn: (...args: never[]) => unknown): ReadResult {
  return read(Function.prototype.toString.call(fn));
}

function read(text: string): ReadResult {
  if (/^class[\s{]/.test(text)) {
    return { error: 'it is a class; a node must be a function that can be called' };
  }
  // Only the end can say "[native code]": test that, not a whole (possibly long) body.
  if (NATIVE.test(text.slice(-32))) {
    return { error: 'it is a built-in or bound function, whose parameter names cannot be read' };
  }
  const simple =
    SIMPLE_FUNCTION.exec(text) ?? SIMPLE_ARROW.exec(text) ?? SINGLE_ARROW.exec(text);
  if (simple) {
    return { params: splitSimple(simple[2]), isAsync: Boolean(simple[1]) };
  }
  if (!text.startsWith('function') && !text.startsWith('async function')) {
    const method = SIMPLE_METHOD.exec(text);
    if (method && !/^(async\s*)?(get|set|static)\s/.test(text)) {
      return { params: splitSimple(method[2]), isAsync: Boolean(method[1]) };
    }
  }
  return parse(text);
}

/**
 * The names of a list the patterns above accepted (identifiers, spaces and
 * commas only), cut out in one pass: splitting and trimming made three strings
 * per parameter, and a large dataflow reads thousands of them on every build.
 */
function splitSimple(list: string): RuntimeParam[] {
  const params: RuntimeParam[] = [];
  let start = -1;
  for (let i = 0; i <= list.length; i++) {
    const separator = i === list.length || list.charCodeAt(i) === 44 /* , */ || list.charCodeAt(i) <= 32; /* space */
    if (!separator && start < 0) {
      start = i;
    } else if (separator && start >= 0) {
      params.push({ name: list.slice(start, i), optional: false });
      start = -1;
    }
  }
  return params;
}

interface FunctionNode extends AcornNode {
  async: boolean;
  params: AcornNode[];
}

/** The general case: parse the text as an expression (or as a method of an object literal). */
function parse(text: string): ReadResult {
  const fn = parseFunction(`(${text})`) ?? parseMethod(text);
  if (!fn) {
    return { error: 'its parameter list could not be read' };
  }
  return { params: fn.params.map(paramOf), isAsync: fn.async };
}

function parseFunction(source: string): FunctionNode | undefined {
  try {
    const node = parseExpressionAt(source, 0, { ecmaVersion: 'latest' }) as AcornNode & {
      type: string;
    };
    return node.type === 'ArrowFunctionExpression' || node.type === 'FunctionExpression'
      ? (node as FunctionNode)
      : undefined;
  } catch {
    return undefined;
  }
}

/** `name(a) { ... }` from an object literal's or a class's method: read inside an object. */
function parseMethod(text: string): FunctionNode | undefined {
  try {
    const node = parseExpressionAt(`({${text}})`, 0, { ecmaVersion: 'latest' }) as AcornNode & {
      properties?: { value: FunctionNode }[];
    };
    const value = node.properties?.[0]?.value;
    return value && (value as AcornNode).type === 'FunctionExpression' ? value : undefined;
  } catch {
    return undefined;
  }
}

function paramOf(param: AcornNode): RuntimeParam {
  const p = param as AcornNode & { name?: string; left?: AcornNode & { name?: string }; argument?: AcornNode & { name?: string } };
  switch (p.type) {
    case 'Identifier':
      return { name: p.name as string, optional: false };
    case 'AssignmentPattern':
      return p.left?.type === 'Identifier'
        ? { name: p.left.name as string, optional: true }
        : { name: '{...}', optional: true, pattern: 'destructured' };
    case 'RestElement':
      return { name: p.argument?.name ?? '...', optional: true, pattern: 'rest' };
    default:
      return { name: p.type === 'ArrayPattern' ? '[...]' : '{...}', optional: false, pattern: 'destructured' };
  }
}

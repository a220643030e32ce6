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

// `function name(a, b)`, `async function* name(a)`, `(a, b) =>`, `async (a) =>`, `a =>`, `name(a) {`:
// plain lists, whose names are then cut out between the parentheses (or before
// the arrow). Each is anchored at the start and stops at the end of the list, so
// it costs the same for a one-line function and a long one; they are only
// tested, since a match array and its captures would cost more than the names.
const SIMPLE_FUNCTION = /^(async\s*)?function\s*\*?\s*[\w$]*\s*\([\w$\s,]*\)\s*\{/;
const SIMPLE_ARROW = /^(async\s*)?\([\w$\s,]*\)\s*=>/;
const SINGLE_ARROW = /^(async\s+)?[\w$]+\s*=>/;
const SIMPLE_METHOD = /^(async\s*)?\*?\s*[\w$]+\s*\([\w$\s,]*\)\s*\{/;
const ACCESSOR = /^(async\s*)?(get|set|static)\s/;
/** `async x =>`, not a parameter named async (`async => 1`). */
const ASYNC_SINGLE_ARROW = /^async\s+[\w$]/;
/** `async name() {}` or `async *name() {}`, not a method named async or asyncFoo. */
const ASYNC_METHOD = /^async[\s*]/;

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
  // Built-in and bound functions print as `function name() { [native code] }`: only the end can say so.
  if (text.indexOf('[native code]', text.length - 32) >= 0) {
    return { error: 'it is a built-in or bound function, whose parameter names cannot be read' };
  }
  if (SIMPLE_FUNCTION.test(text) || SIMPLE_ARROW.test(text)) {
    return { params: namesInParentheses(text), isAsync: text.startsWith('async') };
  }
  if (SINGLE_ARROW.test(text)) {
    const isAsync = ASYNC_SINGLE_ARROW.test(text);
    return { params: namesBetween(text, isAsync ? 'async'.length : 0, text.indexOf('=>')), isAsync };
  }
  if (!text.startsWith('function') && !text.startsWith('async function') && SIMPLE_METHOD.test(text) && !ACCESSOR.test(text)) {
    return { params: namesInParentheses(text), isAsync: ASYNC_METHOD.test(text) };
  }
  return parse(text);
}

/** The names of a plain list: its parentheses are the first of the text (names cannot hold one). */
function namesInParentheses(text: string): RuntimeParam[] {
  const open = text.indexOf('(');
  return namesBetween(text, open + 1, text.indexOf(')', open));
}

/**
 * The names between two offsets of a plain list (identifiers, spaces and commas
 * only), cut out in one pass into an array of their exact number: splitting and
 * trimming made three strings per parameter, pushing reserved room for sixteen,
 * and a large dataflow reads thousands of lists on every build.
 */
function namesBetween(text: string, from: number, to: number): RuntimeParam[] {
  let count = 0;
  for (let i = from; i < to; i++) {
    if (!isSeparator(text.charCodeAt(i)) && (i === from || isSeparator(text.charCodeAt(i - 1)))) {
      count++;
    }
  }
  const params: RuntimeParam[] = new Array(count);
  let n = 0;
  let start = -1;
  for (let i = from; i <= to; i++) {
    const separator = i === to || isSeparator(text.charCodeAt(i));
    if (!separator && start < 0) {
      start = i;
    } else if (separator && start >= 0) {
      params[n++] = { name: text.slice(start, i), optional: false };
      start = -1;
    }
  }
  return params;
}

/** A comma or white space (space, tab, line break). */
function isSeparator(code: number): boolean {
  return code === 44 || code <= 32;
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

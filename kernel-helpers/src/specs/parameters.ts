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

// Beyond functions and parenthesised arrows (read by `quickNames`), `a =>`,
// `async a =>` and `name(a) {`: plain lists, whose names are then cut out
// before the arrow or between the parentheses. Each is anchored at the start and
// stops at the end of the list, so it costs the same for a one-line function and
// a long one; they are only tested, since a match array and its captures would
// cost more than the names.
const SINGLE_ARROW = /^(async\s+)?[\w$]+\s*=>/;
const SIMPLE_METHOD = /^(async\s*)?\*?\s*[\w$]+\s*\([\w$\s,]*\)\s*\{/;
const ACCESSOR = /^(async\s*)?(get|set|static)\s/;
/** `async x =>`, not a parameter named async (`async => 1`). */
const ASYNC_SINGLE_ARROW = /^async\s+[\w$]/;
/** `async name() {}` or `async *name() {}`, not a method named async or asyncFoo. */
const ASYNC_METHOD = /^async[\s*]/;

/**
 * Reads the parameters of a function from its text. Callers that see the same
 * function again keep the result (see `functionSpec`); this reads every time.
 */
export function readParameters(fn: (...args: never[]) => unknown): ReadResult {
  return readText(Function.prototype.toString.call(fn));
}

function readText(text: string): ReadResult {
  if (isNative(text)) {
    return { error: 'it is a built-in or bound function, whose parameter names cannot be read' };
  }
  const names: string[] = [];
  const quick = quickNames(text, names);
  if (quick >= 0) {
    return { params: names.map(name => ({ name, optional: false })), isAsync: quick > 0 };
  }
  if (/^class[\s{]/.test(text)) {
    return { error: 'it is a class; a node must be a function that can be called' };
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

/** Built-in and bound functions print as `function name() { [native code] }`: only the end can say so. */
function isNative(text: string): boolean {
  return text.indexOf('[native code]', text.length - 32) >= 0;
}

/**
 * The commonest texts, `function name(a, b) {...}`, `async function name(a)`
 * and `(a, b) => ...`, read in one pass over the parameter list with no
 * regular expression: on a build of thousands of functions, matching and then
 * cutting out the names cost more than the rest of the build. The names are
 * pushed onto `into`; the result is 0 for a function that is not async, and
 * the length of the `async ` before it for one that is. Anything else in the list (a default, a
 * comment, a pattern, a name outside ASCII) gives -1, with nothing pushed, and
 * the general reading takes over.
 */
function quickNames(text: string, into: string[]): number {
  let at = 0;
  if (text.startsWith('async')) {
    if (isIdentifierChar(text.charCodeAt(5))) {
      return -1; // a method named asyncSomething
    }
    at = 5;
    while (at < text.length && text.charCodeAt(at) <= 32) {
      at++;
    }
  }
  let open: number;
  if (text.charCodeAt(at) === 40 /* ( */) {
    open = at;
  } else if (text.startsWith('function', at) && !isIdentifierChar(text.charCodeAt(at + 8))) {
    // Up to the list: a generator's star and the name, which cannot hold a parenthesis.
    open = text.indexOf('(', at + 8);
  } else {
    return -1;
  }
  const before = into.length;
  const end = open < 0 ? -1 : plainNames(text, open + 1, into);
  if (end >= 0 && open === at && !isArrowAfter(text, end + 1)) {
    // `(a, b)` first must be an arrow's list; `async(a) {}` is a method named async.
    into.length = before;
    return -1;
  }
  return end < 0 ? -1 : at;
}

function isArrowAfter(text: string, from: number): boolean {
  let i = from;
  while (i < text.length && text.charCodeAt(i) <= 32) {
    i++;
  }
  return text.startsWith('=>', i);
}

/**
 * Pushes the names of a list of plain names, from `from` to its closing
 * parenthesis, onto `into`; returns where that parenthesis is, or -1 (with
 * nothing pushed) at anything else in the list.
 */
function plainNames(text: string, from: number, into: string[]): number {
  const close = text.indexOf(')', from);
  if (close < 0) {
    return -1;
  }
  // A function's text is a view into its whole script, whose characters are
  // slower to read one by one than those of a copy of the list alone.
  const list = text.slice(from, close);
  const before = into.length;
  let start = -1;
  let expectName = true; // after `(` or a comma: a name may come, not a second comma
  for (let i = 0; i <= list.length; i++) {
    const code = i < list.length ? list.charCodeAt(i) : 41; /* ) */
    if (isIdentifierChar(code)) {
      if (start < 0) {
        if (!expectName || (code >= 48 && code <= 57)) {
          break; // `a b`, or a name starting with a digit
        }
        start = i;
      }
      continue;
    }
    if (start >= 0) {
      into.push(list.slice(start, i));
      start = -1;
      expectName = false;
    }
    if (code === 41 /* ) */) {
      // The end of the list (after a name, or after a trailing comma, which JavaScript allows).
      return i === list.length ? close : -1;
    } else if (code === 44 /* , */) {
      if (expectName) {
        break;
      }
      expectName = true;
    } else if (code > 32) {
      break; // a default, a comment, a pattern: for the general reading
    }
  }
  into.length = before;
  return -1;
}

/** A character of an ASCII identifier: letters, digits, `_` and `$`. */
function isIdentifierChar(code: number): boolean {
  return (
    (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 95 || code === 36
  );
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
  const asExpression = `(${text})`;
  const fn = parseFunction(asExpression);
  const asMethod = `({${text}})`;
  const method = fn ? undefined : parseMethod(asMethod);
  const found = fn ?? method;
  if (!found) {
    return { error: 'its parameter list could not be read' };
  }
  const source = fn ? asExpression : asMethod;
  return { params: found.params.map(p => paramOf(p, source)), isAsync: found.async };
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
function parseMethod(source: string): FunctionNode | undefined {
  try {
    const node = parseExpressionAt(source, 0, { ecmaVersion: 'latest' }) as AcornNode & {
      properties?: { value: FunctionNode }[];
    };
    const value = node.properties?.[0]?.value;
    return value && (value as AcornNode).type === 'FunctionExpression' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** A parameter as a dependency; a pattern keeps its text, for messages. */
function paramOf(param: AcornNode, source: string): RuntimeParam {
  const p = param as AcornNode & { name?: string; left?: AcornNode & { name?: string }; argument?: AcornNode & { name?: string } };
  const text = (node: AcornNode) => source.slice(node.start, node.end);
  switch (p.type) {
    case 'Identifier':
      return { name: p.name as string, optional: false };
    case 'AssignmentPattern':
      return p.left?.type === 'Identifier'
        ? { name: p.left.name as string, optional: true }
        : { name: text(p.left as AcornNode), optional: true, pattern: 'destructured' };
    case 'RestElement':
      return { name: p.argument?.name ?? text(p), optional: true, pattern: 'rest' };
    default:
      return { name: text(p), optional: false, pattern: 'destructured' };
  }
}

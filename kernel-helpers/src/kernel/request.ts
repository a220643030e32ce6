/**
 * The code the notebook extension sends to a tslab kernel. It is a constant
 * template plus JSON string literals: names are checked to be identifiers, and
 * every value travels inside one JSON string that the kernel parses, so neither a
 * node name nor an input value can change what the code does.
 */
import { MESSAGE_MIME, RunPayload } from './protocol';

/** Reserved words of JavaScript and TypeScript that cannot name a function. */
const RESERVED = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends false finally for ' +
    'function if import in instanceof new null return super switch this throw true try typeof var void while with ' +
    'implements interface let package private protected public static yield await async of arguments eval'
  ).split(' ')
);

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A bad name or value in a request, found before anything is sent. */
export class RequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RequestError';
  }
}

/** Throws unless `name` can be a node's name: an identifier that is not a reserved word. */
export function checkIdentifier(name: unknown, what: string): asserts name is string {
  if (typeof name !== 'string' || !IDENTIFIER.test(name) || RESERVED.has(name) || name === '__proto__') {
    throw new RequestError(`${what} ${JSON.stringify(name)} is not a valid name: use letters, digits, _ and $, not starting with a digit, and not a reserved word.`);
  }
}

/** A JSON text of a value, or a RequestError naming what cannot be sent. */
function jsonOf(value: unknown, what: string): string {
  const problem = unsendable(value, what, new Set());
  if (problem) {
    throw new RequestError(problem);
  }
  return JSON.stringify(value);
}

/** Why a value cannot travel as JSON without changing (NaN, undefined, functions, cycles...). */
function unsendable(value: unknown, where: string, seen: Set<object>): string | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return undefined;
    case 'number':
      return Number.isFinite(value) ? undefined : `${where} is ${value}, which JSON cannot carry.`;
    case 'object':
      break;
    default:
      return `${where} is ${typeof value === 'undefined' ? 'undefined' : `a ${typeof value}`}, which JSON cannot carry.`;
  }
  if (value === null) {
    return undefined;
  }
  if (seen.has(value)) {
    return `${where} refers to itself.`;
  }
  seen.add(value);
  const entries = Array.isArray(value) ? value.map((v, i) => [`${where}[${i}]`, v] as const) : Object.entries(value).map(([k, v]) => [`${where}.${k}`, v] as const);
  if (!Array.isArray(value) && Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) {
    return `${where} is a ${value.constructor?.name ?? 'class instance'}, not plain JSON data.`;
  }
  for (const [path, inner] of entries) {
    const problem = unsendable(inner, path, seen);
    if (problem) {
      return problem;
    }
  }
  seen.delete(value);
  return undefined;
}

/**
 * A string literal for generated code. JSON.stringify leaves U+2028 and U+2029
 * raw, and the TypeScript of tslab (5.0) ends a string literal at them.
 */
export function stringLiteral(text: string): string {
  return JSON.stringify(text).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** Checks a run description; returns the JSON payload the kernel runtime reads. */
export function runPayloadJSON(payload: RunPayload): string {
  checkText(payload.runId, 'run id');
  for (const node of payload.nodes) {
    checkIdentifier(node.name, 'node');
    node.dependencies.forEach(dep => checkIdentifier(dep.name, `dependency of ${node.name}`));
  }
  payload.outputs.forEach(name => checkIdentifier(name, 'output'));
  for (const [label, record] of [
    ['input', payload.inputs],
    ['override', payload.overrides],
    ['config key', payload.config]
  ] as const) {
    Object.keys(record).forEach(name => checkIdentifier(name, label));
  }
  for (const versions of [payload.versions, payload.cache?.versions]) {
    for (const [name, version] of Object.entries(versions ?? {})) {
      checkIdentifier(name, 'versioned node');
      if (typeof version !== 'string' || !/^[0-9a-f]{1,64}$/.test(version)) {
        throw new RequestError(`the code version of ${name} (${JSON.stringify(version)}) is no code version (hex digits).`);
      }
    }
  }
  if (payload.cache) {
    for (const list of ['recompute', 'disable', 'ignore'] as const) {
      (payload.cache[list] ?? []).forEach(name => checkIdentifier(name, `node to ${list}`));
    }
  }
  return jsonOf(payload, 'the run');
}

function checkText(value: unknown, what: string): void {
  if (typeof value !== 'string' || !/^[\w-]{1,64}$/.test(value)) {
    throw new RequestError(`${what} ${JSON.stringify(value)} is not valid.`);
  }
}

/**
 * The code of a run request: runs the payload if the kernel has this version of
 * the runtime, else says so (with a message, not an error, so no abort window
 * opens) and the extension sends {@link installAndRunCode}.
 */
export function runCode(payload: RunPayload, version: string): string {
  const json = runPayloadJSON(payload);
  // Bindings stay inside a block (not notebook globals), and are not named with a
  // leading "__", which tslab rewrites. tslab's top-level await needs the awaited
  // call on a plain name, not on a cast expression.
  return [
    'import * as tslab from "tslab";',
    '{',
    '  const dagcellsRuntime = (globalThis as any).__dagcells__;',
    `  if (dagcellsRuntime && dagcellsRuntime.version === ${stringLiteral(version)}) {`,
    `    await dagcellsRuntime.run(${stringLiteral(json)}, tslab.display);`,
    '  } else {',
    `    (tslab.display as any).raw(${stringLiteral(MESSAGE_MIME)}, { kind: "install-needed", runId: ${stringLiteral(payload.runId)}, found: dagcellsRuntime ? String(dagcellsRuntime.version) : undefined });`,
    '  }',
    '}',
    'void 0;'
  ].join('\n');
}

/** The code that installs the runtime (evaluating its bundle once), then runs the payload. */
export function installAndRunCode(payload: RunPayload, runtimeSource: string): string {
  const json = runPayloadJSON(payload);
  return [
    'import * as tslab from "tslab";',
    `(globalThis as any).eval(${stringLiteral(runtimeSource)});`,
    '{',
    '  const dagcellsRuntime = (globalThis as any).__dagcells__;',
    `  await dagcellsRuntime.run(${stringLiteral(json)}, tslab.display);`,
    '}',
    'void 0;'
  ].join('\n');
}

/** The code that drops every value the kernel runtime's cache holds (nothing when the runtime is not there). */
export function clearCacheCode(): string {
  return [
    '{',
    '  const dagcellsRuntime = (globalThis as any).__dagcells__;',
    '  if (dagcellsRuntime && typeof dagcellsRuntime.clearCache === "function") dagcellsRuntime.clearCache();',
    '}',
    'void 0;'
  ].join('\n');
}

/**
 * The code that stops a run the kernel's interrupt cut short: tslab stops
 * waiting for the request, the run itself would go on to its next node.
 */
export function stopCode(runId: string): string {
  checkText(runId, 'run id');
  return [
    '{',
    '  const dagcellsRuntime = (globalThis as any).__dagcells__;',
    `  if (dagcellsRuntime && typeof dagcellsRuntime.stop === "function") dagcellsRuntime.stop(${stringLiteral(runId)});`,
    '}',
    'void 0;'
  ].join('\n');
}

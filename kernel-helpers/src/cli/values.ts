/**
 * Turning results into JSON without losing them silently: JSON.stringify would
 * write NaN as null, a typed array or a Map as {}, a function as nothing, and
 * throw on a BigInt. Every requested output is written, in a documented form
 * (see the `run` help), or the run fails naming the output and the place in it.
 */
import { Failure } from './usage';

/** An output that cannot be written as JSON: the message names it and where in it. */
export class OutputNotWritable extends Failure {}

/**
 * The outputs as one JSON-safe object, each output an own property (`__proto__`
 * included) in the order requested.
 */
export function outputsToJSON(result: Readonly<Record<string, unknown>>, outputs: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of outputs) {
    if (!Object.prototype.hasOwnProperty.call(result, name)) {
      throw new OutputNotWritable(`the output ${name} is missing from the result; nothing printed.`);
    }
    const value = (result as Record<string, unknown>)[name];
    const path: string[] = [name];
    let written: unknown;
    try {
      const top = unwritable(value);
      if (top) {
        throw new OutputNotWritable(`${top}, which JSON cannot hold`);
      }
      written = toJSONValue(value, new Set(), path);
    } catch (error) {
      throw new OutputNotWritable(`the output ${name} cannot be written as JSON: ${reasonOf(error, path)}; nothing printed.`);
    }
    setOwn(out, name, written);
  }
  return out;
}

/** What makes a whole output unwritable: a value that is no data. */
function unwritable(value: unknown): string | undefined {
  if (typeof value === 'function') {
    return 'it is a function (request the value it computes instead)';
  }
  return noData(value);
}

/** Values that are never data, wherever they are: a pending computation or a weak reference. */
function noData(value: unknown): string | undefined {
  if (value instanceof Promise || (value !== null && typeof value === 'object' && typeof (value as { then?: unknown }).then === 'function')) {
    return 'it is a Promise (a node returning one is awaited; this one was inside a value)';
  }
  if (value instanceof WeakMap || value instanceof WeakSet || value instanceof WeakRef) {
    return `it is a ${value.constructor.name}, whose content cannot be listed`;
  }
  return undefined;
}

function reasonOf(error: unknown, path: string[]): string {
  const where = path.length > 1 ? `at ${pathText(path)}, ` : '';
  if (error instanceof RangeError && /call stack/i.test(error.message)) {
    return `${where}it nests too deeply`;
  }
  const message = error instanceof OutputNotWritable ? error.message : error instanceof Error ? `reading it threw: ${error.message}` : `reading it threw ${String(error)}`;
  return where + message;
}

/** `stats.rows[2].mean` */
function pathText(path: string[]): string {
  return path
    .map((key, i) => (i === 0 ? key : /^\d+$/.test(key) ? `[${key}]` : /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`))
    .join('');
}

function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

/**
 * A JSON-safe copy of a value (see the `run` help for the rules). `path` is
 * where the value is, kept up to date so that a failure can say where.
 */
export function toJSONValue(value: unknown, seen: Set<object> = new Set(), path: string[] = []): unknown {
  switch (typeof value) {
    case 'number':
      return Number.isFinite(value) ? value : String(value);
    case 'bigint':
      return value.toString();
    case 'undefined':
      return null;
    case 'function':
      return null; // only inside arrays: object members that are functions are left out, as JSON.stringify does
    case 'symbol':
      return String(value);
    case 'string':
    case 'boolean':
      return value;
  }
  if (value === null) {
    return null;
  }
  const object = value as object;
  if (seen.has(object)) {
    throw new OutputNotWritable('it refers back to a value that holds it (a cycle), which JSON cannot hold');
  }
  const bad = noData(value);
  if (bad) {
    throw new OutputNotWritable(`${bad}, which JSON cannot hold`);
  }
  seen.add(object);
  try {
    return convert(object, seen, path);
  } finally {
    seen.delete(object);
  }
}

function convert(value: object, seen: Set<object>, path: string[]): unknown {
  const at = (key: string | number, item: unknown): unknown => {
    path.push(String(key));
    const converted = toJSONValue(item, seen, path);
    path.pop();
    return converted;
  };
  if (value instanceof Date) {
    return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  }
  if (Array.isArray(value)) {
    return value.map((v, i) => at(i, v));
  }
  if (value instanceof ArrayBuffer || (typeof SharedArrayBuffer !== 'undefined' && value instanceof SharedArrayBuffer)) {
    return Array.from(new Uint8Array(value));
  }
  if (value instanceof DataView) {
    return Array.from(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
  }
  if (ArrayBuffer.isView(value)) {
    return Array.from(value as unknown as ArrayLike<number | bigint>, (v, i) => at(i, v));
  }
  if (value instanceof Set) {
    return [...value].map((v, i) => at(i, v));
  }
  if (value instanceof Map) {
    const entries = [...value.entries()];
    if (entries.every(([k]) => typeof k === 'string')) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of entries) {
        setOwn(out, k as string, at(k as string, v));
      }
      return out;
    }
    return entries.map(([k, v], i) => [at(i, k), at(i, v)]);
  }
  if (value instanceof RegExp) {
    return String(value);
  }
  if (value instanceof Error) {
    return { name: value.name, message: value.message };
  }
  const toJSON = (value as { toJSON?: () => unknown }).toJSON;
  if (typeof toJSON === 'function') {
    let json: unknown;
    try {
      json = toJSON.call(value);
    } catch (error) {
      throw new OutputNotWritable(`its toJSON() threw: ${error instanceof Error ? error.message : String(error)}`);
    }
    return toJSONValue(json, seen, path);
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    path.push(key);
    let v: unknown;
    try {
      v = (value as Record<string, unknown>)[key];
    } catch (error) {
      throw new OutputNotWritable(`reading the property threw: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (typeof v !== 'function') {
      setOwn(out, key, toJSONValue(v, seen, path)); // undefined becomes null: an output is never dropped
    }
    path.pop();
  }
  return out;
}

/**
 * Turning results into JSON without losing them silently: JSON.stringify would
 * write NaN as null, a typed array or a Map as {}, and throw on a BigInt.
 */

/** A JSON-safe copy of a value (see the `run` help for the rules). */
export function toJSONValue(value: unknown, seen: Set<object> = new Set()): unknown {
  switch (typeof value) {
    case 'number':
      return Number.isFinite(value) ? value : String(value);
    case 'bigint':
      return value.toString();
    case 'undefined':
    case 'function':
    case 'symbol':
      return value === undefined ? null : String(value);
    case 'string':
    case 'boolean':
      return value;
  }
  if (value === null) {
    return null;
  }
  const object = value as object;
  if (seen.has(object)) {
    return '[circular]';
  }
  seen.add(object);
  try {
    if (value instanceof Date) {
      return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
    }
    if (Array.isArray(value)) {
      return value.map(v => toJSONValue(v, seen));
    }
    if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
      return Array.from(value as unknown as ArrayLike<number | bigint>, v => toJSONValue(v, seen));
    }
    if (value instanceof Set) {
      return [...value].map(v => toJSONValue(v, seen));
    }
    if (value instanceof Map) {
      const entries = [...value.entries()];
      return entries.every(([k]) => typeof k === 'string')
        ? Object.fromEntries(entries.map(([k, v]) => [k, toJSONValue(v, seen)]))
        : entries.map(([k, v]) => [toJSONValue(k, seen), toJSONValue(v, seen)]);
    }
    if (value instanceof Error) {
      return { name: value.name, message: value.message };
    }
    const toJSON = (value as { toJSON?: () => unknown }).toJSON;
    if (typeof toJSON === 'function') {
      return toJSONValue(toJSON.call(value), seen);
    }
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(object)) {
      const v = (object as Record<string, unknown>)[key];
      if (typeof v !== 'function') {
        out[key] = toJSONValue(v, seen); // undefined becomes null: an output is never dropped
      }
    }
    return out;
  } finally {
    seen.delete(object);
  }
}

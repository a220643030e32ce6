/**
 * The shape of a value in a few words, for a task log: what kind of value it
 * is and how big, never its content (which may be large, or private), except
 * for a short scalar.
 */

const ITEMS_LOOKED_AT = 20;
const KEYS_SHOWN = 6;

/**
 * `number[6]`, `Float64Array[1000]`, `{ id, name, when } [250 records]`,
 * `Map(3)`, `string (12 characters)`, `number 42`.
 *
 * @example
 * ```ts
 * describeShape([{ id: 1, v: 2 }, { id: 2, v: 3 }]); // "{ id, v }[2]"
 * describeShape(NaN);                                // "number NaN"
 * ```
 */
export function describeShape(value: unknown): string {
  switch (typeof value) {
    case 'number':
    case 'boolean':
      return `${typeof value} ${String(value)}`;
    case 'bigint':
      return `bigint ${value.toString().length > 20 ? `(${value.toString().length} digits)` : `${value}n`}`;
    case 'string':
      return `string (${value.length} character${value.length === 1 ? '' : 's'})`;
    case 'undefined':
      return 'undefined';
    case 'function':
      return `function ${value.name || '(anonymous)'}`;
    case 'symbol':
      return 'symbol';
  }
  if (value === null) {
    return 'null';
  }
  if (Array.isArray(value)) {
    return `${elementKind(value)}[${value.length}]`;
  }
  const kind = Object.prototype.toString.call(value).slice(8, -1);
  if (ArrayBuffer.isView(value)) {
    return `${kind}[${(value as unknown as ArrayLike<unknown>).length ?? value.byteLength}]`;
  }
  if (value instanceof Map || value instanceof Set) {
    return `${kind}(${value.size})`;
  }
  if (kind === 'Date') {
    const time = (value as Date).getTime();
    return `Date ${Number.isNaN(time) ? 'invalid' : (value as Date).toISOString()}`;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== null && proto !== Object.prototype) {
    return `${(proto.constructor as { name?: string } | undefined)?.name || kind} instance`;
  }
  return `object ${keysOf(value as object)}`;
}

/** What an array holds, judged from its first elements: `number`, `{ a, b }`, `mixed`. */
function elementKind(items: unknown[]): string {
  const kinds = new Set<string>();
  for (let i = 0; i < Math.min(items.length, ITEMS_LOOKED_AT); i++) {
    const item = items[i];
    kinds.add(
      item === null
        ? 'null'
        : Array.isArray(item)
          ? 'array'
          : typeof item === 'object' && Object.getPrototypeOf(item) === Object.prototype
            ? keysOf(item as object)
            : typeof item === 'object'
              ? Object.prototype.toString.call(item).slice(8, -1)
              : typeof item
    );
  }
  if (kinds.size === 0) {
    return 'empty';
  }
  return kinds.size === 1 ? [...kinds][0] : kinds.size <= 3 ? `(${[...kinds].join(' | ')})` : 'mixed';
}

function keysOf(object: object): string {
  const keys = Object.keys(object);
  return keys.length === 0
    ? '{}'
    : `{ ${keys.slice(0, KEYS_SHOWN).join(', ')}${keys.length > KEYS_SHOWN ? `, ... ${keys.length - KEYS_SHOWN} more` : ''} }`;
}

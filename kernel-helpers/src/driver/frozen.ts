/**
 * Frozen copies of values given to a dataflow. A Driver's config is copied and
 * frozen when it is built: it is read by every run, and a node that changed it
 * would change the runs after it (and the caller's object). Inputs are not
 * protected by default, as in Hamilton: copying large inputs on every run would
 * cost more than most runs. `execute(..., { freezeInputs: true })` freezes
 * copies of them too, so that a node mutating an input fails where it does it.
 *
 * Plain objects and arrays are copied, deeply, and frozen. Other objects (class
 * instances, Maps, Sets, Dates, typed arrays) are passed as they are: their
 * state is not reachable by freezing, and copying them could change what they
 * are.
 */

/** Objects this module made: already frozen all the way down. */
const made = new WeakSet<object>();

const EMPTY: Readonly<Record<string, unknown>> = Object.freeze({});
made.add(EMPTY);

/** A deeply frozen copy of `value` (see the module comment for what is copied); cycles are kept. */
export function frozenCopy<T>(value: T): T {
  if (!isCopied(value) || made.has(value)) {
    return value;
  }
  // Iterative: given data can nest deeper than the call stack allows.
  const copies = new Map<object, object>();
  const pending: [object, object][] = [];
  const copyOf = (source: object): object => {
    let copy = copies.get(source);
    if (!copy) {
      copy = Array.isArray(source) ? new Array(source.length) : Object.create(Object.getPrototypeOf(source));
      copies.set(source, copy as object);
      pending.push([source, copy as object]);
    }
    return copy as object;
  };
  const root = copyOf(value as object);
  while (pending.length > 0) {
    const [source, copy] = pending.pop() as [object, object];
    for (const key of Object.keys(source)) {
      const item = (source as Record<string, unknown>)[key];
      const copied = isCopied(item) && !made.has(item) ? copyOf(item) : item;
      if (key === '__proto__') {
        // Assigned, it would set the prototype: defined, it stays a key.
        Object.defineProperty(copy, key, { value: copied, enumerable: true, writable: true, configurable: true });
      } else {
        (copy as Record<string, unknown>)[key] = copied;
      }
    }
  }
  for (const copy of copies.values()) {
    Object.freeze(copy);
    made.add(copy);
  }
  return root as T;
}

/** The config a Driver keeps: a frozen copy, or one shared empty object. */
export function frozenConfig(config: Readonly<Record<string, unknown>> | undefined): Readonly<Record<string, unknown>> {
  return config === undefined ? EMPTY : frozenCopy({ ...config });
}

function isCopied(value: unknown): value is object {
  if (value === null || typeof value !== 'object') {
    return false;
  }
  if (Array.isArray(value)) {
    return true;
  }
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * An immutable map that shares most of itself with the version before it: a
 * base map, and the changes made since. A new version costs what changed, not
 * a copy of every entry, so the notebook graph can hand out a new snapshot
 * after each edit of a large notebook. Once the changes reach an eighth of the
 * base they are folded into a new base, so a lookup stays at most two map reads
 * and a walk over the entries at most twice the work of a plain map's.
 *
 * Iteration follows the base's order, changed values in their places, then the
 * entries added since, in the order they were added.
 */
const DELETED: unique symbol = Symbol('deleted');

export class LayeredMap<K, V> implements ReadonlyMap<K, V> {
  private constructor(
    private readonly base: ReadonlyMap<K, V>,
    private readonly changes: ReadonlyMap<K, V | typeof DELETED>,
    readonly size: number
  ) {}

  /** A first version, with a copy of the entries given. */
  static of<K, V>(entries: ReadonlyMap<K, V>): LayeredMap<K, V> {
    return new LayeredMap(new Map(entries), new Map(), entries.size);
  }

  /** A new version: each key of `updates` gets that value, or is deleted when the value is undefined. */
  with(updates: ReadonlyMap<K, V | undefined>): LayeredMap<K, V> {
    const changes = new Map(this.changes);
    let size = this.size;
    for (const [key, value] of updates) {
      const present = this.has(key);
      if (value !== undefined) {
        changes.set(key, value);
        size += present ? 0 : 1;
      } else if (present) {
        if (this.base.has(key)) {
          changes.set(key, DELETED);
        } else {
          changes.delete(key);
        }
        size--;
      }
    }
    if (changes.size > Math.max(32, this.base.size / 8)) {
      return LayeredMap.of(new Map(entriesOf(this.base, changes)));
    }
    return new LayeredMap(this.base, changes, size);
  }

  get(key: K): V | undefined {
    if (this.changes.has(key)) {
      const value = this.changes.get(key);
      return value === DELETED ? undefined : value;
    }
    return this.base.get(key);
  }

  has(key: K): boolean {
    return this.changes.has(key) ? this.changes.get(key) !== DELETED : this.base.has(key);
  }

  entries(): IterableIterator<[K, V]> {
    return this.changes.size === 0 ? this.base.entries() : entriesOf(this.base, this.changes);
  }

  *keys(): IterableIterator<K> {
    for (const [key] of this.entries()) {
      yield key;
    }
  }

  *values(): IterableIterator<V> {
    for (const [, value] of this.entries()) {
      yield value;
    }
  }

  [Symbol.iterator](): IterableIterator<[K, V]> {
    return this.entries();
  }

  forEach(callback: (value: V, key: K, map: ReadonlyMap<K, V>) => void, thisArg?: unknown): void {
    for (const [key, value] of this.entries()) {
      callback.call(thisArg, value, key, this);
    }
  }
}

function* entriesOf<K, V>(base: ReadonlyMap<K, V>, changes: ReadonlyMap<K, V | typeof DELETED>): IterableIterator<[K, V]> {
  for (const [key, value] of base) {
    const changed = changes.get(key);
    if (changed === undefined && !changes.has(key)) {
      yield [key, value];
    } else if (changed !== DELETED) {
      yield [key, changed as V];
    }
  }
  for (const [key, value] of changes) {
    if (value !== DELETED && !base.has(key)) {
      yield [key, value];
    }
  }
}

/**
 * Where cached values live. In memory (a notebook kernel): the values
 * themselves, within a byte budget, least recently used dropped first. On disk
 * (the CLI, Airflow tasks): see disk-store.ts.
 */

/** What is kept of one computed value. */
export interface CacheEntry {
  value: unknown;
  /** The value's data version (its fingerprint). */
  dataVersion: string;
  /** How long computing it took, in milliseconds: the time a retrieval saves. */
  ms: number;
  /** When the run that computed it did so (ISO 8601). */
  computedAt: string;
  /** Its size, roughly, in bytes. */
  bytes: number;
}

export interface CacheStore {
  /** The entry of a key; undefined when there is none or it is damaged (`onDamaged` is told). */
  get(key: string): CacheEntry | undefined;
  set(key: string, entry: CacheEntry): void;
  clear(): void;
}

/** Entries in memory; the oldest used go first once `bytes` would be exceeded. */
export class MemoryStore implements CacheStore {
  private readonly entries = new Map<string, CacheEntry>();
  private used = 0;
  constructor(readonly budget = 256 * 1024 * 1024) {}

  get(key: string): CacheEntry | undefined {
    const entry = this.entries.get(key);
    if (entry) {
      // Map order is insertion order: re-inserting makes it the most recently used.
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    return entry;
  }

  set(key: string, entry: CacheEntry): void {
    this.delete(key);
    if (entry.bytes > this.budget) {
      return; // larger than the whole budget: not kept
    }
    this.entries.set(key, entry);
    this.used += entry.bytes;
    for (const [oldest, old] of this.entries) {
      if (this.used <= this.budget) {
        break;
      }
      this.delete(oldest, old);
    }
  }

  /** Bytes held now. */
  get size(): number {
    return this.used;
  }

  get count(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
    this.used = 0;
  }

  private delete(key: string, entry = this.entries.get(key)): void {
    if (entry) {
      this.entries.delete(key);
      this.used -= entry.bytes;
    }
  }
}


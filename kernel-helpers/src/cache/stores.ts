/**
 * Where cached values live. In memory (a notebook kernel): the values
 * themselves, within a byte budget, least recently used dropped first. On disk
 * (the CLI, Airflow tasks): one file per entry, the values codec's faithful
 * JSON behind a checksum, written to a temporary file then renamed, so that a
 * reader sees a whole entry or none, whatever other processes do at once.
 */
import { parseValue, stringifyValue } from '../values';
import { checksum } from './fingerprint';

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

const MAGIC = 'dagcells-cache 1';

/** Entries as files `KEY.json` in a folder, each a header line then the value. */
export class DiskStore implements CacheStore {
  constructor(
    readonly dir: string,
    private readonly onDamaged: (key: string, why: string) => void = () => undefined
  ) {}

  private file(key: string): string {
    return require('path').join(this.dir, `${key}.json`);
  }

  get(key: string): CacheEntry | undefined {
    const fs = require('fs') as typeof import('fs');
    let text: string;
    try {
      text = fs.readFileSync(this.file(key), 'utf8');
    } catch {
      return undefined;
    }
    try {
      const newline = text.indexOf('\n');
      if (newline < 0) {
        throw new Error('it has no header line');
      }
      const header = JSON.parse(text.slice(0, newline)) as Omit<CacheEntry, 'value'> & { magic: string; checksum: string; length: number };
      const body = text.slice(newline + 1);
      if (header.magic !== MAGIC) {
        throw new Error('it is not a dagcells cache entry');
      }
      if (body.length !== header.length || checksum(body) !== header.checksum) {
        throw new Error('its checksum does not match (truncated or damaged)');
      }
      const { magic: _magic, checksum: _sum, length: _length, ...meta } = header;
      return { ...meta, value: parseValue(body, `cache entry ${key}`) };
    } catch (error) {
      this.onDamaged(key, (error as Error).message);
      try {
        fs.rmSync(this.file(key), { force: true });
      } catch {
        // another process may have replaced it already
      }
      return undefined;
    }
  }

  set(key: string, entry: CacheEntry): void {
    const fs = require('fs') as typeof import('fs');
    const body = stringifyValue(entry.value, `cache entry ${key}`);
    const { value: _value, ...meta } = entry;
    const header = JSON.stringify({ magic: MAGIC, ...meta, checksum: checksum(body), length: body.length });
    fs.mkdirSync(this.dir, { recursive: true });
    const file = this.file(key);
    const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    try {
      fs.writeFileSync(temporary, `${header}\n${body}`);
      fs.renameSync(temporary, file); // atomic: readers see the old entry or the new one, whole
    } catch (error) {
      fs.rmSync(temporary, { force: true });
      throw error;
    }
  }

  clear(): void {
    const fs = require('fs') as typeof import('fs');
    for (const name of fs.existsSync(this.dir) ? fs.readdirSync(this.dir) : []) {
      if (name.endsWith('.json') || name.endsWith('.tmp')) {
        fs.rmSync(require('path').join(this.dir, name), { force: true });
      }
    }
  }
}

/**
 * Cached values on disk (the CLI, Airflow tasks): one file per entry, the
 * values codec's faithful JSON behind a checksum, written to a temporary file
 * then renamed, so that a reader sees a whole entry or none, whatever other
 * processes do at once. Node only (the kernel runtime's bundle leaves it out).
 */
import * as fs from 'fs';
import * as path from 'path';

import { parseValue, stringifyValue } from '../values';
import { checksum } from './fingerprint';
import type { CacheEntry, CacheStore } from './stores';

const MAGIC = 'dagcells-cache 1';

/** Entries as files `KEY.json` in a folder, each a header line then the value. */
export class DiskStore implements CacheStore {
  constructor(
    readonly dir: string,
    private readonly onDamaged: (key: string, why: string) => void = () => undefined
  ) {}

  private file(key: string): string {
    return path.join(this.dir, `${key}.json`);
  }

  get(key: string): CacheEntry | undefined {
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
    for (const name of fs.existsSync(this.dir) ? fs.readdirSync(this.dir) : []) {
      if (name.endsWith('.json') || name.endsWith('.tmp')) {
        fs.rmSync(path.join(this.dir, name), { force: true });
      }
    }
  }
}

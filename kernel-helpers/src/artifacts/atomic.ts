import { promises as fs } from 'fs';
import { basename, dirname, join } from 'path';
import { randomBytes } from 'crypto';

/** What a file is written from: chunks of text (written as UTF-8) or bytes. */
export type Chunks = Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>;

/** What a whole write left on disk. */
export interface Written {
  bytes: number;
  /** The file's modification time as the file system keeps it, for the ownership record. */
  mtimeMs: number;
}

const TEMP_SUFFIX = '.dagcells-tmp';

/**
 * Writes `path` whole or not at all: the chunks go to a temporary file in the same
 * folder (so that the rename cannot cross file systems), which is flushed to disk
 * and then renamed over `path`. A failure at any point, an exception of the chunk
 * source included, removes the temporary file and any folder this call created,
 * and leaves an existing `path` as it was. A process killed mid-write leaves only
 * its temporary file, which the next write of the same path removes.
 */
export async function writeWhole(path: string, chunks: Chunks): Promise<Written> {
  const dir = dirname(path);
  const created = await fs.mkdir(dir, { recursive: true });
  const temp = join(dir, `.${basename(path)}.${process.pid}-${randomBytes(4).toString('hex')}${TEMP_SUFFIX}`);
  let handle: fs.FileHandle | undefined;
  try {
    await removeStaleTemps(dir, basename(path));
    handle = await fs.open(temp, 'wx');
    let bytes = 0;
    for await (const chunk of chunks) {
      const data = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      let offset = 0;
      while (offset < data.length) {
        const { bytesWritten } = await handle.write(data, offset, data.length - offset);
        offset += bytesWritten;
      }
      bytes += data.length;
    }
    await handle.sync();
    await handle.close();
    handle = undefined;
    await fs.rename(temp, path);
    await syncFolder(dir);
    const stat = await fs.stat(path);
    return { bytes, mtimeMs: stat.mtimeMs };
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await fs.rm(temp, { force: true }).catch(() => undefined);
    if (created) await removeCreatedFolders(dir, created);
    throw error;
  }
}

/** Makes the rename itself durable; some file systems cannot open a folder for that, which is fine. */
async function syncFolder(dir: string): Promise<void> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(dir, 'r');
    await handle.sync();
  } catch {
    // Not every platform can fsync a folder; the data itself is already on disk.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/** Removes the temporary files of earlier writes of `name` whose process is gone. */
async function removeStaleTemps(dir: string, name: string): Promise<void> {
  const prefix = `.${name}.`;
  let entries: string[];
  try {
    entries = await fs.readdir(dir);
  } catch {
    return;
  }
  for (const entry of entries) {
    if (!entry.startsWith(prefix) || !entry.endsWith(TEMP_SUFFIX)) continue;
    const pid = Number(entry.slice(prefix.length).split('-')[0]);
    if (Number.isInteger(pid) && pid > 0 && !isAlive(pid)) {
      await fs.rm(join(dir, entry), { force: true }).catch(() => undefined);
    }
  }
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes, deepest first, the folders from `dir` up to `created` (the first one mkdir made), while empty. */
async function removeCreatedFolders(dir: string, created: string): Promise<void> {
  let current = dir;
  for (;;) {
    try {
      await fs.rmdir(current);
    } catch {
      return;
    }
    if (current === created || dirname(current) === current) return;
    current = dirname(current);
  }
}

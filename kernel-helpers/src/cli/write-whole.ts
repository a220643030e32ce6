/** Writing a file whole or not at all. */
import { mkdirSync, renameSync, unlinkSync, writeFileSync } from 'fs';
import { basename, dirname, join } from 'path';

/**
 * Writes `text` to a file beside the target, then renames it over the target:
 * a reader (another task, on another machine of a shared volume) sees the old
 * file, or none, or the new one whole, never a part. With `makeFolder`, the
 * folders on the way are made first. Throws the file system's error, the
 * temporary file removed.
 */
export function writeWhole(path: string, text: string, options: { makeFolder?: boolean } = {}): void {
  if (options.makeFolder) {
    mkdirSync(dirname(path), { recursive: true });
  }
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${Math.random().toString(36).slice(2, 8)}.tmp`);
  try {
    writeFileSync(temporary, text, { encoding: 'utf8', flag: 'wx' });
    renameSync(temporary, path);
  } catch (error) {
    try {
      unlinkSync(temporary);
    } catch {
      // never made
    }
    throw error;
  }
}

/** A file system error in words, for messages: `permission denied, EACCES`. */
export function fileProblem(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  const messages: Record<string, string> = {
    ENOENT: 'no such file or folder',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EISDIR: 'it is a folder',
    ENOTDIR: 'a part of the path is not a folder',
    EROFS: 'read-only file system',
    ENOSPC: 'no space left on the device',
    EEXIST: 'a file is in the way'
  };
  return code && messages[code] ? `${messages[code]}, ${code}` : (error as Error).message;
}

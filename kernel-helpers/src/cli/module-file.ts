/**
 * Writing a generated file (a module, an Airflow DAG) without ever writing where it must not: only regular
 * files are written; a symlink is written through, to its target; the mode,
 * owner and hard links of the file replaced are kept; and a file is replaced
 * whole (written beside it, then renamed over it) or not at all.
 *
 * Refused, whatever `--force` says:
 * - anything but a regular file (`/dev/null`, `/dev/full`, a FIFO, a socket, a
 *   folder), told from its `stat` before it is opened, so a FIFO never blocks;
 * - a read-only file (no write permission bit for anyone, `chmod 444`), even
 *   for root, who could write it anyway: the bits say the file is not to be
 *   replaced, and "replaced" means its content changes;
 * - a file with several hard links: renaming over it would split them (the
 *   other names would keep the old text), and writing in place could leave it
 *   half written. Writing the module to stdout (`-o - > FILE`) writes in place.
 *
 * A killed export leaves its temporary file (`.NAME.dagcells-PID.tmp`); the
 * next export to the same file removes those whose process is gone.
 */
import {
  closeSync,
  constants,
  fchmodSync,
  fchownSync,
  fsyncSync,
  lstatSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  renameSync,
  Stats,
  statSync,
  unlinkSync,
  writeSync,
  accessSync
} from 'fs';
import { basename, dirname, join, resolve } from 'path';

import { ModuleLoadError } from './load';

/** Why a file was not written or read; reported as one paragraph, exit 1. */
export class FileRefused extends ModuleLoadError {}

/** A target as found on disk: where writing it really goes, and what is there now. */
export interface ModuleFile {
  /** The path as the user wrote it, for messages. */
  path: string;
  /** The file written: the path with every symlink resolved. */
  real: string;
  /** What is there now, if anything. */
  stats?: Stats;
}

const MAX_LINKS = 40;

/** Finds where `path` leads; refuses a target that is not a regular file before anything opens it. */
export function findModuleFile(path: string): ModuleFile {
  const real = resolveLinks(path);
  let stats: Stats | undefined;
  try {
    stats = statSync(real);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new FileRefused(`cannot read ${path} (${reason(error)}).`);
    }
  }
  if (stats && !stats.isFile()) {
    const through = real !== resolve(path) ? ` (a symlink to ${real})` : '';
    throw new FileRefused(
      `${path}${through} is ${kindOf(stats)}, not a regular file; nothing written. Give the path of a file with -o, or -o - to print it.`
    );
  }
  return { path, real, ...(stats ? { stats } : {}) };
}

/** The file's text, or `undefined` when there is none. */
export function readModuleFile(file: ModuleFile): string | undefined {
  if (!file.stats) {
    return undefined;
  }
  try {
    return readFileSync(file.real, 'utf8');
  } catch (error) {
    throw new FileRefused(`cannot read ${file.path} (${reason(error)}).`);
  }
}

/** Why the file cannot be replaced at all (read-only, hard links, no permission); `undefined` when it can. */
export function cannotReplace(file: ModuleFile): string | undefined {
  const { stats, path } = file;
  if (!stats) {
    return undefined;
  }
  if ((stats.mode & 0o222) === 0) {
    const mode = (stats.mode & 0o777).toString(8);
    return `${path} is read-only (mode ${mode}); nothing written. Make it writable (chmod u+w ${path}) to let the export replace it.`;
  }
  if (stats.nlink > 1) {
    return (
      `${path} has ${stats.nlink} hard links; replacing it would split them and writing it in place could leave it half written, so nothing was written. ` +
      `Write it in place yourself with '-o - > ${path}', or remove the other links.`
    );
  }
  try {
    accessSync(file.real, constants.W_OK);
  } catch (error) {
    return `cannot write ${path} (${reason(error)}); nothing written.`;
  }
  return undefined;
}

/**
 * Replaces the file whole with `text`: written to a temporary file beside it
 * (with the old file's mode and owner), flushed, then renamed over it. Readers
 * see the old file or the new one, never a part.
 */
export function replaceModuleFile(file: ModuleFile, text: string): void {
  const folder = dirname(file.real);
  const name = basename(file.real);
  removeStaleTemporaries(file);
  const temporary = join(folder, `.${name}.dagcells-${process.pid}.tmp`);
  let fd: number | undefined;
  try {
    try {
      fd = openSync(temporary, 'wx', file.stats ? file.stats.mode & 0o7777 : 0o666);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw error;
      }
      unlinkSync(temporary); // left by a killed process that had this process's id
      fd = openSync(temporary, 'wx', file.stats ? file.stats.mode & 0o7777 : 0o666);
    }
    if (file.stats) {
      fchmodSync(fd, file.stats.mode & 0o7777); // the mode given to open was narrowed by the umask
      keepOwner(fd, file.stats);
    }
    const bytes = Buffer.from(text, 'utf8');
    for (let at = 0; at < bytes.length; ) {
      at += writeSync(fd, bytes, at, bytes.length - at);
    }
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(temporary, file.real);
  } catch (error) {
    if (fd !== undefined) {
      closeSync(fd);
    }
    try {
      unlinkSync(temporary);
    } catch {
      // never created, or already renamed
    }
    throw new FileRefused(`cannot write ${file.path} (${reason(error)}); nothing written.`);
  }
}

/** The path with every symlink resolved, also a dangling one (its target is the file to create). */
function resolveLinks(path: string): string {
  let current = resolve(path);
  for (let hops = 0; hops <= MAX_LINKS; hops++) {
    let stats: Stats;
    try {
      stats = lstatSync(current);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return join(realFolder(path, dirname(current)), basename(current));
      }
      throw new FileRefused(`cannot read ${path} (${reason(error)}).`);
    }
    if (!stats.isSymbolicLink()) {
      return join(realFolder(path, dirname(current)), basename(current));
    }
    current = resolve(dirname(current), readlinkSync(current));
  }
  throw new FileRefused(`${path}: too many levels of symlinks; nothing written.`);
}

function realFolder(path: string, folder: string): string {
  try {
    return realpathSync(folder);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new FileRefused(`cannot write ${path} (${code === 'ENOENT' ? 'no such folder, ENOENT' : reason(error)}).`);
  }
}

/** Root writing someone else's file gives the new file the same owner; others cannot and need not. */
function keepOwner(fd: number, stats: Stats): void {
  if (typeof process.getuid === 'function' && process.getuid() === 0) {
    try {
      fchownSync(fd, stats.uid, stats.gid);
    } catch {
      // a file system without owners (a FAT stick): nothing to keep
    }
  }
}

/** Removes the temporary files that exports killed before they finished left beside the file. */
export function removeStaleTemporaries(file: ModuleFile): void {
  const folder = dirname(file.real);
  const name = basename(file.real);
  const pattern = new RegExp(`^\\.${escapeRegExp(name)}\\.dagcells-(\\d+)\\.tmp$`);
  let entries: string[];
  try {
    entries = readdirSync(folder);
  } catch {
    return; // writing will say what is wrong with the folder
  }
  for (const entry of entries) {
    const pid = Number(pattern.exec(entry)?.[1]);
    if (!pid || pid === process.pid || isAlive(pid)) {
      continue;
    }
    const path = join(folder, entry);
    try {
      if (lstatSync(path).isFile()) {
        unlinkSync(path);
      }
    } catch {
      // gone already, or not ours to remove
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // alive, another user's
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function kindOf(stats: Stats): string {
  if (stats.isDirectory()) {
    return 'a folder';
  }
  if (stats.isCharacterDevice()) {
    return 'a character device';
  }
  if (stats.isBlockDevice()) {
    return 'a block device';
  }
  if (stats.isFIFO()) {
    return 'a FIFO (named pipe)';
  }
  if (stats.isSocket()) {
    return 'a socket';
  }
  return 'not a file';
}

/** A system error in words, with its code. */
export function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  const messages: Record<string, string> = {
    ENOENT: 'no such file or folder',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EISDIR: 'it is a folder',
    ENOTDIR: 'a part of the path is not a folder',
    EROFS: 'read-only file system',
    ENOSPC: 'no space left on the device',
    EDQUOT: 'disk quota exceeded',
    ELOOP: 'too many levels of symlinks'
  };
  return code && messages[code] ? `${messages[code]}, ${code}` : (error as Error).message;
}

import { promises as fs } from 'fs';
import { basename } from 'path';
import { ArtifactError } from './errors';
import type { ArtifactFormat } from './types';

/** The suffix of an artifact's record: `predictions.csv` has `predictions.csv.dagcells.json` beside it. */
export const RECORD_SUFFIX = '.dagcells.json';

/**
 * The record kept beside every file a saver writes. It says who wrote the file,
 * which is what lets that saver (and only it) replace the file later, and what
 * the file was when written (size and modification time), so that a file changed
 * since by anything else is not replaced either. Other fields (the artifact's
 * lineage) are added by the caller through `WriteOptions.record`.
 */
export interface ArtifactRecord {
  /** Marks the file as a dagcells artifact record, with the version of its layout. */
  dagcells: { artifact: 1 };
  owner: string;
  format: ArtifactFormat;
  /** The file's name, without folder: the record is always beside it. */
  file: string;
  bytes: number;
  rows?: number;
  mtimeMs: number;
  /** When it was written, ISO 8601 in UTC. */
  writtenAt: string;
  [field: string]: unknown;
}

/** The path of the record of the artifact at `path`. */
export function recordPath(path: string): string {
  return path + RECORD_SUFFIX;
}

/**
 * The record of the artifact at `path`, or undefined when there is none. A record
 * that is not JSON or lacks its own fields is an ARTIFACT_MALFORMED error naming
 * the record's path.
 */
export async function readArtifactRecord(path: string): Promise<ArtifactRecord | undefined> {
  const file = recordPath(path);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ArtifactError('ARTIFACT_IO', file, 'json', (error as Error).message, {}, { cause: error });
  }
  let record: unknown;
  try {
    record = JSON.parse(text);
  } catch (error) {
    throw new ArtifactError('ARTIFACT_MALFORMED', file, 'json', `the artifact record is not JSON (${(error as Error).message})`);
  }
  const r = record as Partial<ArtifactRecord> | null;
  if (!r || typeof r !== 'object' || r.dagcells?.artifact !== 1 || typeof r.owner !== 'string' || typeof r.bytes !== 'number' || typeof r.mtimeMs !== 'number') {
    throw new ArtifactError('ARTIFACT_MALFORMED', file, 'json', 'this is not a dagcells artifact record (owner, bytes or mtimeMs missing)');
  }
  return r as ArtifactRecord;
}

/**
 * Refuses, as ARTIFACT_EXISTS, to replace the file at `target` (named `path` in
 * messages, as the caller gave it) that `owner` did not write or that changed
 * since it did; a missing file may always be written, and any file with
 * `overwrite`.
 */
export async function checkMayReplace(target: string, path: string, format: ArtifactFormat, owner: string, overwrite: boolean): Promise<void> {
  let stat;
  try {
    stat = await fs.stat(target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new ArtifactError('ARTIFACT_IO', path, format, (error as Error).message, {}, { cause: error });
  }
  if (stat.isDirectory()) {
    throw new ArtifactError('ARTIFACT_IO', path, format, 'this is a folder; a saver writes a file');
  }
  if (overwrite) return;
  const hint = 'pass overwrite: true to replace it';
  let record: ArtifactRecord | undefined;
  try {
    record = await readArtifactRecord(target);
  } catch (error) {
    throw new ArtifactError('ARTIFACT_EXISTS', path, format, `the file exists and its record cannot be read (${(error as Error).message}); ${hint}`);
  }
  if (!record) {
    throw new ArtifactError(
      'ARTIFACT_EXISTS',
      path,
      format,
      `the file exists and no dagcells saver wrote it (there is no ${basename(recordPath(path))} beside it); ${hint}`
    );
  }
  if (record.owner !== owner) {
    throw new ArtifactError(
      'ARTIFACT_EXISTS',
      path,
      format,
      `the file was written by ${JSON.stringify(record.owner)}, not by ${JSON.stringify(owner)}; ${hint}`
    );
  }
  if (record.bytes !== stat.size || record.mtimeMs !== stat.mtimeMs) {
    throw new ArtifactError(
      'ARTIFACT_EXISTS',
      path,
      format,
      `the file changed since ${JSON.stringify(owner)} wrote it (its size or modification time differs from ${basename(recordPath(path))}); ${hint}`
    );
  }
}

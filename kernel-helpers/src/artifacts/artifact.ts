import { promises as fs } from 'fs';
import { basename, resolve } from 'path';
import { writeWhole } from './atomic';
import type { Codec } from './codec';
import { csv } from './csv';
import { ArtifactError, atPath } from './errors';
import { json } from './json';
import { ndjson } from './ndjson';
import { parquet } from './parquet';
import { checkMayReplace, recordPath, RECORD_SUFFIX, type ArtifactRecord } from './record';
import { ARTIFACT_FORMATS, type ArtifactFormat, type ReadOptions, type WriteOptions, type WriteResult } from './types';

const CODECS: Record<ArtifactFormat, Codec> = { json, ndjson, csv, parquet };

function codecOf(format: unknown, path: string): Codec {
  if (typeof format === 'string' && Object.prototype.hasOwnProperty.call(CODECS, format)) return CODECS[format as ArtifactFormat];
  throw new ArtifactError('ARTIFACT_FORMAT', path, undefined, `${JSON.stringify(format)} is no artifact format (formats: ${ARTIFACT_FORMATS.join(', ')})`);
}

/**
 * Writes `value` to `path` in `format`, whole or not at all, and the record
 * `PATH.dagcells.json` beside it. Parent folders are made as needed. An existing
 * file is replaced only when `options.owner` wrote it and it has not changed
 * since, or with `overwrite: true`; nothing else is ever written, and a failed
 * write leaves the folder as it was.
 *
 * @returns where the file is (absolute), its format, its size and, for a table, its row count.
 * @throws ArtifactError: ARTIFACT_EXISTS (not this saver's file), ARTIFACT_VALUE or
 *   ARTIFACT_TYPE (a value the format or a declared type cannot hold, with row and
 *   column), ARTIFACT_FORMAT, ARTIFACT_OPTION, ARTIFACT_IO.
 * @example
 * ```ts
 * await writeArtifact("csv", "out/orders.csv", [{ id: 1, total: 9.5 }], { owner: "save_orders" });
 * // => { path: "/abs/out/orders.csv", format: "csv", bytes: 16, rows: 1 }
 * ```
 */
export async function writeArtifact(format: ArtifactFormat, path: string, value: unknown, options: WriteOptions): Promise<WriteResult> {
  const codec = codecOf(format, path);
  checkPath(path, format);
  const owner = options?.owner;
  if (typeof owner !== 'string' || owner === '') {
    throw new ArtifactError('ARTIFACT_OPTION', path, format, 'a writer must name its owner (options.owner, the saver\'s name)');
  }
  const target = resolve(path);
  if (target.endsWith(RECORD_SUFFIX)) {
    throw new ArtifactError('ARTIFACT_OPTION', path, format, `a path ending in ${RECORD_SUFFIX} is reserved for artifact records`);
  }
  await checkMayReplace(target, path, format, owner, options.overwrite === true);
  let encoded;
  try {
    encoded = codec.encode(value, options);
  } catch (error) {
    throw atPath(error, path, format, 'ARTIFACT_VALUE');
  }
  let written;
  try {
    written = await writeWhole(target, encoded.chunks);
  } catch (error) {
    throw atPath(error, path, format, 'ARTIFACT_IO');
  }
  const record: ArtifactRecord = {
    ...options.record,
    dagcells: { artifact: 1 },
    owner,
    format,
    file: basename(target),
    bytes: written.bytes,
    ...(encoded.rows === undefined ? {} : { rows: encoded.rows }),
    mtimeMs: written.mtimeMs,
    writtenAt: new Date().toISOString()
  };
  try {
    await writeWhole(recordPath(target), [JSON.stringify(record, null, 2) + '\n']);
  } catch (error) {
    throw atPath(error, recordPath(path), 'json', 'ARTIFACT_IO');
  }
  return { path: target, format, bytes: written.bytes, ...(encoded.rows === undefined ? {} : { rows: encoded.rows }) };
}

/**
 * Reads the value of the artifact at `path` in `format`: for csv and parquet a
 * table (an array of records, or `shape: "columns"`); for json the value; for
 * ndjson the array of line values.
 *
 * @throws ArtifactError: ARTIFACT_MISSING (no such file), ARTIFACT_EMPTY,
 *   ARTIFACT_MALFORMED (with the line), ARTIFACT_TYPE (a value that does not
 *   have its column's declared type, with row, line and column),
 *   ARTIFACT_COLUMN (a column asked for is not in the file), ARTIFACT_FORMAT,
 *   ARTIFACT_OPTION, ARTIFACT_IO.
 * @example
 * ```ts
 * const orders = await readArtifact("csv", "in/orders.csv", { types: { zip: "string" } });
 * ```
 */
export async function readArtifact(format: ArtifactFormat, path: string, options: ReadOptions = {}): Promise<unknown> {
  const codec = codecOf(format, path);
  checkPath(path, format);
  const shapes = format === 'parquet' ? ['rows', 'columns', 'arrow'] : ['rows', 'columns'];
  if (options.shape !== undefined && !shapes.includes(options.shape)) {
    throw new ArtifactError('ARTIFACT_OPTION', path, format, `shape must be ${shapes.map(s => JSON.stringify(s)).join(' or ')} for ${format}, not ${JSON.stringify(options.shape)}`);
  }
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(resolve(path));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ArtifactError('ARTIFACT_MISSING', path, format, 'no such file');
    if (code === 'EISDIR') throw new ArtifactError('ARTIFACT_IO', path, format, 'this is a folder, not a file');
    throw atPath(error, path, format, 'ARTIFACT_IO');
  }
  try {
    return codec.decode(bytes, options);
  } catch (error) {
    throw atPath(error, path, format, 'ARTIFACT_MALFORMED');
  }
}

function checkPath(path: unknown, format: ArtifactFormat): void {
  if (typeof path !== 'string' || path === '') {
    throw new ArtifactError('ARTIFACT_OPTION', String(path), format, 'the path must be a non-empty string');
  }
}

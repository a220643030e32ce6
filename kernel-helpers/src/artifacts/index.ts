/**
 * Artifacts: tables and other values written to and read from json, ndjson, csv
 * and parquet files, whole or not at all, with a record beside each file that
 * says which saver wrote it. This is the layer `saveTo.*` and `loadFrom.*` call.
 *
 * @example
 * ```ts
 * import { writeArtifact, readArtifact } from "dagcells/artifacts";
 * const rows = [{ id: 1, score: 0.5, label: "a", ok: true, at: new Date() }];
 * await writeArtifact("parquet", "out/scores.parquet", rows, { owner: "save_scores" });
 * const back = await readArtifact("parquet", "out/scores.parquet");
 * ```
 */
export { writeArtifact, readArtifact } from './artifact';
export { ArtifactError, isArtifactError } from './errors';
export type { ArtifactErrorCode } from './errors';
export { readArtifactRecord, recordPath, RECORD_SUFFIX } from './record';
export type { ArtifactRecord } from './record';
export { ARTIFACT_FORMATS, COLUMN_TYPES } from './types';
export type { ArtifactFormat, Cell, ColumnType, Columns, ColumnValues, ReadOptions, Rows, WriteOptions, WriteResult } from './types';

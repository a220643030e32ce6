/** The file formats an artifact can have. */
export type ArtifactFormat = 'json' | 'ndjson' | 'csv' | 'parquet';

/** Every format, in the order the documentation lists them. */
export const ARTIFACT_FORMATS: readonly ArtifactFormat[] = ['json', 'ndjson', 'csv', 'parquet'];

/**
 * The type of a table column, as declared in a `types` option or inferred.
 * - `number`: a JS number (parquet DOUBLE).
 * - `integer`: a JS number that is a safe integer (parquet INT64).
 * - `bigint`: a JS bigint (parquet INT64), exact beyond 2^53.
 * - `string`, `boolean`: as named (parquet UTF8 string, BOOLEAN).
 * - `date`: a JS Date (parquet TIMESTAMP in milliseconds, UTC).
 */
export type ColumnType = 'number' | 'integer' | 'bigint' | 'string' | 'boolean' | 'date';

/** Every column type, for messages and checks. */
export const COLUMN_TYPES: readonly ColumnType[] = ['number', 'integer', 'bigint', 'string', 'boolean', 'date'];

/** One value of a table cell: what every table format holds. */
export type Cell = number | string | boolean | bigint | Date | null;

/** A table as rows: an array of records, one per row. */
export type Rows = Record<string, unknown>[];

/** A column of a column-oriented table: a typed array or a plain array of cells. */
export type ColumnValues =
  | readonly unknown[]
  | Float64Array
  | Float32Array
  | Int32Array
  | Int16Array
  | Int8Array
  | Uint32Array
  | Uint16Array
  | Uint8Array
  | BigInt64Array;

/** A table as columns: one array per column name, all of the same length. */
export type Columns = Record<string, ColumnValues>;

/** Where a saver's result says the file went, and what it holds. */
export interface WriteResult {
  /** The absolute path of the file written. */
  path: string;
  format: ArtifactFormat;
  /** The size of the file in bytes. */
  bytes: number;
  /** The number of rows, when the value is a table (every csv, ndjson and parquet file; json arrays). */
  rows?: number;
}

/** How {@link writeArtifact} writes. */
export interface WriteOptions {
  /**
   * Who writes: a stable name of the saver (its node name, say). An existing file
   * is replaced only when the same owner wrote it, unless `overwrite` is true.
   */
  owner: string;
  /** Replace an existing file whoever wrote it. */
  overwrite?: boolean;
  /** Column types to write with instead of the inferred ones (tables only). */
  types?: Record<string, ColumnType>;
  /** The columns to write, in this order (tables only); default: every key, in first-seen order. */
  columns?: string[];
  /** json: spaces to indent with; default none (one line). */
  indent?: number;
  /** csv: the field delimiter, one character; default ",". */
  delimiter?: string;
  /**
   * More fields for the artifact's record beside the file (`FILE.dagcells.json`),
   * such as its lineage. The fields `owner`, `format`, `file`, `bytes`, `rows`,
   * `mtimeMs`, `writtenAt` and `dagcells` are the writer's own and win.
   */
  record?: Record<string, unknown>;
}

/** How {@link readArtifact} reads. */
export interface ReadOptions {
  /**
   * The shape of a table read: `rows` (an array of records, the default),
   * `columns` (a record of arrays: in csv and parquet a Float64Array for a number
   * column without nulls, plain arrays otherwise) or, for parquet only, `arrow` (an apache-arrow Table
   * with the file's own types, no JS value made per cell).
   */
  shape?: 'rows' | 'columns' | 'arrow';
  /** Column types to read with instead of inferring them; a value that does not fit is an error. */
  types?: Record<string, ColumnType>;
  /** csv and parquet: read only these columns, in this order. */
  columns?: string[];
  /** csv: the field delimiter, one character; default ",". */
  delimiter?: string;
}

import type { ArtifactFormat } from './types';

/** What went wrong with an artifact, as a stable code. */
export type ArtifactErrorCode =
  /** The format is none of json, ndjson, csv, parquet. */
  | 'ARTIFACT_FORMAT'
  /** An option or argument that cannot be used (an empty owner, a bad delimiter). */
  | 'ARTIFACT_OPTION'
  /** The file to read does not exist. */
  | 'ARTIFACT_MISSING'
  /** The file to read is empty. */
  | 'ARTIFACT_EMPTY'
  /** The file does not parse: a malformed row, line or footer. */
  | 'ARTIFACT_MALFORMED'
  /** A value does not have the column's type (declared or required by the format). */
  | 'ARTIFACT_TYPE'
  /** A value the format cannot hold (NaN in JSON, an object in a CSV cell). */
  | 'ARTIFACT_VALUE'
  /** A column asked for (in `columns` or `types`) is not in the file. */
  | 'ARTIFACT_COLUMN'
  /** The file exists and this writer may not replace it. */
  | 'ARTIFACT_EXISTS'
  /** The file system refused (permissions, a folder in the way, a full disk). */
  | 'ARTIFACT_IO';

/** Where in a file or value a problem is; every field is optional. */
export interface ArtifactLocation {
  /** 1-based line of the file. */
  line?: number;
  /** 0-based row of the table (data rows, the header not counted). */
  row?: number;
  /** The column's name. */
  column?: string;
}

/**
 * The error of reading or writing an artifact. The message starts with the file
 * and, where known, the line, row and column; the same facts are fields, so a
 * caller (the Driver naming the loader or saver) can wrap it without parsing text.
 */
export class ArtifactError extends Error {
  readonly code: ArtifactErrorCode;
  readonly path: string;
  readonly format: ArtifactFormat | undefined;
  readonly line: number | undefined;
  readonly row: number | undefined;
  readonly column: string | undefined;

  constructor(
    code: ArtifactErrorCode,
    path: string,
    format: ArtifactFormat | undefined,
    detail: string,
    where: ArtifactLocation = {},
    options?: { cause?: unknown }
  ) {
    super(`${describeWhere(path, where)}: ${detail}`);
    this.name = 'ArtifactError';
    this.code = code;
    this.path = path;
    this.format = format;
    this.line = where.line;
    this.row = where.row;
    this.column = where.column;
    if (options && 'cause' in options) {
      Object.defineProperty(this, 'cause', { value: options.cause, writable: true, configurable: true });
    }
  }
}

/** True for an ArtifactError, also one thrown by another copy of this library. */
export function isArtifactError(value: unknown): value is ArtifactError {
  return value instanceof ArtifactError || (value instanceof Error && value.name === 'ArtifactError' && 'code' in value);
}

function describeWhere(path: string, where: ArtifactLocation): string {
  const parts = [path];
  if (where.line !== undefined) parts.push(`line ${where.line}`);
  if (where.row !== undefined) parts.push(`row ${where.row}`);
  if (where.column !== undefined) parts.push(`column ${JSON.stringify(where.column)}`);
  return parts.join(', ');
}

/**
 * A problem found while encoding or decoding, before the file's path is known to
 * the code that found it; {@link atPath} turns it into an ArtifactError.
 */
export class CodecProblem extends Error {
  constructor(
    readonly code: ArtifactErrorCode,
    readonly detail: string,
    readonly where: ArtifactLocation = {}
  ) {
    super(detail);
    this.name = 'CodecProblem';
  }
}

/** The ArtifactError for a problem of a codec, or for any other failure while handling `path`. */
export function atPath(error: unknown, path: string, format: ArtifactFormat, fallback: ArtifactErrorCode): ArtifactError {
  if (isArtifactError(error)) return error;
  if (error instanceof CodecProblem) return new ArtifactError(error.code, path, format, error.detail, error.where);
  const detail = error instanceof Error ? error.message : String(error);
  return new ArtifactError(fallback, path, format, detail, {}, { cause: error });
}

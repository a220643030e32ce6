import type { Chunks } from './atomic';
import type { ArtifactFormat, ReadOptions, WriteOptions } from './types';

/** What an encoder gives the file writer: the file's chunks, and the row count of a table. */
export interface Encoded {
  chunks: Chunks;
  rows?: number;
}

/**
 * One format: how a value becomes the bytes of a file and back. Both sides throw
 * a CodecProblem for bad data; the caller adds the file's path.
 */
export interface Codec {
  format: ArtifactFormat;
  encode(value: unknown, options: WriteOptions): Encoded;
  decode(bytes: Buffer, options: ReadOptions): unknown;
}

/** The text of a file without a leading byte order mark. */
export function fileText(bytes: Buffer): string {
  const text = bytes.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

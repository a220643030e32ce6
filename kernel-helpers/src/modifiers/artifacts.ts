/**
 * `saveTo.*` and `loadFrom.*`: artifact nodes around a function, as Hamilton's
 * `@save_to` and `@load_from`. A saver is a node of its own (kind `saver`) that
 * runs only when it or something downstream of it is requested; a loader is a
 * node (kind `loader`) that feeds the wrapped function's parameter.
 */
import type { ArtifactFormat, ColumnType } from '../artifacts/types';
import { AnyFunction, Modifier, MODIFIER, SourceRef, ValueRef, Wrapped } from './types';

export interface SaveOptions {
  /** Where to write: a path, or `source("name")` of the node (or input) that gives it. */
  path: string | SourceRef | ValueRef;
  /** The saver node's name; default `save_NODE`. */
  outputName?: string;
  /** Replace an existing file whoever wrote it. */
  overwrite?: boolean;
  types?: Record<string, ColumnType>;
  columns?: string[];
  indent?: number;
  delimiter?: string;
}

export interface LoadOptions {
  /** Where to read: a path, or `source("name")` of the node (or input) that gives it. */
  path: string | SourceRef | ValueRef;
  /** The parameter the loaded value feeds; default the function's only parameter. */
  inject?: string;
  /** The loader node's name; default `load_NODE`. */
  outputName?: string;
  shape?: 'rows' | 'columns';
  types?: Record<string, ColumnType>;
  columns?: string[];
  delimiter?: string;
}

function wrapArtifact<F extends AnyFunction>(kind: 'saveTo' | 'loadFrom', format: ArtifactFormat, options: unknown, fn: F): Wrapped<F> {
  const modifier: Modifier = { kind, args: { format, options }, inner: fn };
  const wrapped = function (this: unknown, ...argv: unknown[]) {
    return (fn as AnyFunction).apply(this, argv);
  } as unknown as Wrapped<F>;
  Object.defineProperty(wrapped, MODIFIER, { value: modifier, enumerable: false });
  return wrapped;
}

type Saver = <F extends AnyFunction>(options: SaveOptions, fn: F) => Wrapped<F>;
type Loader = <F extends AnyFunction>(options: LoadOptions, fn: F) => Wrapped<F>;

function saverOf(format: ArtifactFormat): Saver {
  return (options, fn) => wrapArtifact('saveTo', format, options, fn);
}
function loaderOf(format: ArtifactFormat): Loader {
  return (options, fn) => wrapArtifact('loadFrom', format, options, fn);
}

/** A saver node beside the node: `saveTo.csv({ path: source("out_path"), outputName: "save_x" }, fn)`. */
export const saveTo: Record<ArtifactFormat, Saver> = {
  json: saverOf('json'),
  ndjson: saverOf('ndjson'),
  csv: saverOf('csv'),
  parquet: saverOf('parquet')
};

/** A loader node feeding the function's parameter: `loadFrom.csv({ path: source("orders_path") }, (data: Row[]) => data)`. */
export const loadFrom: Record<ArtifactFormat, Loader> = {
  json: loaderOf('json'),
  ndjson: loaderOf('ndjson'),
  csv: loaderOf('csv'),
  parquet: loaderOf('parquet')
};

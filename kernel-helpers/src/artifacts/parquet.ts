import { CodecProblem } from './errors';
import type { Codec } from './codec';
import { parquetLibs } from './parquet-libs';
import { columnsOf } from './parquet-read';
import { writeArrowTable, writeParquet } from './parquet-write';
import { shapeTable } from './shape';
import { checkTypes, refuseColumn, toTable } from './table';

/** Rows per Arrow batch when reading: large enough that per-batch costs vanish. */
const BATCH_ROWS = 65536;

/**
 * Apache Parquet, read and written by parquet-wasm (the Rust parquet crate, as
 * WebAssembly) through Apache Arrow's JS tables: the type mapping is in
 * parquet-write.ts and parquet-read.ts. Every column holds one type, so a column
 * that mixes types, or holds objects, is refused naming it. An apache-arrow
 * Table is also written as it is, and `shape: "arrow"` reads one: no JS value is
 * made per cell, which is what makes a large table as fast to read as pyarrow.
 */
export const parquet: Codec = {
  format: 'parquet',
  encode(value, options) {
    const libs = parquetLibs();
    if (value instanceof libs.arrow.Table) {
      if (options.types || options.columns) throw new CodecProblem('ARTIFACT_OPTION', 'an Arrow table is written with its own types and columns; `types` and `columns` do not apply');
      return { chunks: [writeArrowTable(value, libs, 'dagcells')], rows: value.numRows };
    }
    const table = toTable(value, options);
    for (const c of table.columns) if (c.type === 'nested' || c.type === 'mixed') refuseColumn(c, 'parquet');
    const bytes = writeParquet(table, libs, 'dagcells');
    return { chunks: [bytes], rows: table.rowCount };
  },
  decode(bytes, options) {
    if (bytes.length === 0) throw new CodecProblem('ARTIFACT_EMPTY', 'the file is empty');
    checkTypes(options.types);
    const libs = parquetLibs();
    let ipc: Uint8Array;
    try {
      ipc = libs.wasm.readParquet(bytes, { batchSize: BATCH_ROWS, columns: options.columns }).intoIPCStream();
    } catch (error) {
      if (options.columns) checkColumns(bytes, options.columns);
      throw new CodecProblem('ARTIFACT_MALFORMED', `not a readable parquet file: ${error instanceof Error ? error.message : String(error)}`);
    }
    const table = libs.arrow.tableFromIPC(ipc);
    if (options.shape === 'arrow') {
      if (options.types) throw new CodecProblem('ARTIFACT_OPTION', 'an Arrow table is read with the file\'s own types; `types` does not apply');
      return table;
    }
    const names = table.schema.fields.map(f => f.name);
    const missing = [...(options.columns ?? []), ...Object.keys(options.types ?? {})].find(name => !names.includes(name));
    if (missing !== undefined) {
      // Read with `columns`, the table lacks the others: name them all from the footer.
      if (options.columns) checkColumns(bytes, [...options.columns, ...Object.keys(options.types ?? {})]);
      throw noColumn(missing, names);
    }
    const columns = columnsOf(table, libs, options.types);
    const ordered = options.columns ? options.columns.map(n => columns.find(c => c.name === n)!) : columns;
    return shapeTable(ordered, table.numRows, options.shape);
  }
};

/** Throws ARTIFACT_COLUMN when a column asked for is not in the file (read from its footer alone). */
function checkColumns(bytes: Buffer, wanted: string[]): void {
  let names: string[];
  try {
    const { arrow, wasm } = parquetLibs();
    names = arrow.tableFromIPC(wasm.readSchema(bytes).intoIPCStream()).schema.fields.map(f => f.name);
  } catch {
    return;
  }
  const missing = wanted.find(name => !names.includes(name));
  if (missing !== undefined) throw noColumn(missing, names);
}

function noColumn(name: string, names: string[]): CodecProblem {
  return new CodecProblem('ARTIFACT_COLUMN', `the file has no such column (its columns: ${names.map(n => JSON.stringify(n)).join(', ')})`, { column: name });
}

import { CodecProblem } from './errors';
import type { ParquetLibs } from './parquet-libs';
import type { Table, TableColumn } from './table';
import type * as Arrow from 'apache-arrow';

/**
 * A parquet file of a table, through an Arrow table built from the columns'
 * buffers (the Arrow builders are several times slower for strings) and
 * parquet-wasm's writer. Column types map to parquet as:
 * number -> DOUBLE (FLOAT for a Float32Array), integer -> INT64 (INT8..INT32,
 * UINT8..UINT32 for typed arrays of those), bigint -> INT64, string -> UTF8
 * string, boolean -> BOOLEAN, date -> TIMESTAMP(MILLIS, UTC), a column of nulls
 * only -> the null type. Every column is nullable. Compression is snappy, as
 * pandas and pyarrow write by default; strings are dictionary-encoded.
 */
export function writeParquet(table: Table, libs: ParquetLibs, createdBy: string): Uint8Array {
  const { arrow } = libs;
  const vectors: Record<string, Arrow.Vector> = {};
  for (const c of table.columns) {
    Object.defineProperty(vectors, c.name, { value: vectorOf(c, table.rowCount, arrow), enumerable: true, configurable: true });
  }
  return writeArrowTable(new arrow.Table(vectors), libs, createdBy);
}

/** A parquet file of an Arrow table, as it is: its own types, snappy, strings dictionary-encoded. */
export function writeArrowTable(table: Arrow.Table, libs: ParquetLibs, createdBy: string): Uint8Array {
  const { arrow, wasm } = libs;
  const ipc = arrow.tableToIPC(table, 'stream');
  let props = new wasm.WriterPropertiesBuilder()
    .setCompression(wasm.Compression.SNAPPY)
    .setStatisticsEnabled(wasm.EnabledStatistics.Chunk)
    .setDictionaryEnabled(false)
    .setCreatedBy(createdBy);
  // Dictionaries pay for strings, which repeat; for numbers the writer tries
  // one, finds it too large and falls back, which costs time for nothing.
  for (const field of table.schema.fields) {
    if (arrow.DataType.isUtf8(field.type) || arrow.DataType.isLargeUtf8(field.type)) props = props.setColumnDictionaryEnabled(field.name, true);
  }
  return wasm.writeParquet(wasm.Table.fromIPCStream(ipc), props.build());
}

function vectorOf(c: TableColumn, length: number, arrow: ParquetLibs['arrow']): Arrow.Vector {
  const { values } = c;
  const validity = c.nulls > 0 ? validityOf(values) : undefined;
  const common = { length, nullCount: c.nulls, nullBitmap: validity };
  // A typed array keeps its element type, unless a declared type asks for another.
  const natural = c.typed && typedArrowType(c.typed, arrow);
  if (c.typed && natural && c.type === natural.kind) {
    return arrow.makeVector(arrow.makeData({ type: natural.type as Arrow.Int32, length, nullCount: 0, data: c.typed as Int32Array }));
  }
  switch (c.type) {
    case 'number': {
      if (values instanceof Float64Array) return arrow.makeVector(arrow.makeData({ type: new arrow.Float64(), length, nullCount: 0, data: values }));
      const data = new Float64Array(length);
      for (let i = 0; i < length; i++) data[i] = (values[i] as number | null) ?? 0;
      return arrow.makeVector(arrow.makeData({ type: new arrow.Float64(), ...common, data }));
    }
    case 'integer':
    case 'bigint': {
      const data = new BigInt64Array(length);
      for (let i = 0; i < length; i++) {
        const v = values[i];
        if (v === null || v === undefined) continue;
        const b = typeof v === 'bigint' ? v : BigInt(v as number);
        if (BigInt.asIntN(64, b) !== b) {
          throw new CodecProblem('ARTIFACT_VALUE', `${b} does not fit parquet's 64-bit integers`, { row: i, column: c.name });
        }
        data[i] = b;
      }
      return arrow.makeVector(arrow.makeData({ type: new arrow.Int64(), ...common, data }));
    }
    case 'string': {
      const { offsets, bytes } = utf8Of(values, length);
      return arrow.makeVector(arrow.makeData({ type: new arrow.Utf8(), ...common, valueOffsets: offsets, data: bytes }));
    }
    case 'boolean': {
      const data = new Uint8Array((length + 7) >> 3);
      for (let i = 0; i < length; i++) if (values[i] === true) data[i >> 3] |= 1 << (i & 7);
      return arrow.makeVector(arrow.makeData({ type: new arrow.Bool(), ...common, data }));
    }
    case 'date': {
      const data = new BigInt64Array(length);
      for (let i = 0; i < length; i++) {
        const v = values[i] as Date | null | undefined;
        if (v) data[i] = BigInt(v.getTime());
      }
      return arrow.makeVector(arrow.makeData({ type: new arrow.TimestampMillisecond('UTC'), ...common, data }));
    }
    case 'null':
      return arrow.makeVector(arrow.makeData({ type: new arrow.Null(), length, nullCount: length }));
    default:
      throw new Error(`a ${c.type} column reached the parquet writer`);
  }
}

function typedArrowType(
  typed: NonNullable<TableColumn['typed']>,
  arrow: ParquetLibs['arrow']
): { type: Arrow.DataType; kind: TableColumn['type'] } | undefined {
  if (typed instanceof Float64Array) return { type: new arrow.Float64(), kind: 'number' };
  if (typed instanceof Float32Array) return { type: new arrow.Float32(), kind: 'number' };
  if (typed instanceof BigInt64Array) return { type: new arrow.Int64(), kind: 'bigint' };
  if ((typed as unknown) instanceof BigUint64Array) return { type: new arrow.Uint64(), kind: 'bigint' };
  const type =
    typed instanceof Int32Array ? new arrow.Int32()
    : typed instanceof Int16Array ? new arrow.Int16()
    : typed instanceof Int8Array ? new arrow.Int8()
    : typed instanceof Uint32Array ? new arrow.Uint32()
    : typed instanceof Uint16Array ? new arrow.Uint16()
    : typed instanceof Uint8Array ? new arrow.Uint8()
    : undefined;
  return type && { type, kind: 'integer' };
}

/** Arrow's validity bitmap: bit i set when value i is not null. */
function validityOf(values: ArrayLike<unknown>): Uint8Array {
  const bits = new Uint8Array((values.length + 7) >> 3);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== null && v !== undefined) bits[i >> 3] |= 1 << (i & 7);
  }
  return bits;
}

const encoder = new TextEncoder();

/**
 * The UTF-8 bytes and offsets of a string column. ASCII characters are copied
 * one by one (most strings are ASCII and this is twice as fast as encodeInto for
 * short strings); a string with any other character goes through encodeInto.
 */
function utf8Of(values: ArrayLike<unknown>, length: number): { offsets: Int32Array; bytes: Uint8Array } {
  const offsets = new Int32Array(length + 1);
  let bytes = new Uint8Array(Math.max(64, length * 8));
  let pos = 0;
  for (let i = 0; i < length; i++) {
    const s = values[i];
    if (typeof s === 'string') {
      const n = s.length;
      if (bytes.length - pos < n * 3) {
        const grown = new Uint8Array(Math.max(bytes.length * 2, pos + n * 3));
        grown.set(bytes.subarray(0, pos));
        bytes = grown;
      }
      let j = 0;
      for (; j < n; j++) {
        const code = s.charCodeAt(j);
        if (code > 127) break;
        bytes[pos + j] = code;
      }
      pos += j === n ? n : encoder.encodeInto(s, bytes.subarray(pos)).written;
      if (pos > 0x7fffffff) throw new CodecProblem('ARTIFACT_VALUE', 'the strings of one column exceed 2 GiB', { row: i });
    }
    offsets[i + 1] = pos;
  }
  return { offsets, bytes: bytes.subarray(0, pos) };
}

import { CodecProblem } from './errors';
import type { ParquetLibs } from './parquet-libs';
import type { DecodedColumn } from './shape';
import type { ColumnType } from './types';
import { declaredType } from './table';
import type * as Arrow from 'apache-arrow';

type Data = Arrow.Data;

/**
 * The columns of an Arrow table read from parquet, as JS values. Types map as:
 * 8- to 32-bit integers and floats -> number; 64-bit integers -> number, or
 * bigint for the whole column when one value is beyond 2^53 (or when declared
 * bigint); BOOLEAN -> boolean; strings, also dictionary-encoded ones (pandas
 * categoricals) -> string; TIMESTAMP in any unit and zone, DATE -> Date (whole
 * milliseconds: finer units are truncated; a timestamp without zone is read as
 * UTC); the null type -> null. Any other type is an ARTIFACT_TYPE problem naming
 * the column. A number column without nulls comes as a Float64Array.
 */
export function columnsOf(table: Arrow.Table, libs: ParquetLibs, types: Record<string, ColumnType> = {}): DecodedColumn[] {
  return table.schema.fields.map((field, index) => {
    const vector = table.getChildAt(index)!;
    const name = field.name;
    let values = decode(vector.data, field.type, vector.length, libs, name);
    const declared = declaredType(types, name);
    if (declared) values = applyDeclared(values, declared, field.type, name);
    return { name, values };
  });
}

function decode(chunks: readonly Data[], type: Arrow.DataType, length: number, libs: ParquetLibs, name: string): ArrayLike<unknown> {
  const { DataType, Type } = libs.arrow;
  const nullable = chunks.some(d => d.nullCount > 0);
  if (DataType.isNull(type)) return new Array(length).fill(null);
  if (DataType.isInt(type) && type.bitWidth === 64) return withNulls<unknown>(int64s(chunks, length, type.isSigned), chunks, nullable);
  if ((DataType.isInt(type) || DataType.isFloat(type)) && type.typeId !== Type.Float16) {
    const out = new Float64Array(length);
    let k = 0;
    for (const d of chunks) {
      const v = d.values as Float64Array;
      for (let i = 0; i < d.length; i++) out[k++] = v[d.offset + i];
    }
    return withNulls(out, chunks, nullable);
  }
  if (DataType.isBool(type)) {
    const out = new Array<boolean | null>(length);
    let k = 0;
    for (const d of chunks) {
      const bits = d.values as Uint8Array;
      for (let i = 0; i < d.length; i++) {
        const j = d.offset + i;
        out[k++] = ((bits[j >> 3] >> (j & 7)) & 1) === 1;
      }
    }
    return withNulls(out, chunks, nullable);
  }
  if (DataType.isUtf8(type) || DataType.isLargeUtf8(type)) return withNulls(strings(chunks, length), chunks, nullable);
  if (DataType.isDictionary(type)) return dictionary(chunks, type, length, libs, name);
  if (DataType.isTimestamp(type) || (DataType.isDate(type) && type.unit === libs.arrow.DateUnit.MILLISECOND)) {
    const perMs = DataType.isTimestamp(type) ? [1e-3, 1, 1e3, 1e6][type.unit] : 1;
    return withNulls(dates(millis(chunks, length, perMs)), chunks, nullable);
  }
  if (DataType.isDate(type)) {
    const out = new Array<Date>(length);
    let k = 0;
    for (const d of chunks) {
      const days = d.values as Int32Array;
      for (let i = 0; i < d.length; i++) out[k++] = new Date(days[d.offset + i] * 86_400_000);
    }
    return withNulls(out, chunks, nullable);
  }
  if (type.typeId === Type.Float16) {
    const out = new Float64Array(length);
    let k = 0;
    for (const d of chunks) for (let i = 0; i < d.length; i++) out[k++] = libs.arrow.makeVector(d).get(i) as number;
    return withNulls(out, chunks, nullable);
  }
  throw new CodecProblem(
    'ARTIFACT_TYPE',
    `the column's type ${String(type)} is not one dagcells reads (numbers, strings, booleans, timestamps, dates, nulls)`,
    { column: name }
  );
}

/**
 * 64-bit integers as numbers, read as two 32-bit halves: indexing a
 * BigInt64Array makes a bigint per value, which costs several times more. When a
 * value is beyond 2^53 the whole column is returned as bigints instead.
 */
function int64s(chunks: readonly Data[], length: number, signed: boolean): Float64Array | bigint[] {
  const out = new Float64Array(length);
  let k = 0;
  for (const d of chunks) {
    const v = d.values as BigInt64Array;
    const halves = new Int32Array(v.buffer, v.byteOffset, v.length * 2);
    for (let i = 0; i < d.length; i++) {
      const j = (d.offset + i) * 2;
      const lo = halves[j] >>> 0;
      const hi = signed ? halves[j + 1] : halves[j + 1] >>> 0;
      if (hi > 0x1fffff || hi < -0x200000) return bigints(chunks, length);
      out[k++] = hi * 4294967296 + lo;
    }
  }
  return out;
}

function bigints(chunks: readonly Data[], length: number): bigint[] {
  const out = new Array<bigint>(length);
  let k = 0;
  for (const d of chunks) {
    const v = d.values as BigInt64Array;
    for (let i = 0; i < d.length; i++) out[k++] = v[d.offset + i];
  }
  return out;
}

/**
 * Whole milliseconds (rounded down) of 64-bit times counted `perUnit` per
 * millisecond, without bigints and exactly: nanosecond times of today are beyond
 * 2^53, so the division is split. With v = hi * 2^32 + lo and 2^32 = C * p + D,
 * floor(v / p) = hi * C + floor((hi * D + lo) / p), every term exact in a double.
 */
function millis(chunks: readonly Data[], length: number, perUnit: number): Float64Array {
  const out = new Float64Array(length);
  const p = perUnit;
  const C = Math.floor(4294967296 / p);
  const D = 4294967296 - C * p;
  let k = 0;
  for (const d of chunks) {
    const v = d.values as BigInt64Array;
    const halves = new Int32Array(v.buffer, v.byteOffset, v.length * 2);
    for (let i = 0; i < d.length; i++) {
      const j = (d.offset + i) * 2;
      const lo = halves[j] >>> 0;
      const hi = halves[j + 1];
      if (p <= 1) {
        out[k++] = (hi * 4294967296 + lo) * Math.round(1 / p);
        continue;
      }
      const r = hi * D + lo;
      let q = Math.floor(r / p);
      if (q * p > r) q--;
      else if ((q + 1) * p <= r) q++;
      out[k++] = hi * C + q;
    }
  }
  return out;
}

function dates(ms: Float64Array): Date[] {
  const out = new Array<Date>(ms.length);
  for (let i = 0; i < ms.length; i++) out[i] = new Date(ms[i]);
  return out;
}

/**
 * Strings of UTF-8 buffers. A buffer of ASCII bytes only (the common case) is
 * decoded once and sliced, which is twice as fast as decoding value by value.
 */
function strings(chunks: readonly Data[], length: number): string[] {
  const out = new Array<string>(length);
  let k = 0;
  for (const d of chunks) {
    const offsets = d.valueOffsets as Int32Array | BigInt64Array;
    const bytes = d.values as Uint8Array;
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
    const at = (i: number) => Number(offsets[d.offset + i]);
    let ascii = true;
    for (let i = 0; i < bytes.length; i++) {
      if (bytes[i] > 127) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      const all = buffer.toString('latin1', 0, bytes.length);
      for (let i = 0; i < d.length; i++) out[k++] = all.slice(at(i), at(i + 1));
    } else {
      for (let i = 0; i < d.length; i++) out[k++] = buffer.toString('utf8', at(i), at(i + 1));
    }
  }
  return out;
}

function dictionary(chunks: readonly Data[], type: Arrow.Dictionary, length: number, libs: ParquetLibs, name: string): ArrayLike<unknown> {
  const out = new Array<unknown>(length);
  let k = 0;
  for (const d of chunks) {
    const dict = d.dictionary!;
    const words = decode(dict.data, type.dictionary, dict.length, libs, name);
    const keys = d.values as Int32Array;
    for (let i = 0; i < d.length; i++) out[k++] = words[Number(keys[d.offset + i])];
  }
  return withNulls(out, chunks, chunks.some(d => d.nullCount > 0));
}

/** The values with null where the validity bitmaps say so (a plain array then). */
function withNulls<T>(values: ArrayLike<T>, chunks: readonly Data[], nullable: boolean): ArrayLike<T | null> {
  if (!nullable) return values;
  const out = Array.from(values) as (T | null)[];
  let k = 0;
  for (const d of chunks) {
    const bits = d.nullBitmap;
    if (d.nullCount === 0 || !bits) {
      k += d.length;
      continue;
    }
    for (let i = 0; i < d.length; i++, k++) {
      const j = d.offset + i;
      if (((bits[j >> 3] >> (j & 7)) & 1) === 0) out[k] = null;
    }
  }
  return out;
}

/** The values as the declared type: checked, and converted where that loses nothing. */
function applyDeclared(values: ArrayLike<unknown>, declared: ColumnType, type: Arrow.DataType, name: string): ArrayLike<unknown> {
  const out = new Array<unknown>(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) {
      out[i] = null;
      continue;
    }
    const converted = convert(v, declared);
    if (converted === undefined) {
      throw new CodecProblem('ARTIFACT_TYPE', `the column is declared ${declared} but holds ${String(type)} values (${String(v)} is none)`, {
        row: i,
        column: name
      });
    }
    out[i] = converted;
  }
  return declared === 'number' || declared === 'integer' ? toFloat64IfFull(out) : out;
}

function convert(v: unknown, declared: ColumnType): unknown {
  switch (declared) {
    case 'number':
      return typeof v === 'number' ? v : undefined;
    case 'integer':
      return Number.isSafeInteger(v) ? v : undefined;
    case 'bigint':
      return typeof v === 'bigint' ? v : Number.isSafeInteger(v) ? BigInt(v as number) : undefined;
    case 'string':
      return typeof v === 'string' ? v : undefined;
    case 'boolean':
      return typeof v === 'boolean' ? v : undefined;
    case 'date':
      return v instanceof Date ? v : undefined;
  }
}

function toFloat64IfFull(values: unknown[]): ArrayLike<unknown> {
  return values.every(v => typeof v === 'number') ? Float64Array.from(values as number[]) : values;
}

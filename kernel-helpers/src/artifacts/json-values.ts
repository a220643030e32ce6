import { CodecProblem } from './errors';
import { checkTypes, describe, isPlainObject } from './table';
import type { ColumnType } from './types';

/**
 * JSON text for `value`, with the mapping dagcells documents: a Date becomes its
 * ISO 8601 string, a bigint the string of its digits, a typed array an array.
 * What JSON cannot hold is refused rather than changed without a word (plain
 * JSON.stringify writes NaN as null, a Map as {} and drops functions): NaN and
 * the infinities, invalid Dates, Maps, Sets, functions and symbols are an
 * ARTIFACT_VALUE problem naming where the value is (`$[3].score`).
 */
export function toJSONText(value: unknown, indent?: number, base = '$'): string {
  if (value === undefined) throw new CodecProblem('ARTIFACT_VALUE', 'undefined is not JSON; give a value');
  try {
    return JSON.stringify(value, replacer, indent);
  } catch (error) {
    if (error instanceof NotJSON) {
      const found = findNotJSON(value, base);
      throw new CodecProblem('ARTIFACT_VALUE', `${found ? `${found.path} is ${found.what}` : error.message}; JSON cannot hold it`);
    }
    throw new CodecProblem('ARTIFACT_VALUE', (error as Error).message);
  }
}

class NotJSON extends Error {}

function replacer(this: unknown, key: string, v: unknown): unknown {
  switch (typeof v) {
    case 'number':
      if (!Number.isFinite(v)) throw new NotJSON(`the number ${v}`);
      return v;
    case 'bigint':
      return v.toString();
    case 'function':
    case 'symbol':
      throw new NotJSON(describe(v));
    case 'object': {
      if (v === null) {
        const raw = (this as Record<string, unknown>)[key];
        if (raw instanceof Date) throw new NotJSON('an invalid Date');
        return v;
      }
      if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<unknown>);
      if (v instanceof Map || v instanceof Set || v instanceof WeakMap || v instanceof WeakSet) throw new NotJSON(describe(v));
      return v;
    }
    default:
      return v;
  }
}

/** The path and kind of the first value JSON cannot hold, found again on the error path only. */
function findNotJSON(value: unknown, path: string, seen = new Set<unknown>()): { path: string; what: string } | undefined {
  if (typeof value === 'number' && !Number.isFinite(value)) return { path, what: `the number ${value}` };
  if (typeof value === 'function' || typeof value === 'symbol') return { path, what: describe(value) };
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? { path, what: 'an invalid Date' } : undefined;
  if (value === null || typeof value !== 'object' || seen.has(value)) return undefined;
  if (value instanceof Map || value instanceof Set) return { path, what: describe(value) };
  seen.add(value);
  const entries: [string, unknown][] = Array.isArray(value) || ArrayBuffer.isView(value)
    ? Array.from(value as ArrayLike<unknown>, (v, i) => [`${path}[${i}]`, v])
    : Object.entries(value).map(([k, v]) => [/^[A-Za-z_$][\w$]*$/.test(k) ? `${path}.${k}` : `${path}[${JSON.stringify(k)}]`, v]);
  for (const [p, v] of entries) {
    const found = findNotJSON(v, p, seen);
    if (found) return found;
  }
  return undefined;
}

/** Line and column (1-based) of a character offset of `text`. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: offset - start + 1 };
}

/** The character offset a JSON.parse error names, when it names one. */
export function jsonErrorOffset(error: unknown, text: string): number | undefined {
  const message = error instanceof Error ? error.message : String(error);
  const position = /at position (\d+)/.exec(message);
  if (position) return Number(position[1]);
  const lc = /line (\d+) column (\d+)/.exec(message);
  if (lc) {
    let offset = 0;
    for (let line = 1; line < Number(lc[1]); line++) offset = text.indexOf('\n', offset) + 1;
    return offset + Number(lc[2]) - 1;
  }
  if (/end of JSON input|Unterminated/.test(message)) return text.length;
  return undefined;
}

/**
 * Gives the records of a JSON table their declared column types: an ISO 8601
 * string becomes a Date, a string or number of digits a bigint. A value that
 * cannot be read as its column's type is an ARTIFACT_TYPE problem naming the row
 * (and its line, through `lineOf`).
 */
export function applyJSONTypes(rows: unknown[], types: Record<string, ColumnType>, lineOf: (row: number) => number | undefined): void {
  checkTypes(types);
  const entries = Object.entries(types);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    if (!isPlainObject(row)) {
      throw new CodecProblem('ARTIFACT_TYPE', `column types were declared, but this row is ${describe(row)}, not a record`, { row: i, line: lineOf(i) });
    }
    for (const [name, type] of entries) {
      const v = row[name];
      if (v === null || v === undefined) continue;
      const converted = fromJSONValue(v, type);
      if (converted === undefined) {
        throw new CodecProblem('ARTIFACT_TYPE', `${describe(v)} does not fit the column's declared type, ${type}`, {
          row: i,
          line: lineOf(i),
          column: name
        });
      }
      row[name] = converted;
    }
  }
}

function fromJSONValue(v: unknown, type: ColumnType): unknown {
  switch (type) {
    case 'number':
      return typeof v === 'number' ? v : undefined;
    case 'integer':
      return Number.isSafeInteger(v) ? v : undefined;
    case 'bigint':
      if (typeof v === 'number' && Number.isSafeInteger(v)) return BigInt(v);
      return typeof v === 'string' && /^[+-]?\d+$/.test(v) ? BigInt(v) : undefined;
    case 'string':
      return typeof v === 'string' ? v : undefined;
    case 'boolean':
      return typeof v === 'boolean' ? v : undefined;
    case 'date': {
      if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(v)) return undefined;
      const d = new Date(v);
      return Number.isNaN(d.getTime()) ? undefined : d;
    }
  }
}

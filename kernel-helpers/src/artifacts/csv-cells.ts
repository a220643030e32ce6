import { CodecProblem } from './errors';
import { parseISODate } from './dates';
import type { FoundType } from './table';
import type { ColumnType } from './types';

/**
 * How CSV text becomes typed values, one column at a time. An empty field is
 * null in every column. Without a declared type a column gets the first of
 * these that every one of its non-empty fields fits, else stays strings:
 * boolean (`true`/`false` in any case), integer (digits; bigint when one of them
 * is beyond 2^53), number (decimal or exponent notation, `NaN`, `inf`,
 * `Infinity`, signed), date (ISO 8601, see dates.ts). A declared type is never
 * guessed around: a field that does not fit is an ARTIFACT_TYPE problem naming
 * its row.
 */

const BOOLEAN = /^(?:true|false)$/i;
const INTEGER = /^[+-]?\d+$/;
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const SPECIAL = /^[+-]?(?:nan|inf|infinity)$/i;
const DATE_START = /^\d{4}-\d{2}-\d{2}/;

/** The values of one column of strings, typed as declared or as inferred, and the type used. */
export function typeColumn(fields: string[], declared: ColumnType | undefined, name: string): { values: unknown[]; type: FoundType } {
  const type = declared ?? inferType(fields);
  const values = new Array<unknown>(fields.length);
  const convert = CONVERT[type === 'null' || type === 'mixed' || type === 'nested' ? 'string' : type];
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i];
    if (f === '') {
      values[i] = null;
      continue;
    }
    const v = convert(f);
    if (v === undefined) {
      throw new CodecProblem('ARTIFACT_TYPE', `${fieldText(f)} does not fit the column's declared type, ${type}`, {
        row: i,
        column: name
      });
    }
    values[i] = v;
  }
  return { values, type };
}

const CONVERT: Record<ColumnType, (f: string) => unknown> = {
  string: f => f,
  boolean: f => (BOOLEAN.test(f) ? f.length === 4 : undefined),
  integer: f => {
    if (!INTEGER.test(f)) return undefined;
    const n = Number(f);
    return Number.isSafeInteger(n) ? n : undefined;
  },
  bigint: f => (INTEGER.test(f) ? BigInt(f) : undefined),
  number: f => numberOf(f),
  date: f => {
    const t = parseISODate(f);
    return Number.isNaN(t) ? undefined : new Date(t);
  }
};

/** The number a field writes (decimal, exponent, NaN, inf, Infinity), undefined when none. */
export function numberOf(f: string): number | undefined {
  if (NUMBER.test(f)) return Number(f);
  if (!SPECIAL.test(f)) return undefined;
  const lower = f.toLowerCase();
  if (lower.endsWith('nan')) return NaN;
  return lower.startsWith('-') ? -Infinity : Infinity;
}

/** A field quoted for a message, cut when long. */
export function fieldText(f: string): string {
  return JSON.stringify(f.length > 40 ? f.slice(0, 40) + '...' : f);
}

/** The narrowest type every non-empty field fits, checking each field only against the types still possible. */
export function inferType(fields: string[]): FoundType {
  let boolean = true;
  let integer = true;
  let safe = true;
  let number = true;
  let date = true;
  let any = false;
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i];
    if (f === '') continue;
    any = true;
    if (boolean && !BOOLEAN.test(f)) boolean = false;
    if (integer) {
      if (!INTEGER.test(f)) integer = false;
      else if (safe && !Number.isSafeInteger(Number(f))) safe = false;
    }
    if (number && !integer && numberOf(f) === undefined) number = false;
    if (date && (!DATE_START.test(f) || Number.isNaN(parseISODate(f)))) date = false;
    if (!boolean && !integer && !number && !date) return 'string';
  }
  if (!any) return 'null';
  if (boolean) return 'boolean';
  if (integer) return safe ? 'integer' : 'bigint';
  if (number) return 'number';
  return date ? 'date' : 'string';
}

/** The CSV text of one cell (quoting is the writer's job). */
export function cellText(v: unknown): string {
  switch (typeof v) {
    case 'string':
      return v;
    case 'number':
      return Object.is(v, -0) ? '-0' : String(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'bigint':
      return v.toString();
    case 'object':
      if (v === null) return '';
      if (v instanceof Date) return v.toISOString();
      break;
    case 'undefined':
      return '';
  }
  throw new Error('not a cell');
}

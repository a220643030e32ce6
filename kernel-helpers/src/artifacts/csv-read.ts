import { CodecProblem } from './errors';
import { parseISODate } from './dates';
import { fieldText, numberOf, typeColumn } from './csv-cells';
import type { ColumnType } from './types';

const INTEGER = /^[+-]?\d+$/;
const BOOLEAN = /^(?:true|false)$/i;

/** What the non-empty fields of a column have been so far; no field fits two of them. */
type Family = 'none' | 'boolean' | 'number' | 'date' | 'string';

/**
 * One column being read, field by field as chunks of rows arrive, so that a
 * chunk's rows can be dropped at once (keeping them all alive until the end
 * made garbage collection the largest cost). Each field is parsed when it
 * arrives, into one Float64Array whatever the family: a boolean as 0 or 1, a
 * number, a date as its milliseconds. A column that turns out to be strings
 * after holding typed values, or integers beyond 2^53, is marked `again`: its
 * fields are collected by a second pass over the text (rare: a column of numbers
 * with a word far down).
 */
export class ColumnReader {
  count = 0;
  again = false;
  private nulls = 0;
  private isNull = new Uint8Array(4096);
  private parsed = new Float64Array(4096);
  private strings: (string | null)[] | undefined;
  private family: Family = 'none';

  constructor(
    readonly name: string,
    readonly declared: ColumnType | undefined
  ) {
    if (declared === 'string' || declared === 'bigint') this.strings = [];
    else if (declared) this.family = declared === 'integer' ? 'number' : declared;
  }

  /** Takes the next field; a field that does not fit a declared type is an ARTIFACT_TYPE problem naming its row. */
  push(f: string): void {
    const i = this.count++;
    if (i === this.isNull.length) this.grow();
    if (this.strings) {
      this.strings.push(f === '' ? null : f);
      if (f === '') this.nulls++;
      return;
    }
    if (f === '') {
      this.isNull[i] = 1;
      this.nulls++;
      return;
    }
    if (this.again) return;
    const found = this.parse(f, i);
    if (found === this.family) return;
    if (this.declared) {
      throw new CodecProblem('ARTIFACT_TYPE', `${fieldText(f)} does not fit the column's declared type, ${this.declared}`, { row: i, column: this.name });
    }
    if (this.family === 'none' && found !== 'string') this.family = found;
    else if (this.count - 1 === this.nulls) {
      // Strings from the first value on: keep them, no second pass needed.
      this.family = 'string';
      this.strings = Array.from({ length: i }, () => null);
      this.strings.push(f);
    } else this.again = true;
  }

  /** The family of one field, its value stored at `i`. */
  private parse(f: string, i: number): Family {
    const c = f.charCodeAt(0);
    if (c === 116 || c === 102 || c === 84 || c === 70) {
      if (BOOLEAN.test(f)) {
        this.parsed[i] = f.length === 4 ? 1 : 0;
        return 'boolean';
      }
    }
    if (f.length >= 10 && f.charCodeAt(4) === 45) {
      const t = parseISODate(f);
      if (!Number.isNaN(t)) {
        this.parsed[i] = t;
        return 'date';
      }
    }
    if (INTEGER.test(f)) {
      const n = Number(f);
      // Beyond 2^53: no integer if declared one, else the column may be bigints.
      if (!Number.isSafeInteger(n)) {
        if (this.declared === 'integer') return 'string';
        if (!this.declared) this.again = true;
      }
      this.parsed[i] = n;
      return 'number';
    }
    const n = numberOf(f);
    if (n !== undefined) {
      if (this.declared === 'integer') return 'string';
      this.parsed[i] = n;
      return 'number';
    }
    return 'string';
  }

  private grow(): void {
    const isNull = new Uint8Array(this.isNull.length * 2);
    isNull.set(this.isNull);
    this.isNull = isNull;
    const parsed = new Float64Array(this.parsed.length * 2);
    parsed.set(this.parsed);
    this.parsed = parsed;
  }

  /** The column's values (call only when `again` is false). */
  values(): ArrayLike<unknown> {
    const n = this.count;
    if (this.strings) return this.declared === 'bigint' ? bigints(this.strings, this.name) : this.strings;
    const { isNull, parsed } = this;
    switch (this.family) {
      case 'none':
        return new Array(n).fill(null);
      case 'boolean':
        return Array.from({ length: n }, (_, i) => (isNull[i] ? null : parsed[i] === 1));
      case 'number': {
        const numbers = parsed.slice(0, n);
        if (this.nulls === 0) return numbers;
        return Array.from(numbers, (v, i) => (isNull[i] ? null : v));
      }
      case 'date':
        return Array.from({ length: n }, (_, i) => (isNull[i] ? null : new Date(parsed[i])));
      default:
        throw new Error(`no values for a ${this.family} column`);
    }
  }
}

function bigints(strings: (string | null)[], name: string): (bigint | null)[] {
  return strings.map((s, row) => {
    if (s === null) return null;
    if (INTEGER.test(s)) return BigInt(s);
    throw new CodecProblem('ARTIFACT_TYPE', `${fieldText(s)} does not fit the column's declared type, bigint`, { row, column: name });
  });
}

/** The values of a column read again from its fields: the rules of csv-cells.ts, all fields at hand. */
export function valuesAgain(fields: string[], column: ColumnReader): ArrayLike<unknown> {
  return typeColumn(fields, column.declared, column.name).values;
}

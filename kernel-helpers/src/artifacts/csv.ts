import Papa from 'papaparse';
import { CodecProblem } from './errors';
import type { Codec } from './codec';
import { fileText } from './codec';
import { cellText } from './csv-cells';
import { ColumnReader, valuesAgain } from './csv-read';
import { shapeTable, type DecodedColumn } from './shape';
import { checkTypes, declaredType, refuseColumn, toTable, type TableColumn } from './table';
import type { ColumnType, ReadOptions } from './types';

const ROWS_PER_CHUNK = 8192;
/** Characters of text parsed at a time: each chunk's rows die young, which keeps garbage collection cheap. */
const CHUNK_CHARS = 1 << 20;

/**
 * CSV (RFC 4180): a header row of column names, then one row per record. Cells
 * are written as csv-cells.ts says (null as an empty field, Dates as ISO 8601
 * in UTC) and quoted only where they must be; papaparse writes and reads the
 * quoting. Reading infers or checks each column's type (csv-cells.ts); a row
 * with another number of fields than the header, or an unclosed quote, is an
 * error naming its line.
 */
export const csv: Codec = {
  format: 'csv',
  encode(value, options) {
    const delimiter = checkDelimiter(options.delimiter);
    const table = toTable(value, options);
    for (const c of table.columns) if (c.type === 'nested') refuseColumn(c, 'csv');
    return { chunks: csvChunks(table.columns, table.rowCount, delimiter), rows: table.rowCount };
  },
  decode(bytes, options) {
    if (bytes.length === 0) throw new CodecProblem('ARTIFACT_EMPTY', 'the file is empty (no header row)');
    const delimiter = checkDelimiter(options.delimiter);
    checkTypes(options.types);
    const text = fileText(bytes);
    if (text.trim() === '') return shapeTable([], 0, options.shape);
    return readCsv(text, delimiter, options);
  }
};

/**
 * The table of a CSV text. Papaparse parses it a chunk at a time; each chunk's
 * fields go to the column readers (csv-read.ts) and its rows are dropped. An
 * empty line is no row, but in a one-column file it is a null value (which is
 * how a null of a one-column table is written); only the line break that ends
 * the file never makes a row.
 */
function readCsv(text: string, delimiter: string, options: ReadOptions): ReturnType<typeof shapeTable> {
  let linebreak = '\n';
  const lineOf = (record: number) => lineOfRecord(text, record, linebreak);
  let header: string[] | undefined;
  let readers: ColumnReader[] = [];
  let wanted: { name: string; index: number }[] = [];
  let records = 0;
  let rows = 0;
  let pendingEmpty = 0;
  // Records are counted to name lines; rows are the records that make rows.
  const rowRecords: number[] = [];
  const take = (record: string[], index: number) => {
    rowRecords.push(index);
    for (let j = 0; j < readers.length; j++) {
      try {
        readers[j].push(record[wanted[j].index]);
      } catch (error) {
        throw located(error, index, lineOf);
      }
    }
    rows++;
  };
  Papa.parse<string[]>(text, {
    delimiter,
    header: false,
    dynamicTyping: false,
    skipEmptyLines: false,
    chunkSize: CHUNK_CHARS,
    complete() {},
    chunk(results: Papa.ParseResult<string[]>) {
      linebreak = results.meta.linebreak || linebreak;
      if (results.errors.length > 0) {
        const e = results.errors[0];
        throw new CodecProblem('ARTIFACT_MALFORMED', `${e.message.replace(/\.$/, '')} (${e.code})`, { line: lineOf(records + (e.row ?? 0)) });
      }
      for (const record of results.data) {
        const index = records++;
        if (!header) {
          header = record;
          checkHeader(record);
          wanted = selectColumns(record, options.columns, options.types);
          readers = wanted.map(w => new ColumnReader(w.name, declaredType(options.types, w.name)));
          continue;
        }
        if (record.length === 1 && record[0] === '' && header.length > 1) continue;
        if (record.length === 1 && record[0] === '') {
          pendingEmpty++;
          continue;
        }
        for (; pendingEmpty > 0; pendingEmpty--) take([''], index - pendingEmpty);
        if (record.length !== header.length) {
          throw new CodecProblem(
            'ARTIFACT_MALFORMED',
            `the row has ${record.length} field${record.length === 1 ? '' : 's'} but the header has ${header.length}`,
            { line: lineOf(index), row: rows }
          );
        }
        take(record, index);
      }
    }
  });
  // The line break that ends the file is no row.
  if (pendingEmpty > 0 && /[\r\n]$/.test(text)) pendingEmpty--;
  for (; pendingEmpty > 0; pendingEmpty--) take([''], records - pendingEmpty);
  const again = readers.filter(r => r.again);
  const fields = again.length > 0 ? fieldsAgain(text, delimiter, again.map(r => wanted[readers.indexOf(r)].index), rowRecords) : [];
  const columns: DecodedColumn[] = readers.map(r => {
    const k = again.indexOf(r);
    if (k === -1) return { name: r.name, values: r.values() };
    try {
      return { name: r.name, values: valuesAgain(fields[k], r) };
    } catch (error) {
      throw located(error, error instanceof CodecProblem && error.where.row !== undefined ? rowRecords[error.where.row] : 0, lineOf);
    }
  });
  return shapeTable(columns, rows, options.shape);
}

/** The problem of a field, with the line of its record. */
function located(error: unknown, record: number, lineOf: (record: number) => number): unknown {
  if (error instanceof CodecProblem && error.where.row !== undefined) {
    return new CodecProblem(error.code, error.detail, { ...error.where, line: lineOf(record) });
  }
  return error;
}

/** The fields of some columns (by index), for the rows made by the records `rowRecords`: a second parse. */
function fieldsAgain(text: string, delimiter: string, indexes: number[], rowRecords: number[]): string[][] {
  const out = indexes.map(() => new Array<string>(rowRecords.length));
  let record = 0;
  let row = 0;
  Papa.parse<string[]>(text, {
    delimiter,
    header: false,
    skipEmptyLines: false,
    chunkSize: CHUNK_CHARS,
    complete() {},
    chunk(results: Papa.ParseResult<string[]>) {
      for (const r of results.data) {
        if (row < rowRecords.length && rowRecords[row] === record) {
          for (let k = 0; k < indexes.length; k++) out[k][row] = r[indexes[k]] ?? '';
          row++;
        }
        record++;
      }
    }
  });
  return out;
}

function checkDelimiter(delimiter: string | undefined): string {
  const d = delimiter ?? ',';
  if (d.length !== 1 || d === '"' || d === '\n' || d === '\r') {
    throw new CodecProblem('ARTIFACT_OPTION', `the delimiter must be one character other than a quote or line break, not ${JSON.stringify(d)}`);
  }
  return d;
}

function checkHeader(header: string[]): void {
  const seen = new Map<string, number>();
  header.forEach((name, i) => {
    const before = seen.get(name);
    if (before !== undefined) {
      throw new CodecProblem('ARTIFACT_MALFORMED', `the header names column ${JSON.stringify(name)} twice (fields ${before + 1} and ${i + 1})`, { line: 1 });
    }
    seen.set(name, i);
  });
}

function selectColumns(header: string[], only: string[] | undefined, types: Record<string, ColumnType> | undefined) {
  const index = new Map(header.map((name, i) => [name, i]));
  for (const name of [...(only ?? []), ...Object.keys(types ?? {})]) {
    if (!index.has(name)) {
      throw new CodecProblem('ARTIFACT_COLUMN', `the file has no such column (its columns: ${header.map(h => JSON.stringify(h)).join(', ')})`, { column: name });
    }
  }
  return (only ?? header).map(name => ({ name, index: index.get(name)! }));
}

/**
 * The 1-based line a record starts on. Without a quote in the file a record is a
 * line; otherwise line breaks inside quoted fields are counted too (RFC 4180
 * quoting, where a doubled quote leaves the quoted field open). Used only to
 * name the line of a problem.
 */
export function lineOfRecord(text: string, record: number, linebreak: string): number {
  if (!text.includes('"')) return record + 1;
  let line = 1;
  let current = 0;
  let quoted = false;
  for (let i = 0; i < text.length && current < record; i++) {
    const ch = text[i];
    if (ch === '"') quoted = !quoted;
    else if (text.startsWith(linebreak, i)) {
      line++;
      i += linebreak.length - 1;
      if (!quoted) current++;
    }
  }
  return line;
}

function* csvChunks(columns: TableColumn[], rowCount: number, delimiter: string): Generator<string> {
  const names = columns.map(c => c.name);
  // A one-column row whose cell is empty would be an empty line, which readers
  // skip: quote it, so that the row stays.
  const config: Papa.UnparseConfig = {
    delimiter,
    newline: '\n',
    quotes: columns.length === 1 ? (v: unknown) => v === '' : false,
    escapeFormulae: false
  };
  yield Papa.unparse([names], config) + '\n';
  const texts = columns.map(() => new Array<string>(0));
  for (let from = 0; from < rowCount; from += ROWS_PER_CHUNK) {
    const to = Math.min(rowCount, from + ROWS_PER_CHUNK);
    columns.forEach((c, j) => {
      const out = (texts[j] = new Array<string>(to - from));
      const values = c.values;
      for (let i = from; i < to; i++) {
        try {
          out[i - from] = cellText(values[i]);
        } catch {
          throw new CodecProblem('ARTIFACT_VALUE', `cannot write this value in a csv cell`, { row: i, column: c.name });
        }
      }
    });
    const rows = new Array<string[]>(to - from);
    for (let i = 0; i < to - from; i++) {
      const row = new Array<string>(columns.length);
      for (let j = 0; j < columns.length; j++) row[j] = texts[j][i];
      rows[i] = row;
    }
    yield Papa.unparse(rows, config) + '\n';
  }
}

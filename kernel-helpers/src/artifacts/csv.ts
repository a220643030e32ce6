import Papa from 'papaparse';
import { CodecProblem } from './errors';
import type { Codec } from './codec';
import { fileText } from './codec';
import { cellText, typeColumn } from './csv-cells';
import { shapeTable, type DecodedColumn } from './shape';
import { declaredType, refuseColumn, toTable, type TableColumn } from './table';
import type { ColumnType } from './types';

const ROWS_PER_CHUNK = 8192;

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
    const text = fileText(bytes);
    if (text.trim() === '') return shapeTable([], 0, options.shape);
    const parsed = Papa.parse<string[]>(text, { delimiter, header: false, dynamicTyping: false, skipEmptyLines: false });
    const linebreak = parsed.meta.linebreak || '\n';
    const lineOf = (record: number) => lineOfRecord(text, record, linebreak);
    if (parsed.errors.length > 0) {
      const e = parsed.errors[0];
      const record = e.row ?? 0;
      throw new CodecProblem('ARTIFACT_MALFORMED', `${e.message.replace(/\.$/, '')} (${e.code})`, { line: lineOf(record) });
    }
    const records = parsed.data;
    const header = records[0];
    checkHeader(header);
    const width = header.length;
    // An empty line is no row, but in a one-column file it is a null value
    // (which is how a null of a one-column table is written); only the line
    // break that ends the file never makes a row.
    let last = records.length;
    if (last > 1 && records[last - 1].length === 1 && records[last - 1][0] === '') last--;
    const rows: number[] = [];
    for (let r = 1; r < last; r++) {
      const record = records[r];
      if (record.length === width) rows.push(r);
      else if (!(record.length === 1 && record[0] === '')) {
        throw new CodecProblem(
          'ARTIFACT_MALFORMED',
          `the row has ${record.length} field${record.length === 1 ? '' : 's'} but the header has ${width}`,
          { line: lineOf(r), row: rows.length }
        );
      }
    }
    const wanted = selectColumns(header, options.columns, options.types);
    const columns: DecodedColumn[] = wanted.map(({ name, index }) => {
      const fields = new Array<string>(rows.length);
      for (let i = 0; i < rows.length; i++) fields[i] = records[rows[i]][index];
      try {
        return { name, values: typeColumn(fields, declaredType(options.types, name), name).values };
      } catch (error) {
        if (error instanceof CodecProblem && error.where.row !== undefined) {
          throw new CodecProblem(error.code, error.detail, { ...error.where, line: lineOf(rows[error.where.row]) });
        }
        throw error;
      }
    });
    return shapeTable(columns, rows.length, options.shape);
  }
};

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

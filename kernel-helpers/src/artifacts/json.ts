import { CodecProblem } from './errors';
import type { Codec } from './codec';
import { fileText } from './codec';
import { applyJSONTypes, jsonErrorOffset, lineAndColumn, toJSONText } from './json-values';
import { isTable, toTable } from './table';
import { rowsOf } from './shape';

/**
 * One JSON value per file: any value JSON can hold (see `toJSONText` for Dates,
 * bigints and what is refused). A column-oriented table is written as its
 * records, so that every table reads back as an array of records.
 */
export const json: Codec = {
  format: 'json',
  encode(value, options) {
    const table = !Array.isArray(value) && isTable(value) ? toTable(value, options) : undefined;
    const data = table ? rowsOf(table.columns, table.rowCount) : value;
    const text = toJSONText(data, options.indent);
    return { chunks: [text, '\n'], rows: Array.isArray(data) ? data.length : undefined };
  },
  decode(bytes, options) {
    const text = fileText(bytes);
    if (text.trim() === '') throw new CodecProblem('ARTIFACT_EMPTY', 'the file is empty');
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      const offset = jsonErrorOffset(error, text);
      const where = offset === undefined ? {} : { line: lineAndColumn(text, offset).line };
      const at = offset === undefined ? '' : ` (column ${lineAndColumn(text, offset).column})`;
      throw new CodecProblem('ARTIFACT_MALFORMED', `not JSON: ${(error as Error).message}${at}`, where);
    }
    if (options.types) {
      if (!Array.isArray(value)) throw new CodecProblem('ARTIFACT_TYPE', 'column types were declared, but the file holds no array of records');
      applyJSONTypes(value, options.types, () => undefined);
    }
    if (options.shape === 'columns') return toColumns(value);
    return value;
  }
};

/** The columns of an array of records read from JSON. */
export function toColumns(value: unknown): Record<string, unknown[]> {
  if (!Array.isArray(value) || !isTable(value)) {
    throw new CodecProblem('ARTIFACT_TYPE', 'shape "columns" was asked for, but the file holds no array of records');
  }
  const table = toTable(value);
  const out: Record<string, unknown[]> = {};
  for (const c of table.columns) {
    Object.defineProperty(out, c.name, { value: Array.from(c.values, v => (v === undefined ? null : v)), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

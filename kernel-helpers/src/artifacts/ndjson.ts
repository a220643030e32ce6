import { CodecProblem } from './errors';
import type { Codec } from './codec';
import { fileText } from './codec';
import { applyJSONTypes, toJSONText } from './json-values';
import { toColumns } from './json';
import { describe, isColumns, isTable, toTable, type Table } from './table';
import { rowsOf } from './shape';

const ROWS_PER_CHUNK = 8192;

/**
 * Newline-delimited JSON: one JSON value per line, each element of an array (a
 * table's rows, most often). Values map as in the json format. Blank lines are
 * skipped on reading; a line that is not JSON is an error naming it.
 */
export const ndjson: Codec = {
  format: 'ndjson',
  encode(value, options) {
    let items: unknown[];
    if (isColumns(value) || (Array.isArray(value) && (options.columns || options.types) && isTable(value))) {
      const table = toTable(value, options);
      items = rowsOf(table.columns, table.rowCount);
    } else if (Array.isArray(value)) {
      items = value;
    } else {
      throw new CodecProblem('ARTIFACT_VALUE', `ndjson holds an array (one line per element), not ${describe(value)}`);
    }
    const fast = fastRows(items);
    return { chunks: lines(items, fast), rows: items.length };
  },
  decode(bytes, options) {
    const text = fileText(bytes);
    if (text.trim() === '') throw new CodecProblem('ARTIFACT_EMPTY', 'the file is empty');
    const items: unknown[] = [];
    const lineOfRow: number[] = [];
    let line = 0;
    let start = 0;
    while (start <= text.length) {
      let end = text.indexOf('\n', start);
      if (end === -1) end = text.length;
      line++;
      const content = text.slice(start, end);
      start = end + 1;
      if (content.trim() === '') continue;
      try {
        items.push(JSON.parse(content));
      } catch (error) {
        throw new CodecProblem('ARTIFACT_MALFORMED', `the line is not JSON: ${(error as Error).message}`, { line, row: items.length });
      }
      lineOfRow.push(line);
    }
    if (options.types) applyJSONTypes(items, options.types, row => lineOfRow[row]);
    if (options.shape === 'columns') return toColumns(items);
    return items;
  }
};

/**
 * True when the items are records of plain JSON scalars that JSON.stringify
 * writes exactly as dagcells maps them, so each line can skip the checking
 * replacer (several times slower): no bigint, no non-finite number, no nested
 * value, no invalid Date. Found column by column, which is fast.
 */
function fastRows(items: unknown[]): boolean {
  if (items.length === 0) return false;
  let table: Table;
  try {
    table = toTable(items);
  } catch {
    return false;
  }
  for (const c of table.columns) {
    if (c.type === 'bigint' || c.type === 'nested' || c.type === 'mixed') return false;
    if (c.type === 'number') {
      for (let i = 0; i < c.values.length; i++) {
        const v = c.values[i];
        if (typeof v === 'number' && !Number.isFinite(v)) return false;
      }
    }
  }
  return true;
}

function* lines(items: unknown[], fast: boolean): Generator<string> {
  for (let from = 0; from < items.length; from += ROWS_PER_CHUNK) {
    const to = Math.min(items.length, from + ROWS_PER_CHUNK);
    const parts = new Array<string>(to - from);
    for (let i = from; i < to; i++) {
      const item = items[i];
      if (item === undefined) throw new CodecProblem('ARTIFACT_VALUE', 'undefined is not JSON; give a value', { row: i });
      try {
        parts[i - from] = fast ? JSON.stringify(item) : toJSONText(item, undefined, `$[${i}]`);
      } catch (error) {
        throw error instanceof CodecProblem ? new CodecProblem(error.code, error.detail, { row: i }) : error;
      }
    }
    yield parts.join('\n') + '\n';
  }
}

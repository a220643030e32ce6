/**
 * Compact, JSON-safe previews of any value, for the panel: bounded in size
 * whatever the value (a million-element array gives a few items and a length),
 * safe with cycles, and always with a one-line `text`.
 */

/**
 * A value as the panel shows it. `text` is always there: a one-line summary.
 * A run's results also carry `json`, the value as JSON text (when it has a
 * JSON form of bounded size), for copying.
 */
export type ValuePreview = (
  | { kind: 'number' | 'string' | 'boolean' | 'null' | 'undefined' | 'bigint' | 'date' | 'symbol' | 'function'; text: string }
  | { kind: 'error'; text: string; name: string }
  | { kind: 'array'; text: string; length: number; items: ValuePreview[]; typeName?: string }
  | { kind: 'table'; text: string; columns: string[]; rows: string[][]; totalRows: number }
  | { kind: 'map' | 'set'; text: string; size: number; entries: [ValuePreview, ValuePreview][] }
  | { kind: 'object'; text: string; typeName?: string; entries: [string, ValuePreview][]; totalKeys: number }
) & { json?: string };

/** How much a preview holds at most. */
export const LIMITS = { items: 20, rows: 10, columns: 12, string: 200, depth: 3, text: 240 };

/**
 * How much a run's result holds at most: every row of a table up to `rows`
 * (the panel pages through them), and its JSON up to `json` characters.
 */
export const RESULT_LIMITS = { rows: 1000, json: 512 * 1024 };

export interface PreviewOptions {
  /** A run's result: all rows (up to {@link RESULT_LIMITS}) and the JSON text. */
  result?: boolean;
}

/** A preview of a value. */
export function preview(value: unknown, options: PreviewOptions = {}): ValuePreview {
  const shown = new Previewer(options.result ? RESULT_LIMITS.rows : LIMITS.rows).preview(value, 0);
  if (options.result) {
    const json = jsonOf(value);
    if (json !== undefined) {
      shown.json = json;
    }
  }
  return shown;
}

/** The value as JSON text, when it has one no longer than the limit. */
function jsonOf(value: unknown): string | undefined {
  try {
    const text = JSON.stringify(value, (_, v) => (typeof v === 'bigint' ? v.toString() : v), 2);
    return text !== undefined && text.length <= RESULT_LIMITS.json ? text : undefined;
  } catch {
    return undefined; // a cycle, or a value whose toJSON throws
  }
}

class Previewer {
  private readonly seen = new Set<object>();

  constructor(private readonly rowLimit: number = LIMITS.rows) {}

  preview(value: unknown, depth: number): ValuePreview {
    switch (typeof value) {
      case 'number':
        return { kind: 'number', text: Object.is(value, -0) ? '-0' : String(value) };
      case 'string':
        return { kind: 'string', text: clip(value, LIMITS.string) };
      case 'boolean':
        return { kind: 'boolean', text: String(value) };
      case 'bigint':
        return { kind: 'bigint', text: `${value}n` };
      case 'undefined':
        return { kind: 'undefined', text: 'undefined' };
      case 'symbol':
        return { kind: 'symbol', text: value.toString() };
      case 'function':
        return { kind: 'function', text: `ƒ ${value.name || '(anonymous)'}` };
    }
    if (value === null) {
      return { kind: 'null', text: 'null' };
    }
    const object = value as object;
    if (value instanceof Date) {
      return { kind: 'date', text: Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString() };
    }
    if (value instanceof Error) {
      return { kind: 'error', name: value.name, text: clip(`${value.name}: ${value.message}`, LIMITS.string) };
    }
    if (this.seen.has(object) || depth > LIMITS.depth) {
      return { kind: 'object', text: this.seen.has(object) ? '[circular]' : '{…}', entries: [], totalKeys: 0 };
    }
    this.seen.add(object);
    try {
      if (Array.isArray(value)) {
        return this.records(value) ?? this.list(value, depth);
      }
      if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
        return this.list(value as unknown as ArrayLike<unknown>, depth, object.constructor.name);
      }
      if (value instanceof Map) {
        return this.entries('map', [...take(value.entries(), LIMITS.items)], value.size, depth);
      }
      if (value instanceof Set) {
        return this.entries('set', [...take(value.values(), LIMITS.items)].map(v => [v, v]), value.size, depth);
      }
      return this.object(object, depth);
    } finally {
      this.seen.delete(object);
    }
  }

  private list(values: ArrayLike<unknown>, depth: number, typeName?: string): ValuePreview {
    const length = values.length;
    const items: ValuePreview[] = [];
    for (let i = 0; i < Math.min(length, LIMITS.items); i++) {
      items.push(this.preview(values[i], depth + 1));
    }
    const shown = items.map(inner).join(', ') + (length > items.length ? `, … ${length - items.length} more` : '');
    const text = `${typeName ? `${typeName}(${length}) ` : length > LIMITS.items ? `Array(${length}) ` : ''}[${shown}]`;
    return { kind: 'array', length, items, ...(typeName ? { typeName } : {}), text: clip(text, LIMITS.text) };
  }

  /** An array of plain records with shared keys: a table. */
  private records(values: unknown[]): ValuePreview | undefined {
    if (values.length === 0 || !values.every(isPlainRecord)) {
      return undefined;
    }
    const columns: string[] = [];
    for (const row of values.slice(0, this.rowLimit) as Record<string, unknown>[]) {
      for (const key of Object.keys(row)) {
        if (!columns.includes(key) && columns.length < LIMITS.columns) {
          columns.push(key);
        }
      }
    }
    const rows = (values.slice(0, this.rowLimit) as Record<string, unknown>[]).map(row =>
      columns.map(column => cell(row[column]))
    );
    return {
      kind: 'table',
      columns,
      rows,
      totalRows: values.length,
      text: clip(`${values.length} row${values.length === 1 ? '' : 's'} × ${columns.join(', ')}`, LIMITS.text)
    };
  }

  private entries(kind: 'map' | 'set', pairs: [unknown, unknown][], size: number, depth: number): ValuePreview {
    const entries = pairs.map(([k, v]) => [this.preview(k, depth + 1), this.preview(v, depth + 1)] as [ValuePreview, ValuePreview]);
    const shown = entries.map(([k, v]) => (kind === 'map' ? `${inner(k)} => ${inner(v)}` : inner(v))).join(', ');
    const more = size > entries.length ? `, … ${size - entries.length} more` : '';
    return { kind, size, entries, text: clip(`${kind === 'map' ? 'Map' : 'Set'}(${size}) {${shown}${more}}`, LIMITS.text) };
  }

  private object(object: object, depth: number): ValuePreview {
    const keys = Object.keys(object);
    const entries = keys.slice(0, LIMITS.items).map(key => {
      let value: unknown;
      try {
        value = (object as Record<string, unknown>)[key];
      } catch (error) {
        value = error;
      }
      return [key, this.preview(value, depth + 1)] as [string, ValuePreview];
    });
    const ctor = (object as { constructor?: { name?: string } }).constructor?.name;
    const typeName = ctor && ctor !== 'Object' ? ctor : undefined;
    const shown = entries.map(([k, v]) => `${k}: ${inner(v)}`).join(', ');
    const more = keys.length > entries.length ? `, … ${keys.length - entries.length} more` : '';
    return {
      kind: 'object',
      entries,
      totalKeys: keys.length,
      ...(typeName ? { typeName } : {}),
      text: clip(`${typeName ? `${typeName} ` : ''}{${shown}${more}}`, LIMITS.text)
    };
  }
}

/** A value's text inside a container: strings quoted. */
function inner(preview: ValuePreview): string {
  return preview.kind === 'string' ? JSON.stringify(preview.text) : preview.text;
}

/** A table cell's text: short and on one line. */
function cell(value: unknown): string {
  const text = value !== null && typeof value === 'object' ? new Previewer().preview(value, LIMITS.depth).text : preview(value).text;
  return clip(text.replace(/\s+/g, ' '), 60);
}

function isPlainRecord(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return false;
  }
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function* take<T>(iterable: Iterable<T>, count: number): Iterable<T> {
  if (count <= 0) {
    return;
  }
  let taken = 0;
  for (const item of iterable) {
    yield item;
    if (++taken >= count) {
      return;
    }
  }
}

function clip(text: string, limit: number): string {
  return text.length > limit ? `${text.slice(0, limit - 1)}…` : text;
}

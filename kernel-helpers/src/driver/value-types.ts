/**
 * A quick run-time check of an input value against the type its consumer
 * declares, for the plain types people pass as inputs (numbers, strings,
 * booleans, arrays of them, dates, null). Anything richer is taken on trust:
 * without the type checker, only a certain mismatch is reported.
 */

const PRIMITIVES = new Set(['number', 'string', 'boolean', 'bigint', 'symbol', 'undefined']);
/** Elements of an array checked: enough to catch a wrong kind of array, cheap on a large one. */
const SAMPLE = 100;

/** False only when the value certainly is not of the declared type. */
export function valueMatchesType(value: unknown, type: string): boolean {
  const text = type.replace(/\s+/g, ' ').trim();
  const members = splitTopLevel(text, '|');
  if (members.length > 1) {
    return members.some(m => valueMatchesType(value, m));
  }
  if (text.startsWith('(') && text.endsWith(')')) {
    return valueMatchesType(value, text.slice(1, -1));
  }
  if (PRIMITIVES.has(text)) {
    return typeof value === text;
  }
  if (text === 'null') {
    return value === null;
  }
  if (text === 'Date') {
    return value instanceof Date;
  }
  const element = arrayElement(text);
  if (element !== undefined) {
    if (!Array.isArray(value)) {
      return false;
    }
    const n = Math.min(value.length, SAMPLE);
    for (let i = 0; i < n; i++) {
      if (!valueMatchesType(value[i], element)) {
        return false;
      }
    }
    return true;
  }
  return true;
}

/** `T[]`, `readonly T[]`, `Array<T>`, `ReadonlyArray<T>`: the element type T. */
function arrayElement(text: string): string | undefined {
  const plain = text.startsWith('readonly ') ? text.slice('readonly '.length) : text;
  if (plain.endsWith('[]')) {
    return plain.slice(0, -2);
  }
  const generic = /^(?:Readonly)?Array<(.*)>$/.exec(plain);
  return generic ? generic[1] : undefined;
}

/** Splits on a separator outside brackets, braces, parentheses and angle brackets. */
function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '(' || ch === '[' || ch === '{' || ch === '<') {
      depth++;
    } else if (ch === ')' || ch === ']' || ch === '}' || (ch === '>' && text[i - 1] !== '=')) {
      depth--;
    } else if (ch === separator && depth === 0) {
      parts.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(text.slice(start).trim());
  return parts.filter(p => p.length > 0);
}

/** A value in a few words, for a message: `an array of 3`, `a string ("US")`. */
export function describeValue(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  if (Array.isArray(value)) {
    return `an array of ${value.length}`;
  }
  const type = typeof value;
  const shown = type === 'string' ? JSON.stringify(value).slice(0, 40) : type === 'object' ? '' : String(value);
  return `${type === 'object' ? 'an object' : `a ${type}`}${shown ? ` (${shown})` : ''}`;
}

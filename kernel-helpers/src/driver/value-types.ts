/**
 * Run-time checks of an input value against the type its consumer declares.
 * `valueMatchesType` reads plain type text (numbers, strings, booleans, arrays
 * of them, dates, null) and needs nothing else, for the kernel's small bundle.
 * `valueFault` follows a type model (records, elements, unions, optional
 * fields, named types) in depth and names the first element and field at
 * fault; the analysis parses type text into such models. Anything richer is
 * taken on trust: without the type checker, only a certain mismatch is reported.
 */
import type { TypeModel } from '../analysis/type-model';

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

const PLAIN_WORDS = new Set([...PRIMITIVES, 'null', 'Date', 'readonly', 'Array', 'ReadonlyArray']);

/**
 * True when `valueMatchesType` judges a type completely: primitives, null,
 * Date, and arrays and unions of them. Records, literals and named types need
 * the check in depth.
 */
export function isPlainType(type: string): boolean {
  return type.split(/[\s|()[\]<>]+/).every(word => word === '' || PLAIN_WORDS.has(word));
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

/**
 * Where a value departs from a type, in depth: the path to the first element
 * or field at fault (`[1].amount`) and a sentence saying what is wrong there.
 */
export interface ValueFault {
  /** `[1].amount`; empty for the value itself. */
  path: string;
  /** `[1].amount is missing; Sale needs amount: number` */
  message: string;
}

/** Looks up a named type (an alias or an interface) as a type model. */
export type TypeModelLookup = (name: string) => TypeModel | undefined;

/** How deep a check follows nested types before it trusts the rest. */
const MAX_DEPTH = 40;
/** Elements of an array checked: every one of any array a person types, a sample of a huge one. */
const ELEMENTS = 10_000;

/**
 * The first place where a value is not of a type, or undefined when it is (or
 * when the type is beyond what a check without the type checker can judge:
 * generics, mapped and conditional types, unknown names). Record fields,
 * array and tuple elements, unions, literals and optional fields are followed.
 *
 * @example
 * ```ts
 * valueFault([{ region: "US", amount: 1 }, { region: "EU" }], parseType("Sale[]"), lookup)
 * // { path: "[1].amount", message: "[1].amount is missing; Sale needs amount: number" }
 * ```
 */
export function valueFault(value: unknown, type: TypeModel, lookup?: TypeModelLookup): ValueFault | undefined {
  return new FaultFinder(lookup).check(value, type, '', undefined, 0);
}

class FaultFinder {
  constructor(private readonly lookup?: TypeModelLookup) {}

  check(value: unknown, type: TypeModel, path: string, owner: string | undefined, depth: number): ValueFault | undefined {
    if (depth > MAX_DEPTH) {
      return undefined;
    }
    const next = depth + 1;
    switch (type.k) {
      case 'any':
        return undefined;
      case 'never':
        return fault(path, `${at(path)} should not be given at all (never)`);
      case 'prim':
        return primitiveMatches(value, type.name) ? undefined : this.wrong(value, type, path);
      case 'lit':
        return literalMatches(value, type) ? undefined : this.wrong(value, type, path);
      case 'fn':
        return typeof value === 'function' ? undefined : this.wrong(value, type, path);
      case 'array': {
        if (!Array.isArray(value)) {
          return this.wrong(value, type, path);
        }
        const n = Math.min(value.length, ELEMENTS);
        for (let i = 0; i < n; i++) {
          const found = this.check(value[i], type.elem, `${path}[${i}]`, owner, next);
          if (found) {
            return found;
          }
        }
        return undefined;
      }
      case 'tuple': {
        if (!Array.isArray(value)) {
          return this.wrong(value, type, path);
        }
        if (value.length !== type.elems.length) {
          return fault(path, `${at(path)} has ${value.length} element${value.length === 1 ? '' : 's'}; ${typeText(type)} has ${type.elems.length}`);
        }
        for (let i = 0; i < type.elems.length; i++) {
          const found = this.check(value[i], type.elems[i], `${path}[${i}]`, owner, next);
          if (found) {
            return found;
          }
        }
        return undefined;
      }
      case 'union':
        return this.union(value, type, path, owner, next);
      case 'obj':
        return this.record(value, type, path, owner, next);
      case 'ref':
        return this.reference(value, type, path, next);
    }
  }

  private union(value: unknown, type: Extract<TypeModel, { k: 'union' }>, path: string, owner: string | undefined, depth: number): ValueFault | undefined {
    const faults: ValueFault[] = [];
    for (const member of type.members) {
      const found = this.check(value, member, path, owner, depth);
      if (!found) {
        return undefined;
      }
      faults.push(found);
    }
    // One member of the value's own shape: its fault says more than "not A | B".
    const sameShape = type.members.filter(m => shapeOf(this.expand(m)) === shapeOf(value));
    if (sameShape.length === 1) {
      return faults[type.members.indexOf(sameShape[0])];
    }
    return this.wrong(value, type, path);
  }

  private record(value: unknown, type: Extract<TypeModel, { k: 'obj' }>, path: string, owner: string | undefined, depth: number): ValueFault | undefined {
    if (value === null || typeof value !== 'object' || (Array.isArray(value) && type.props.size > 0)) {
      return this.wrong(value, type, path);
    }
    const record = value as Record<string, unknown>;
    const needer = owner ?? typeText(type);
    for (const [key, prop] of type.props) {
      const given = record[key];
      const fieldPath = `${path}${member(key)}`;
      if (given === undefined) {
        if (!prop.optional && !(key in record && includesUndefined(prop.type))) {
          return fault(fieldPath, `${fieldPath.replace(/^\./, '')} is missing; ${needer} needs ${key}: ${typeText(prop.type)}`);
        }
        continue;
      }
      const found = this.check(given, prop.type, fieldPath, undefined, depth);
      if (found) {
        return found;
      }
    }
    if (type.index) {
      for (const [key, given] of Object.entries(record)) {
        if (type.props.has(key)) {
          continue;
        }
        const found = this.check(given, type.index, `${path}${member(key)}`, undefined, depth);
        if (found) {
          return found;
        }
      }
    }
    return undefined;
  }

  private reference(value: unknown, type: Extract<TypeModel, { k: 'ref' }>, path: string, depth: number): ValueFault | undefined {
    const global = CLASS_CHECKS[type.name];
    if (global) {
      return global(value) ? undefined : this.wrong(value, type, path);
    }
    if (type.args.length > 0) {
      return undefined; // generics: beyond a check from text
    }
    const resolved = this.lookup?.(type.name);
    return resolved ? this.check(value, resolved, path, type.name, depth) : undefined;
  }

  /** A named type replaced by its definition, for comparing shapes. */
  private expand(type: TypeModel): TypeModel {
    return type.k === 'ref' && type.args.length === 0 && !CLASS_CHECKS[type.name] ? (this.lookup?.(type.name) ?? type) : type;
  }

  private wrong(value: unknown, type: TypeModel, path: string): ValueFault {
    // The value itself: what it should be is the declared type, which messages name already.
    return path === '' ? fault(path, `the value given is ${describeValue(value)}`) : fault(path, `${at(path)} is ${describeValue(value)}, not ${typeText(type)}`);
  }
}

const CLASS_CHECKS: Record<string, (value: unknown) => boolean> = {
  Date: v => v instanceof Date,
  Map: v => v instanceof Map,
  Set: v => v instanceof Set,
  RegExp: v => v instanceof RegExp,
  Error: v => v instanceof Error,
  ArrayBuffer: v => v instanceof ArrayBuffer,
  Uint8Array: v => v instanceof Uint8Array,
  Float64Array: v => v instanceof Float64Array,
  Float32Array: v => v instanceof Float32Array,
  Int32Array: v => v instanceof Int32Array
};

function fault(path: string, message: string): ValueFault {
  return { path, message };
}

/** How a path reads at the start of a sentence. */
function at(path: string): string {
  return path === '' ? 'the value given' : path.replace(/^\./, '');
}

function member(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

function primitiveMatches(value: unknown, name: string): boolean {
  switch (name) {
    case 'null':
      return value === null;
    case 'void':
    case 'undefined':
      return value === undefined;
    case 'object':
      return (typeof value === 'object' && value !== null) || typeof value === 'function';
    default:
      return typeof value === name;
  }
}

function literalMatches(value: unknown, type: Extract<TypeModel, { k: 'lit' }>): boolean {
  switch (type.base) {
    case 'string':
      return typeof value === 'string' && (type.text.startsWith('`') || JSON.stringify(value) === type.text);
    case 'number':
      return typeof value === 'number' && String(value) === type.text;
    case 'boolean':
      return typeof value === 'boolean' && String(value) === type.text;
    case 'bigint':
      return typeof value === 'bigint' && `${value}n` === type.text;
  }
}

function includesUndefined(type: TypeModel): boolean {
  return (type.k === 'prim' && (type.name === 'undefined' || type.name === 'void')) || (type.k === 'union' && type.members.some(includesUndefined)) || type.k === 'any';
}

/** The broad shape of a value or a type: what a union member must share with a value to be the one meant. */
function shapeOf(thing: unknown): string {
  if (thing !== null && typeof thing === 'object' && 'k' in (thing as object)) {
    const t = thing as TypeModel;
    switch (t.k) {
      case 'prim':
        return t.name === 'null' || t.name === 'undefined' ? t.name : t.name === 'object' ? 'object' : t.name;
      case 'lit':
        return t.base;
      case 'array':
      case 'tuple':
        return 'array';
      case 'obj':
      case 'ref':
        return 'object';
      default:
        return t.k;
    }
  }
  return shapeOfValue(thing);
}

function shapeOfValue(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

/** A type model as TypeScript would write it. */
export function typeText(type: TypeModel): string {
  switch (type.k) {
    case 'any':
      return 'unknown';
    case 'never':
      return 'never';
    case 'prim':
      return type.name;
    case 'lit':
      return type.text;
    case 'fn':
      return 'a function';
    case 'array': {
      const inner = typeText(type.elem);
      return `${type.readonly ? 'readonly ' : ''}${type.elem.k === 'union' ? `(${inner})` : inner}[]`;
    }
    case 'tuple':
      return `${type.readonly ? 'readonly ' : ''}[${type.elems.map(typeText).join(', ')}]`;
    case 'union':
      return type.members.map(typeText).join(' | ');
    case 'obj': {
      const fields = [...type.props].map(([key, p]) => `${key}${p.optional ? '?' : ''}: ${typeText(p.type)}`);
      if (type.index) {
        fields.push(`[key: string]: ${typeText(type.index)}`);
      }
      return fields.length === 0 ? '{}' : `{ ${fields.join('; ')} }`;
    }
    case 'ref':
      return type.args.length ? `${type.name}<${type.args.map(typeText).join(', ')}>` : type.name;
  }
}

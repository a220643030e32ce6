/**
 * A faithful codec for values handed between processes: tagged JSON.
 *
 * Plain JSON values stand for themselves, so what is written stays readable
 * (an orchestrator's log, a Python task reading the file) and plain JSON reads
 * back unchanged. What JSON cannot hold is written as an object with a single
 * `$tag` key:
 *
 * | value | written as |
 * | --- | --- |
 * | `NaN`, `Infinity`, `-Infinity`, `-0` | `{"$number": "NaN"}` (the same names, `"-0"`) |
 * | `undefined` (a value, an array element, an object property) | `{"$undefined": true}` |
 * | BigInt | `{"$bigint": "1180591620717411303424"}` |
 * | Date | `{"$date": "2026-01-02T00:00:00.000Z"}` (an invalid date: `null`) |
 * | Map | `{"$map": [[key, value], ...]}` (keys of any kind, in order) |
 * | Set | `{"$set": [value, ...]}` |
 * | RegExp | `{"$regexp": [source, flags]}` |
 * | typed arrays (`Float64Array`, `Int32Array`, ... `BigUint64Array`) | `{"$Float64Array": "<base64 of the bytes, little-endian>"}` |
 * | ArrayBuffer, DataView | `{"$ArrayBuffer": "<base64>"}`, `{"$DataView": "<base64>"}` |
 * | a plain object whose only key is one of these tags | `{"$object": {...}}`, so it is not read as a tag |
 *
 * Everything else is refused with the path of the value (`rows[3].model: a
 * Model instance...`): functions, symbols, class instances, Errors, circular
 * references. Objects keep their own enumerable string keys (symbol keys are not
 * data and are left out); an array's holes come back as `undefined` elements; a
 * value reachable twice comes back as two equal copies; a Node Buffer comes
 * back as a Uint8Array.
 *
 * Encoding walks the value once and copies only the containers on the way to
 * something it replaces, so a large array of plain records or numbers costs
 * about one JSON.stringify; decoding skips its walk when the text holds no
 * `"$`, so plain JSON costs one JSON.parse.
 */
import {
  bufferFromBase64,
  bufferToBase64,
  TYPED_ARRAYS,
  typedArrayFromBase64,
  typedArrayName,
  TypedArrayName,
  viewToBase64
} from './binary';

/** A value the codec cannot write, or text it cannot read; `path` says where (`spend[3].when`). */
export class ValueCodecError extends Error {
  readonly path: string;
  constructor(path: string, problem: string) {
    super(`${path}: ${problem}`);
    this.name = 'ValueCodecError';
    this.path = path;
  }
}

/** Deeper than this is refused: a circular reference, or data no one hands over as one value. */
const MAX_DEPTH = 1000;

type Decoder = (payload: unknown, at: () => string) => unknown;

const NUMBERS: Record<string, number> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity, '-0': -0 };

const DECODERS = new Map<string, Decoder>([
  ['$number', (p, at) => {
    if (typeof p !== 'string' || !Object.prototype.hasOwnProperty.call(NUMBERS, p)) {
      throw new ValueCodecError(at(), `$number must be "NaN", "Infinity", "-Infinity" or "-0", got ${JSON.stringify(p)}`);
    }
    return NUMBERS[p];
  }],
  ['$undefined', () => undefined],
  ['$bigint', (p, at) => {
    if (typeof p !== 'string' || !/^-?\d+$/.test(p)) {
      throw new ValueCodecError(at(), `$bigint must be a string of decimal digits, got ${JSON.stringify(p)}`);
    }
    return BigInt(p);
  }],
  ['$date', (p, at) => {
    const date = new Date(p === null ? NaN : typeof p === 'string' ? p : NaN);
    if (p !== null && Number.isNaN(date.getTime())) {
      throw new ValueCodecError(at(), `$date must be an ISO date string or null, got ${JSON.stringify(p)}`);
    }
    return date;
  }],
  ['$map', (p, at) => {
    if (!Array.isArray(p) || !p.every(e => Array.isArray(e) && e.length === 2)) {
      throw new ValueCodecError(at(), '$map must be an array of [key, value] pairs');
    }
    return new Map(p.map(([k, v]) => [decodeAt(k, at, 1), decodeAt(v, at, 1)]));
  }],
  ['$set', (p, at) => {
    if (!Array.isArray(p)) {
      throw new ValueCodecError(at(), '$set must be an array');
    }
    return new Set(p.map(v => decodeAt(v, at, 1)));
  }],
  ['$regexp', (p, at) => {
    if (!Array.isArray(p) || p.length !== 2 || typeof p[0] !== 'string' || typeof p[1] !== 'string') {
      throw new ValueCodecError(at(), '$regexp must be [source, flags]');
    }
    try {
      return new RegExp(p[0], p[1]);
    } catch (error) {
      throw new ValueCodecError(at(), `$regexp: ${(error as Error).message}`);
    }
  }],
  ['$ArrayBuffer', (p, at) => binary(() => bufferFromBase64(p), at)],
  ['$DataView', (p, at) => binary(() => new DataView(bufferFromBase64(p)), at)],
  ['$object', (p, at) => {
    if (p === null || typeof p !== 'object' || Array.isArray(p)) {
      throw new ValueCodecError(at(), '$object must be an object');
    }
    return decodeMembers(p as Record<string, unknown>, at, 1);
  }],
  ...(Object.keys(TYPED_ARRAYS) as TypedArrayName[]).map(
    (name): [string, Decoder] => [`$${name}`, (p, at) => binary(() => typedArrayFromBase64(name, p), at)]
  )
]);

function binary(read: () => unknown, at: () => string): unknown {
  try {
    return read();
  } catch (error) {
    throw new ValueCodecError(at(), (error as Error).message);
  }
}

/** A JSON-ready form of any value the codec carries; throws ValueCodecError naming the path of one it cannot. */
export function encodeValue(value: unknown, name = 'value'): unknown {
  return new Encoder(name).encode(value, 0);
}

/** The value a JSON-ready form stands for (the inverse of {@link encodeValue}); `name` starts the paths of messages. */
export function decodeValue(json: unknown, name = 'value'): unknown {
  return decodeAt(json, () => name, 0);
}

/** A value as tagged JSON text. */
export function stringifyValue(value: unknown, name = 'value'): string {
  return JSON.stringify(encodeValue(value, name));
}

/** The value of tagged JSON text; throws a ValueCodecError when the text is not JSON or a tag is malformed. */
export function parseValue(text: string, name = 'value'): unknown {
  const json = parseJSON(text, name);
  return text.indexOf('"$') < 0 ? json : decodeValue(json, name);
}

/**
 * `{ name: value }` as one line of tagged JSON, each value encoded (the names
 * themselves are kept as they are, whatever they are).
 */
export function stringifyRecord(record: Readonly<Record<string, unknown>>): string {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(record)) {
    define(out, key, new Encoder(key).encode(record[key], 0));
  }
  return JSON.stringify(out);
}

/** The `{ name: value }` that {@link stringifyRecord} wrote; `what` names the text in messages (a file). */
export function parseRecord(text: string, what: string): Record<string, unknown> {
  const json = parseJSON(text, what);
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new ValueCodecError(what, `expected a JSON object of name: value, got ${Array.isArray(json) ? 'an array' : JSON.stringify(json)}`);
  }
  const record = json as Record<string, unknown>;
  if (text.indexOf('"$') >= 0) {
    for (const key of Object.keys(record)) {
      define(record, key, decodeAt(record[key], () => key, 0));
    }
  }
  return record;
}

function parseJSON(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ValueCodecError(what, `not valid JSON (${(error as Error).message})`);
  }
}

/** Sets a key as an own data property, `__proto__` included. */
function define(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

/** Decodes in place: parsed JSON is ours to reuse, and only tags are replaced. */
function decodeAt(value: unknown, at: () => string, depth: number): unknown {
  if (value === null || typeof value !== 'object') {
    return value;
  }
  if (depth > MAX_DEPTH) {
    throw new ValueCodecError(at(), `nested deeper than ${MAX_DEPTH} levels`);
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item = value[i];
      if (item !== null && typeof item === 'object') {
        value[i] = decodeAt(item, () => `${at()}[${i}]`, depth + 1);
      }
    }
    return value;
  }
  const object = value as Record<string, unknown>;
  const keys = Object.keys(object);
  if (keys.length === 1) {
    const decoder = DECODERS.get(keys[0]);
    if (decoder) {
      return decoder(object[keys[0]], at);
    }
  }
  return decodeMembers(object, at, depth);
}

function decodeMembers(object: Record<string, unknown>, at: () => string, depth: number): Record<string, unknown> {
  for (const key of Object.keys(object)) {
    const item = object[key];
    if (item !== null && typeof item === 'object') {
      object[key] = decodeAt(item, () => `${at()}${member(key)}`, depth + 1);
    }
  }
  return object;
}

/** `.key`, or `["key"]` when the key is not an identifier. */
function member(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

/** One encoding pass; the trail of keys makes the path of a refused value only when one is refused. */
class Encoder {
  private readonly trail: (string | number)[] = [];
  private readonly ancestors: object[] = [];

  constructor(private readonly name: string) {}

  encode(value: unknown, depth: number): unknown {
    switch (typeof value) {
      case 'string':
      case 'boolean':
        return value;
      case 'number':
        return Number.isFinite(value) && !(value === 0 && 1 / value < 0) ? value : { $number: numberName(value) };
      case 'undefined':
        return { $undefined: true };
      case 'bigint':
        return { $bigint: value.toString() };
      case 'function':
        return this.refuse(`a function (${value.name || 'anonymous'}) is code, not data`);
      case 'symbol':
        return this.refuse(`a symbol (${String(value)}) cannot leave the process that made it`);
    }
    if (value === null) {
      return null;
    }
    return this.container(value as object, depth);
  }

  private container(value: object, depth: number): unknown {
    // Ancestors are few (a record in an array has two), so looking through them is cheap.
    if (this.ancestors.includes(value)) {
      return this.refuse('a circular reference: the value contains itself');
    }
    if (depth >= MAX_DEPTH) {
      return this.refuse(`nested deeper than ${MAX_DEPTH} levels`);
    }
    this.ancestors.push(value);
    try {
      return Array.isArray(value) ? this.array(value, depth) : this.object(value, depth);
    } finally {
      this.ancestors.pop();
    }
  }

  /** The same array when nothing in it changes; else a copy from the first change on. */
  private array(value: unknown[], depth: number): unknown[] {
    let out: unknown[] | undefined;
    const length = value.length;
    for (let i = 0; i < length; i++) {
      const item = value[i];
      let encoded: unknown = item;
      if (typeof item !== 'string' && typeof item !== 'boolean' && item !== null) {
        if (typeof item === 'number' && Number.isFinite(item) && !(item === 0 && 1 / item < 0)) {
          // plain numbers, the common case, stay as they are
        } else {
          this.trail.push(i);
          encoded = this.encode(item, depth + 1);
          this.trail.pop();
        }
      }
      if (encoded !== item && out === undefined) {
        out = value.slice(0, i);
      }
      if (out !== undefined) {
        out.push(encoded);
      }
    }
    return out ?? value;
  }

  private object(value: object, depth: number): unknown {
    const kind = Object.prototype.toString.call(value).slice(8, -1);
    if (ArrayBuffer.isView(value)) {
      const name = kind === 'DataView' ? 'DataView' : typedArrayName(value);
      return name ? { [`$${name}`]: viewToBase64(value) } : this.refuse(`a ${kind} cannot be handed over`);
    }
    switch (kind) {
      case 'Date': {
        const time = Date.prototype.getTime.call(value);
        return { $date: Number.isNaN(time) ? null : Date.prototype.toISOString.call(value) };
      }
      case 'Map':
        return { $map: this.entries(value as Map<unknown, unknown>, depth) };
      case 'Set':
        return { $set: this.members([...(value as Set<unknown>)], depth) };
      case 'RegExp':
        return { $regexp: [(value as RegExp).source, (value as RegExp).flags] };
      case 'ArrayBuffer':
        return { $ArrayBuffer: bufferToBase64(value as ArrayBuffer) };
    }
    const proto = Object.getPrototypeOf(value);
    if (kind !== 'Object' || (proto !== null && proto !== Object.prototype && Object.getPrototypeOf(proto) !== null)) {
      const type = (proto?.constructor as { name?: string } | undefined)?.name || kind;
      return this.refuse(
        `${/^[AEIOU]/.test(type) ? 'an' : 'a'} ${type} cannot be handed over as data (the codec carries JSON values, ` +
          'NaN and the infinities, undefined, BigInt, Date, Map, Set, RegExp and typed arrays)'
      );
    }
    return this.plainObject(value as Record<string, unknown>, depth);
  }

  private plainObject(value: Record<string, unknown>, depth: number): unknown {
    const keys = Object.keys(value);
    let out: Record<string, unknown> | undefined;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      const item = value[key];
      let encoded: unknown = item;
      if (typeof item !== 'string' && typeof item !== 'boolean' && item !== null && !(typeof item === 'number' && Number.isFinite(item) && !(item === 0 && 1 / item < 0))) {
        this.trail.push(key);
        encoded = this.encode(item, depth + 1);
        this.trail.pop();
      }
      if (encoded !== item && out === undefined) {
        out = {};
        for (let k = 0; k < i; k++) {
          define(out, keys[k], value[keys[k]]);
        }
      }
      if (out !== undefined) {
        define(out, key, encoded);
      }
    }
    const result = out ?? value;
    // An object that would read as a tag is wrapped, so it reads back as itself.
    return keys.length === 1 && DECODERS.has(keys[0]) ? { $object: result } : result;
  }

  private members(values: unknown[], depth: number): unknown[] {
    return values.map((v, i) => {
      this.trail.push(i);
      try {
        return this.encode(v, depth + 1);
      } finally {
        this.trail.pop();
      }
    });
  }

  private entries(map: Map<unknown, unknown>, depth: number): unknown[] {
    const out: unknown[] = [];
    let i = 0;
    for (const [k, v] of map) {
      this.trail.push(i++);
      try {
        out.push([this.encode(k, depth + 1), this.encode(v, depth + 1)]);
      } finally {
        this.trail.pop();
      }
    }
    return out;
  }

  private refuse(problem: string): never {
    let path = this.name;
    for (const step of this.trail) {
      path += typeof step === 'number' ? `[${step}]` : member(step);
    }
    throw new ValueCodecError(path, problem);
  }
}

function numberName(value: number): string {
  return Number.isNaN(value) ? 'NaN' : value === Infinity ? 'Infinity' : value === -Infinity ? '-Infinity' : '-0';
}

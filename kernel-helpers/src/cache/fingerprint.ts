/**
 * Data versions: fingerprints of values with xxHash64 (xxhash-wasm), the same
 * in every process for the same value. Typed arrays are hashed as their bytes,
 * strings as UTF-8, and everything else as a tagged walk of its parts, fed to
 * the hash in large chunks so that a million records cost a few calls.
 *
 * Values whose content a walk cannot see are not fingerprinted: functions,
 * symbols, promises, class instances (their state may be hidden), WeakMaps,
 * cyclic structures. A node that takes or returns one is not cached.
 */
type Hasher = Awaited<ReturnType<typeof import('xxhash-wasm').default>>;
let hasher: Hasher | undefined;
let loading: Promise<Hasher> | undefined;

/** Loads the hash (WebAssembly, once per process); fingerprints can be taken synchronously after. */
export async function loadFingerprints(): Promise<void> {
  if (!hasher) {
    // Loaded with the first cached run: a run without a cache does not pay for it.
    loading ??= import('xxhash-wasm').then(module => module.default());
    hasher = await loading;
  }
}

/** A value's data version, or why it has none. */
export type Fingerprint = { hash: string; bytes: number } | { hash?: undefined; reason: string };

const CHUNK = 1 << 16;
const TYPED = new Set([
  'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array',
  'Uint32Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array'
]);

class Unfingerprintable extends Error {}

/**
 * The fingerprint of a value (16 hex digits) and a rough count of the bytes it
 * holds, or the reason it cannot have one. Call {@link loadFingerprints} first.
 */
export function fingerprint(value: unknown): Fingerprint {
  if (!hasher) {
    throw new Error('fingerprint() needs loadFingerprints() to have finished first.');
  }
  const state = hasher.create64();
  let text = '';
  let bytes = 0;
  const flush = () => {
    if (text.length > 0) {
      state.update(text);
      bytes += text.length;
      text = '';
    }
  };
  const put = (part: string) => {
    text += part;
    if (text.length >= CHUNK) {
      flush();
    }
  };
  const open = new Set<object>();
    // Where the walk is, kept as steps: a path's text is made only for a message.
  const trail: (string | number)[] = [];
  const here = () => 'the value' + trail.map(step => (typeof step === 'number' ? `[${step}]` : step)).join('');
  const walk = (v: unknown): void => {
    switch (typeof v) {
      case 'number':
        put(Object.is(v, -0) ? 'n-0,' : `n${v},`);
        return;
      case 'string':
        put(`s${v.length}:`);
        if (v.length >= CHUNK) {
          flush();
          state.update(v);
          bytes += v.length;
        } else {
          put(v);
        }
        return;
      case 'boolean':
        put(v ? 't' : 'f');
        return;
      case 'undefined':
        put('u');
        return;
      case 'bigint':
        put(`b${v},`);
        return;
      case 'function':
        throw new Unfingerprintable(`${here()} is a function`);
      case 'symbol':
        throw new Unfingerprintable(`${here()} is a symbol`);
    }
    if (v === null) {
      put('z');
      return;
    }
    const object = v as object;
    if (open.has(object)) {
      throw new Unfingerprintable(`${here()} refers back to itself`);
    }
    if (ArrayBuffer.isView(object)) {
      const name = object.constructor.name;
      if (!TYPED.has(name) && name !== 'DataView' && name !== 'Buffer') {
        throw new Unfingerprintable(`${here()} is a ${name}`);
      }
      put(`${name === 'Buffer' ? 'Uint8Array' : name}${object.byteLength}:`);
      flush();
      state.update(new Uint8Array(object.buffer, object.byteOffset, object.byteLength));
      bytes += object.byteLength;
      return;
    }
    if (object instanceof ArrayBuffer) {
      put(`AB${object.byteLength}:`);
      flush();
      state.update(new Uint8Array(object));
      bytes += object.byteLength;
      return;
    }
    open.add(object);
    if (Array.isArray(object)) {
      put(`[${object.length}:`);
      for (let i = 0; i < object.length; i++) {
        trail.push(i);
        walk(object[i]);
        trail.pop();
      }
      put(']');
    } else if (object instanceof Date) {
      put(`D${object.getTime()},`);
    } else if (object instanceof Map) {
      put(`M${object.size}:`);
      let i = 0;
      for (const [k, item] of object) {
        trail.push(` key ${i}`);
        walk(k);
        trail[trail.length - 1] = ` entry ${i++}`;
        walk(item);
        trail.pop();
      }
      put('}');
    } else if (object instanceof Set) {
      put(`S${object.size}:`);
      let i = 0;
      for (const item of object) {
        trail.push(` element ${i++}`);
        walk(item);
        trail.pop();
      }
      put('}');
    } else if (object instanceof RegExp) {
      put(`R${object.source}/${object.flags}`);
    } else {
      const proto = Object.getPrototypeOf(object);
      if (proto !== Object.prototype && proto !== null) {
        const name = (proto && proto.constructor && proto.constructor.name) || 'an object of a class';
        throw new Unfingerprintable(`${here()} is an instance of ${name}, whose state may be hidden`);
      }
      const keys = Object.keys(object);
      put(`{${keys.length}:`);
      for (const key of keys) {
        put(`${key.length}:${key}`);
        trail.push(`.${key}`);
        walk((object as Record<string, unknown>)[key]);
        trail.pop();
      }
      put('}');
    }
    open.delete(object);
  };
  try {
    walk(value);
  } catch (error) {
    if (error instanceof Unfingerprintable) {
      return { reason: error.message };
    }
    throw error;
  }
  flush();
  return { hash: state.digest().toString(16).padStart(16, '0'), bytes };
}

/** xxHash64 of a text or bytes (16 hex digits): the checksum of a disk entry. */
export function checksum(data: string | Uint8Array): string {
  if (!hasher) {
    throw new Error('checksum() needs loadFingerprints() to have finished first.');
  }
  return hasher.create64().update(data).digest().toString(16).padStart(16, '0');
}

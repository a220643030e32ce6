/**
 * Typed arrays, ArrayBuffers and DataViews as base64 text of their bytes,
 * little-endian whatever the machine, so that a value written on one machine
 * reads the same on another. Base64 goes through Node's Buffer: native, and
 * about as fast as copying the bytes.
 */

/** The typed array classes the codec carries, by the tag name it writes (`$Float64Array`). */
export const TYPED_ARRAYS = {
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array
} as const;

export type TypedArrayName = keyof typeof TYPED_ARRAYS;
type AnyTypedArray = InstanceType<(typeof TYPED_ARRAYS)[TypedArrayName]>;

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The class name of a typed array (across realms, which `instanceof` is not), or undefined. */
export function typedArrayName(value: ArrayBufferView): TypedArrayName | undefined {
  const name = Object.prototype.toString.call(value).slice(8, -1);
  return Object.prototype.hasOwnProperty.call(TYPED_ARRAYS, name) ? (name as TypedArrayName) : undefined;
}

/** The bytes of a view (only its own window of the buffer) as base64, little-endian. */
export function viewToBase64(view: ArrayBufferView): string {
  const size = (view as { BYTES_PER_ELEMENT?: number }).BYTES_PER_ELEMENT ?? 1;
  let bytes = Buffer.from(view.buffer, view.byteOffset, view.byteLength);
  if (!LITTLE_ENDIAN && size > 1) {
    bytes = swapped(bytes, size);
  }
  return bytes.toString('base64');
}

/** An ArrayBuffer's bytes as base64. */
export function bufferToBase64(buffer: ArrayBuffer): string {
  return Buffer.from(buffer).toString('base64');
}

/** The bytes of base64 text, checked to be a whole number of `size`-byte elements, in machine order. */
function bytesOf(text: unknown, what: string, size: number): Uint8Array {
  if (typeof text !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) {
    throw new TypeError(`${what}: expected base64 text`);
  }
  const decoded = Buffer.from(text, 'base64');
  if (decoded.length % size !== 0) {
    throw new TypeError(`${what}: ${decoded.length} bytes is not a whole number of ${size}-byte elements`);
  }
  return !LITTLE_ENDIAN && size > 1 ? swapped(decoded, size) : decoded;
}

/** A typed array of the named class from base64 bytes, in a buffer of its own. */
export function typedArrayFromBase64(name: TypedArrayName, text: unknown): AnyTypedArray {
  const Type = TYPED_ARRAYS[name];
  const bytes = bytesOf(text, `$${name}`, Type.BYTES_PER_ELEMENT);
  // A fresh array, filled through a byte view: a Buffer may sit unaligned inside a shared pool.
  const array = new Type(bytes.length / Type.BYTES_PER_ELEMENT);
  new Uint8Array(array.buffer, array.byteOffset, array.byteLength).set(bytes);
  return array;
}

/** An ArrayBuffer from base64 bytes. */
export function bufferFromBase64(text: unknown): ArrayBuffer {
  const bytes = bytesOf(text, '$ArrayBuffer', 1);
  const buffer = new ArrayBuffer(bytes.length);
  new Uint8Array(buffer).set(bytes);
  return buffer;
}

/** A copy with the bytes of each element reversed (big-endian machines only). */
function swapped(bytes: Uint8Array, size: number): Buffer {
  const out = Buffer.alloc(bytes.length);
  for (let i = 0; i < bytes.length; i += size) {
    for (let k = 0; k < size; k++) {
      out[i + k] = bytes[i + size - 1 - k];
    }
  }
  return out;
}

/**
 * Values that leave a process and come back exactly: the tagged JSON codec
 * that Airflow tasks hand values over with (see codec.ts for the format).
 */
export {
  decodeValue,
  encodeValue,
  parseRecord,
  parseValue,
  stringifyRecord,
  stringifyValue,
  ValueCodecError
} from './codec';
export { describeShape } from './shape';

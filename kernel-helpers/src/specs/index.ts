/**
 * Node specs: the one place that says what a function is as a node, from its
 * source or from the live function.
 */
export { sourceSpec } from './from-source';
export { functionSpec } from './from-function';
export { absentVariantMessage, sourceSpecs, unchosenVariant } from './from-static';
export { readParameters } from './parameters';
export type { ReadResult, RuntimeParam } from './parameters';
export * from './types';

/**
 * Modifiers: Hamilton's decorators as TypeScript wrappers. The wrapper is the
 * runtime truth (the Driver reads it from the wrapped value).
 */
export { config, tag, parameterize, source, value, group, extractFields, checkOutput, pipeInput, step, subdag, does } from './wrappers';
export type { CheckOptions, Step, SubdagOptions } from './wrappers';
export { saveTo, loadFrom } from './artifacts';
export type { SaveOptions, LoadOptions } from './artifacts';
export { expandFunctions, isModified } from './expand';
export { modifierOf, MODIFIER } from './types';
export type { Modifier, ModifierKind, Wrapped, Binding, SourceRef, ValueRef, GroupRef } from './types';
export { CheckWarnings } from './warnings';

/**
 * What a modifier leaves on the function it returns: the modifier's kind, its
 * arguments and the value it wraps. The Driver reads this from the wrapped
 * value to expand it into nodes; nothing else about the wrapper matters.
 */
import type { StaticModifier } from '../analysis/types';

/** The property a wrapped value carries its modifier under (shared by every copy of dagcells). */
export const MODIFIER = Symbol.for('dagcells.modifier');

/** The modifiers there are: the same list the analysis reads from source. */
export type ModifierKind = StaticModifier['kind'];

export interface Modifier {
  kind: ModifierKind;
  /** The modifier's arguments, as given. */
  args: Record<string, unknown>;
  /** The value wrapped: a function, or another wrapped function. */
  inner: unknown;
}

export type AnyFunction = (...args: any[]) => unknown;

/** A wrapped function: callable as the function it wraps, carrying its modifier. */
export type Wrapped<F extends AnyFunction> = F & { readonly [MODIFIER]: Modifier };

/** The modifier a value carries, if it is a wrapped function. */
export function modifierOf(value: unknown): Modifier | undefined {
  if (typeof value !== 'function') {
    return undefined;
  }
  const mod = (value as { [MODIFIER]?: Modifier })[MODIFIER];
  return mod && typeof mod === 'object' ? mod : undefined;
}

/** A binding of a parameter: another node's value, a constant, or several of them as an array. */
export type Binding = SourceRef | ValueRef | GroupRef;

export interface SourceRef {
  readonly dagcellsBinding: 'source';
  readonly name: string;
}
export interface ValueRef {
  readonly dagcellsBinding: 'value';
  readonly value: unknown;
}
export interface GroupRef {
  readonly dagcellsBinding: 'group';
  readonly items: readonly (SourceRef | ValueRef)[];
}

export function isBinding(value: unknown): value is Binding {
  const kind = value && typeof value === 'object' ? (value as { dagcellsBinding?: unknown }).dagcellsBinding : undefined;
  return kind === 'source' || kind === 'value' || kind === 'group';
}

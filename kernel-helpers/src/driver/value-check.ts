/**
 * Checking an input value against its declared type text, in depth: the text
 * and the named types it uses are parsed into type models (with TypeScript's
 * parser, so this lives outside the kernel's small bundle) and the value is
 * followed through them by {@link valueFault}.
 */
import { parseType, TypeModel } from '../analysis/type-model';
import type { TypeResolver } from '../analysis/types-agree';
import { valueFault, ValueFault } from './value-types';

/**
 * The first element or field at which `value` is not of the type `typeText`
 * declares, or undefined when it is (or when that cannot be judged from text).
 * `resolve` gives the text of a named type (an alias's right side, an
 * interface as a type literal), as the analysis records it.
 *
 * @example
 * ```ts
 * inputValueFault([{ region: "US" }], "Sale[]", name => (name === "Sale" ? "{ region: string; amount: number }" : undefined));
 * // { path: "[0].amount", message: "[0].amount is missing; Sale needs amount: number" }
 * ```
 */
export function inputValueFault(value: unknown, typeText: string, resolve?: TypeResolver): ValueFault | undefined {
  const models = new Map<string, TypeModel | undefined>();
  const lookup = (name: string): TypeModel | undefined => {
    if (!models.has(name)) {
      const text = resolve?.(name);
      models.set(name, text === undefined ? undefined : parseType(text));
    }
    return models.get(name);
  };
  return valueFault(value, parseType(typeText), lookup);
}

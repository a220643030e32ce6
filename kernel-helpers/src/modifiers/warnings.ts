/**
 * A node's value with the warnings its checks raised: what a `warn` check
 * returns to the run, which reports the warnings and keeps the value alone.
 *
 * Told by a registered symbol rather than by its class: in a notebook the
 * cells' `dagcells` and the kernel's runtime are two copies of this code, and
 * a value made by one must be recognised by the other.
 */
const BRAND = Symbol.for('dagcells.checkWarnings');

export class CheckWarnings {
  readonly [BRAND] = true;

  constructor(
    readonly value: unknown,
    readonly messages: readonly string[]
  ) {}
}

/** Whether a node's value is a {@link CheckWarnings}, made by this copy of dagcells or another. */
export function isCheckWarnings(value: unknown): value is CheckWarnings {
  return typeof value === 'object' && value !== null && (value as { [BRAND]?: unknown })[BRAND] === true;
}

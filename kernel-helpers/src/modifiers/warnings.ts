/**
 * A node's value with the warnings its checks raised: what a `warn` check
 * returns to the run, which reports the warnings and keeps the value alone.
 */
export class CheckWarnings {
  constructor(
    readonly value: unknown,
    readonly messages: readonly string[]
  ) {}
}

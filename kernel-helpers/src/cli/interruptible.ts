/**
 * Calling a module's code where Ctrl-C and `--timeout` can stop it. A busy
 * synchronous node (a loop that never ends) holds the event loop, so neither
 * a SIGINT listener nor a timer could run; a script run with `breakOnSigint`
 * and a `timeout` is stopped by Node from another thread, and the call throws
 * (`ERR_SCRIPT_EXECUTION_INTERRUPTED`, `ERR_SCRIPT_EXECUTION_TIMEOUT`).
 * The notebook kernel runs its nodes the same way. Node drops a SIGINT that
 * arrives in the microseconds between such a call's end and the SIGINT
 * listener's return: a Ctrl-C that lands exactly there needs pressing again.
 */
import { Script } from 'vm';

import { remainingMs } from './timeout';

const holder = globalThis as { __dagcellsCall__?: () => unknown };
let script: Script | undefined;

/** Runs `thunk` now, interruptible by Ctrl-C and bounded by what is left of `--timeout`. */
export function interruptible<T>(thunk: () => T): T {
  script ??= new Script('globalThis.__dagcellsCall__()', { filename: 'dagcells-call' });
  const left = remainingMs();
  const previous = holder.__dagcellsCall__;
  holder.__dagcellsCall__ = thunk;
  try {
    return script.runInThisContext({
      breakOnSigint: true,
      displayErrors: false, // the module's errors keep their own stacks, without a source excerpt on top
      ...(left !== undefined ? { timeout: Math.max(1, Math.ceil(left)) } : {})
    }) as T;
  } finally {
    holder.__dagcellsCall__ = previous;
  }
}

/** Calls a node's function interruptibly: the Driver's `callNode`. */
export function callNodeInterruptibly(fn: (...args: unknown[]) => unknown, args: unknown[]): unknown {
  return interruptible(() => fn(...args));
}

/**
 * The runtime the notebook extension installs into a tslab kernel, bundled into
 * one script (no `require`, no TypeScript compiler) and evaluated once. It runs
 * the panel's requests with the Driver and answers with display messages:
 * progress per node, then one result. Every failure becomes a message: the
 * request itself always ends well, so tslab's post-error abort window is never
 * triggered by a failing node.
 */
import { Driver } from '../driver/driver';
import { isDagError } from '../errors';
import { MESSAGE_MIME, KernelMessage, RunPayload, RunError } from './protocol';
import { preview } from './preview';

/** Replaced by the bundle's content hash when it is built. */
declare const __DAGCELLS_RUNTIME_VERSION__: string;

/** What tslab's `display` offers that the runtime uses. */
interface Display {
  raw(mime: string, value: unknown): void;
}

interface Tslab {
  exports?: Record<string, unknown>;
  require?: (id: string) => unknown;
}

type Fn = (...args: unknown[]) => unknown;

/** An interrupt of the kernel, as the run reports it. */
const INTERRUPTED = 'The run was interrupted.';

/**
 * Calls nodes where the kernel's interrupt (SIGINT) can stop them: a script run
 * with `breakOnSigint`, as tslab runs cells. Without it a busy synchronous node
 * that runs after the first await could not be stopped at all.
 */
function interruptibleCaller(tslab: Tslab | undefined): ((fn: Fn, args: unknown[]) => unknown) | undefined {
  const vm = tslab?.require?.('vm') as typeof import('vm') | undefined;
  if (!vm) {
    return undefined;
  }
  const holder = globalThis as { __dagcellsCall__?: () => unknown };
  const script = new vm.Script('globalThis.__dagcellsCall__()', { filename: 'dagcells-node-call' });
  return (fn, args) => {
    holder.__dagcellsCall__ = () => fn(...args);
    try {
      return script.runInThisContext({ breakOnSigint: true });
    } finally {
      holder.__dagcellsCall__ = undefined;
    }
  };
}

function isInterrupt(error: unknown): boolean {
  const cause = (error as { cause?: unknown })?.cause ?? error;
  return (cause as { code?: string })?.code === 'ERR_SCRIPT_EXECUTION_INTERRUPTED' || cause === INTERRUPT_REASON;
}

const INTERRUPT_REASON = new Error(INTERRUPTED);

async function run(payloadJson: string, display: Display): Promise<void> {
  const started = Date.now();
  const payload = JSON.parse(payloadJson) as RunPayload;
  const send = (message: KernelMessage) => display.raw(MESSAGE_MIME, message);
  const fail = (error: RunError) =>
    send({ kind: 'result', runId: payload.runId, status: 'error', results: {}, error, ms: Date.now() - started });
  // While nodes await, an interrupt arrives as SIGINT: stop before the next node.
  const controller = new AbortController();
  const onInterrupt = () => controller.abort(INTERRUPT_REASON);
  const proc = (globalThis as { process?: NodeJS.Process }).process;
  proc?.on('SIGINT', onInterrupt);
  try {
    const tslab = (globalThis as { __tslab__?: Tslab }).__tslab__;
    const exports = tslab?.exports ?? {};
    const fns: Record<string, unknown> = {};
    const missing: string[] = [];
    for (const name of payload.functions) {
      const value = exports[name];
      if (typeof value === 'function') {
        fns[name] = value;
      } else {
        missing.push(name);
      }
    }
    if (missing.length > 0) {
      fail({
        code: 'UNKNOWN_NODE',
        message: `not defined in the kernel: ${missing.join(', ')}. Run the cells that define ${missing.length === 1 ? 'it' : 'them'}.`,
        nodes: missing
      });
      return;
    }
    const driver = Driver.fromFunctions(fns, { config: payload.config });
    const values = await driver.execute(payload.outputs, {
      inputs: payload.inputs,
      overrides: payload.overrides,
      yieldBetweenNodes: true,
      callNode: interruptibleCaller(tslab),
      signal: controller.signal,
      onEvent: event => {
        const runId = payload.runId;
        if (event.type === 'node-started') {
          send({ kind: 'node-started', runId, node: event.node });
        } else if (event.type === 'node-finished') {
          send({ kind: 'node-finished', runId, node: event.node, ms: event.ms, preview: preview(event.value) });
        } else {
          send({ kind: 'node-failed', runId, node: event.node, ms: event.ms, message: messageOf(event.error) });
        }
      }
    });
    const results: Record<string, ReturnType<typeof preview>> = {};
    for (const output of payload.outputs) {
      results[output] = preview(values[output]);
    }
    (globalThis as { __dagcells__?: { last?: unknown } }).__dagcells__!.last = values;
    send({ kind: 'result', runId: payload.runId, status: 'ok', results, ms: Date.now() - started });
  } catch (error) {
    fail(
      isInterrupt(error)
        ? { code: 'INTERRUPTED', message: INTERRUPTED, nodes: isDagError(error) ? error.nodes : [] }
        : isDagError(error)
          ? { code: error.code, message: error.message, nodes: error.nodes }
          : { code: 'ERROR', message: messageOf(error), nodes: [] }
    );
  } finally {
    proc?.off('SIGINT', onInterrupt);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}` : String(error);
}

(globalThis as { __dagcells__?: unknown }).__dagcells__ = {
  version: __DAGCELLS_RUNTIME_VERSION__,
  run,
  /** The values of the last panel run, for a cell to pick up: `(globalThis as any).__dagcells__.last`. */
  last: undefined
};

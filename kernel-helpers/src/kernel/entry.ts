/**
 * The runtime the notebook extension installs into a tslab kernel, bundled into
 * one script (no `require`, no TypeScript compiler) and evaluated once. It runs
 * the panel's requests: the nodes come as the notebook's analysis found them
 * (names and dependencies), their functions are the kernel's, and nothing is
 * read from a signature. It answers with display messages: progress per node,
 * then one result. Every failure becomes a message: the request itself always
 * ends well, so tslab's post-error abort window is never triggered by a
 * failing node.
 */
import { NodeCache } from '../cache/cache';
import { MemoryStore } from '../cache/stores';
import { executeGraph } from '../driver/execute';
import { buildGraph } from '../graph/build';
import type { GraphSnapshot, NodeSpec } from '../graph/types';
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

/** What the dagcells package the cells imported offers the runtime. */
interface Dagcells {
  expandFunctions?: (fns: Record<string, unknown>, options: { config: Record<string, unknown> }) => NodeSpec[];
  recordSaverLineage?: (
    graph: GraphSnapshot,
    config: Readonly<Record<string, unknown>>,
    inputs: () => Readonly<Record<string, unknown>> | undefined,
    codeVersionOf: (name: string) => string | undefined
  ) => void;
}

/**
 * The nodes the cells' wrapped functions make (`config.when`, `checkOutput`,
 * `saveTo`, ...), by name, expanded with the run's config by the dagcells
 * package the cells imported: the wrapper is the runtime truth, and its
 * expansion is too large for this bundle. Undefined when no cell wraps a function.
 */
function expandedFunctions(
  tslab: Tslab | undefined,
  exports: Record<string, unknown>,
  config: Record<string, unknown>
): { specs: Map<string, NodeSpec>; dagcells: Dagcells } | undefined {
  const marker = Symbol.for('dagcells.modifier');
  const wrapped: Record<string, unknown> = {};
  let any = false;
  for (const key of Object.keys(exports)) {
    const value = exports[key];
    if (typeof value === 'function' && (value as unknown as Record<symbol, unknown>)[marker] !== undefined) {
      wrapped[key] = value;
      any = true;
    }
  }
  if (!any || !tslab?.require) {
    return undefined;
  }
  const dagcells = tslab.require('dagcells') as Dagcells;
  const specs = new Map<string, NodeSpec>();
  for (const spec of dagcells.expandFunctions?.(wrapped, { config }) ?? []) {
    specs.set(spec.name, spec);
  }
  return { specs, dagcells };
}

/** The code version of each function of the run, as the extension computed them from the cells. */
function versionsOf(payload: RunPayload): (name: string) => string | undefined {
  const versions = payload.versions ?? payload.cache?.versions ?? {};
  return name => (Object.prototype.hasOwnProperty.call(versions, name) && typeof versions[name] === 'string' ? versions[name] : undefined);
}

async function run(payloadJson: string, display: Display): Promise<void> {
  const started = Date.now();
  const payload = JSON.parse(payloadJson) as RunPayload;
  const send = (message: KernelMessage) => display.raw(MESSAGE_MIME, message);
  const fail = (error: RunError) =>
    send({ kind: 'result', runId: payload.runId, status: 'error', results: {}, error, ms: Date.now() - started });
  // An interrupt of the kernel stops tslab waiting for this request; the
  // extension then asks `stop`, which ends the run before its next node. (A
  // SIGINT listener of our own would hear it directly, but tslab's kernel does
  // not survive an interrupt early in a run while one is attached.)
  const controller = new AbortController();
  runs.set(payload.runId, controller);
  try {
    const tslab = (globalThis as { __tslab__?: Tslab }).__tslab__;
    const exports = tslab?.exports ?? {};
    const specs: NodeSpec[] = [];
    const missing: string[] = [];
    const expanded = expandedFunctions(tslab, exports, payload.config ?? {});
    for (const node of payload.nodes) {
      const made = expanded?.specs.get(node.name);
      const value = made?.fn ?? exports[node.name];
      if (typeof value === 'function') {
        // A saver or loader keeps its role: lineage records it, and a saver is never taken from the cache.
        specs.push({ name: node.name, dependencies: node.dependencies, fn: value as Fn, ...(made?.role ? { role: made.role } : {}) });
      } else {
        missing.push(node.name);
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
    const graph = buildGraph(specs, { config: payload.config });
    const versionOf = versionsOf(payload);
    // The savers record the same lineage as a Driver's: the code versions are the panel's, from the cells.
    expanded?.dagcells.recordSaverLineage?.(graph, payload.config ?? {}, () => payload.inputs, versionOf);
    const cached = payload.cache ? cacheFor(payload.cache, versionOf) : undefined;
    const running = executeGraph(graph, payload.outputs, payload, {
      yieldBetweenNodes: true,
      callNode: interruptibleCaller(tslab),
      signal: controller.signal,
      onEvent: event => {
        const runId = payload.runId;
        if (event.type === 'node-started') {
          send({ kind: 'event', runId, event: { type: 'node-started', node: event.node } });
        } else if (event.type === 'node-finished') {
          send({ kind: 'event', runId, event: { type: 'node-finished', node: event.node, ms: event.ms, preview: preview(event.value) } });
        } else if (event.type === 'node-warning') {
          send({ kind: 'event', runId, event: { type: 'node-warning', node: event.node, message: event.message } });
        } else if (event.type === 'node-failed') {
          send({ kind: 'event', runId, event: { type: 'node-failed', node: event.node, ms: event.ms, message: messageOf(event.error) } });
        } else if (event.status === 'retrieved') {
          send({ kind: 'event', runId, event: { type: 'node-cached', node: event.node, ms: event.ms, computedAt: event.computedAt ?? '' } });
        }
      }
    }, cached);
    // An interrupt ends the run at once, also while a node awaits something that
    // will not notice it; what that node does later is dropped.
    const interrupted = new Promise<never>((_, reject) =>
      controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true })
    );
    running.catch(() => undefined);
    const values = await Promise.race([running, interrupted]);
    const results: Record<string, ReturnType<typeof preview>> = {};
    for (const output of payload.outputs) {
      results[output] = preview(values[output], { result: true });
    }
    (globalThis as { __dagcells__?: { last?: unknown } }).__dagcells__!.last = values;
    send({ kind: 'result', runId: payload.runId, status: 'ok', results, ms: Date.now() - started });
  } catch (error) {
    fail(
      isInterrupt(error)
        ? { code: 'INTERRUPTED', message: INTERRUPTED, nodes: [] }
        : isDagError(error)
          ? { code: error.code, message: error.message, nodes: error.nodes }
          : { code: 'ERROR', message: messageOf(error), nodes: [] }
    );
  } finally {
    runs.delete(payload.runId);
  }
}

/** The values panel runs keep for later ones, in memory, while the kernel lives. */
let memory: MemoryStore | undefined;

function cacheFor(setting: NonNullable<RunPayload['cache']>, versionOf: (name: string) => string | undefined) {
  const bytes = setting.bytes ?? 256 * 1024 * 1024;
  if (!memory || memory.budget !== bytes) {
    memory = new MemoryStore(bytes);
  }
  return {
    cache: new NodeCache({ store: memory }, versionOf),
    behaviours: { recompute: setting.recompute ?? [], disable: setting.disable ?? [], ignore: setting.ignore ?? [] }
  };
}

/** Drops every value the cache holds. */
function clearCache(): void {
  memory?.clear();
}

/** Runs in progress, by id. */
const runs = new Map<string, AbortController>();

/** Stops a run: no node starts after this, and the run ends at once as interrupted. */
function stop(runId: string): void {
  runs.get(runId)?.abort(INTERRUPT_REASON);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}` : String(error);
}

(globalThis as { __dagcells__?: unknown }).__dagcells__ = {
  version: __DAGCELLS_RUNTIME_VERSION__,
  run,
  stop,
  clearCache,
  /** The values of the last panel run, for a cell to pick up: `(globalThis as any).__dagcells__.last`. */
  last: undefined
};

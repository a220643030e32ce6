/**
 * The extension's side of running dataflows in a notebook's tslab kernel. It
 * sends code built by `dagcells/kernel` (a constant template and JSON strings),
 * installs the runtime when the kernel lacks it, turns the kernel's display
 * messages into progress events and a result, and copes with tslab's ways:
 * errors only as stderr text, requests answered 'abort' for a moment after an
 * error, interrupts. No UI here: the panel owns that.
 */
import type { Kernel, KernelMessage as Jupyter } from '@jupyterlab/services';
import {
  clearCacheCode,
  installAndRunCode,
  isKernelMessage,
  KernelMessage,
  MESSAGE_MIME,
  RunError,
  RunEvent,
  RunPayload,
  runCode,
  stopCode,
  ValuePreview,
  WireNode
} from 'dagcells/kernel';
import { KERNEL_RUNTIME_SOURCE, KERNEL_RUNTIME_VERSION } from 'dagcells/kernel-runtime';

import { parseKernelErrors, KernelDiagnostic } from './stderr';

export type { KernelDiagnostic, RunEvent };

/**
 * What to run: the nodes of the run as the notebook's analysis found them
 * (the kernel's functions of those names, called with these dependencies),
 * the outputs, and JSON values.
 */
export interface RunRequest {
  nodes: WireNode[];
  outputs: string[];
  inputs?: Record<string, unknown>;
  overrides?: Record<string, unknown>;
  config?: Record<string, unknown>;
  /** The code version of each function of the run (see `RunPayload.versions`). */
  versions?: Record<string, string>;
  /** Reuse values the kernel keeps from earlier runs (see `RunPayload.cache`). */
  cache?: RunPayload['cache'];
}

export interface RunResult {
  /** `restarted`: the kernel restarted or died during the run, which ended with it. */
  status: 'ok' | 'error' | 'interrupted' | 'restarted';
  /** A preview of each requested output, when the run succeeded. */
  results: Record<string, ValuePreview>;
  error?: RunError;
  /** Milliseconds from sending to the reply. */
  ms: number;
}

export interface DefineResult {
  ok: boolean;
  /** The kernel restarted or stopped before it answered. */
  canceled?: boolean;
  /** Problems tslab reported, with their places in the code sent. */
  errors: KernelDiagnostic[];
  stderr: string;
}

/** What one execute request brought back. */
interface Reply {
  /** `canceled`: the kernel restarted or died before it answered. */
  status: 'ok' | 'error' | 'abort' | 'canceled';
  stdout: string;
  stderr: string;
  messages: KernelMessage[];
}

export namespace KernelBridge {
  export interface IOptions {
    /** The runtime to install (the built bundle by default). */
    runtimeSource?: string;
    runtimeVersion?: string;
    /** How often to resend a request that tslab answered 'abort' (default 8). */
    abortRetries?: number;
  }
}

let runCounter = 0;

/**
 * What tslab prints when an interrupt ends a request: one that was awaiting,
 * or (Node's vm) one whose code was running when the signal came, as when the
 * interrupt lands the moment a node starts.
 */
const INTERRUPTED_BY_TSLAB = /Interrupted asynchronously|Script execution was interrupted by `SIGINT`/;

/** The error of an interrupted run, naming the nodes it stopped. */
function interruptedWhile(nodes: string[]): RunError {
  return {
    code: 'INTERRUPTED',
    message:
      nodes.length > 0
        ? `The run was interrupted while ${nodes.join(', ')} ${nodes.length === 1 ? 'was' : 'were'} running.`
        : 'The run was interrupted.',
    nodes
  };
}

export class KernelBridge {
  private readonly runtimeSource: string;
  private readonly runtimeVersion: string;
  private readonly abortRetries: number;
  private interrupted = false;

  constructor(
    readonly kernel: Kernel.IKernelConnection,
    options: KernelBridge.IOptions = {}
  ) {
    this.runtimeSource = options.runtimeSource ?? KERNEL_RUNTIME_SOURCE;
    this.runtimeVersion = options.runtimeVersion ?? KERNEL_RUNTIME_VERSION;
    this.abortRetries = options.abortRetries ?? 8;
  }

  /** Drops every value the kernel runtime's cache holds. */
  async clearCache(): Promise<void> {
    await this.execute(clearCacheCode());
  }

  /** Runs definitions (functions, types, imports, constants) as one request, as a cell would. */
  async define(code: string): Promise<DefineResult> {
    const reply = await this.execute(code);
    if (reply.status === 'canceled') {
      return { ok: false, errors: [{ message: 'The kernel restarted or stopped before the definitions ran.' }], stderr: '', canceled: true };
    }
    return { ok: reply.status === 'ok', errors: reply.status === 'ok' ? [] : parseKernelErrors(reply.stderr), stderr: reply.stderr };
  }

  /**
   * Runs outputs through the dagcells runtime in the kernel, installing it first
   * when the kernel does not have this version. Names and values are checked
   * before anything is sent (a RequestError names the bad one).
   */
  async run(request: RunRequest, onEvent?: (event: RunEvent) => void): Promise<RunResult> {
    const started = Date.now();
    const payload = {
      runId: `run-${Date.now().toString(36)}-${++runCounter}`,
      nodes: request.nodes,
      outputs: request.outputs,
      inputs: request.inputs ?? {},
      overrides: request.overrides ?? {},
      config: request.config ?? {},
      ...(request.versions ? { versions: request.versions } : {}),
      ...(request.cache ? { cache: request.cache } : {})
    };
    this.interrupted = false;
    // The nodes running now: an interrupt's message names them.
    const running = new Set<string>();
    const listen = (message: KernelMessage) => {
      if (message.kind === 'event' && message.runId === payload.runId) {
        if (message.event.type === 'node-started') {
          running.add(message.event.node);
        } else {
          running.delete(message.event.node);
        }
        onEvent?.(message.event);
      }
    };
    let reply = await this.execute(runCode(payload, this.runtimeVersion), listen);
    if (reply.messages.some(m => m.kind === 'install-needed' && m.runId === payload.runId)) {
      reply = await this.execute(installAndRunCode(payload, this.runtimeSource), listen);
    }
    const ms = Date.now() - started;
    if (reply.status === 'canceled') {
      return {
        status: 'restarted',
        results: {},
        error: { code: 'KERNEL_RESTARTED', message: 'The kernel restarted or stopped during the run, which ended with it.', nodes: [] },
        ms
      };
    }
    const result = reply.messages.find(
      (m): m is Extract<KernelMessage, { kind: 'result' }> => m.kind === 'result' && m.runId === payload.runId
    );
    if (!result && reply.status === 'error' && (this.interrupted || INTERRUPTED_BY_TSLAB.test(reply.stderr))) {
      // Interrupted from anywhere (Stop, Kernel > Interrupt): tslab stopped waiting
      // for the run, which must not go on to its next node.
      await this.execute(stopCode(payload.runId), undefined, true);
      return { status: 'interrupted', results: {}, error: interruptedWhile([...running]), ms };
    }
    if (result?.error?.code === 'INTERRUPTED' || (this.interrupted && !result)) {
      return { status: 'interrupted', results: {}, error: interruptedWhile([...running]), ms };
    }
    if (result) {
      return { status: result.status, results: result.results, error: result.error, ms };
    }
    const problems = parseKernelErrors(reply.stderr);
    return {
      status: 'error',
      results: {},
      error: {
        code: 'ERROR',
        message:
          reply.status === 'ok'
            ? 'The kernel ran the request but sent no result.'
            : problems.map(p => p.message).join('\n') || `The kernel answered '${reply.status}'.`,
        nodes: []
      },
      ms
    };
  }

  /** Interrupts the kernel; a run in progress resolves with status 'interrupted'. */
  async interrupt(): Promise<void> {
    this.interrupted = true;
    await this.kernel.interrupt();
  }

  /** Sends code; resends it while tslab answers 'abort' (it does for ~200 ms after an error). */
  private async execute(code: string, listen?: (message: KernelMessage) => void, evenIfInterrupted = false): Promise<Reply> {
    for (let attempt = 0; ; attempt++) {
      const reply = await this.executeOnce(code, listen);
      if (reply.status !== 'abort' || attempt >= this.abortRetries || (this.interrupted && !evenIfInterrupted)) {
        return reply;
      }
      await new Promise(resolve => setTimeout(resolve, 60 * (attempt + 1)));
    }
  }

  private async executeOnce(code: string, listen?: (message: KernelMessage) => void): Promise<Reply> {
    const reply: Reply = { status: 'ok', stdout: '', stderr: '', messages: [] };
    const future = this.kernel.requestExecute({ code, silent: false, store_history: false, stop_on_error: false });
    future.onIOPub = (message: Jupyter.IIOPubMessage) => {
      const type = message.header.msg_type;
      if (type === 'stream') {
        const content = (message as Jupyter.IStreamMsg).content;
        reply[content.name === 'stderr' ? 'stderr' : 'stdout'] += content.text;
      } else if (type === 'display_data' || type === 'update_display_data') {
        const data = (message as Jupyter.IDisplayDataMsg).content.data[MESSAGE_MIME];
        if (isKernelMessage(data)) {
          reply.messages.push(data);
          listen?.(data);
        }
      }
    };
    try {
      const done = await future.done;
      reply.status = ((done?.content as { status?: Reply['status'] })?.status ?? 'error') as Reply['status'];
    } catch {
      // The future was disposed: the kernel restarted, died or was shut down before it answered.
      reply.status = 'canceled';
    }
    return reply;
  }
}

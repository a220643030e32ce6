/**
 * What the notebook extension and the runtime inside the kernel tell each other.
 * tslab has no comms, so the kernel side answers with `display_data` messages of
 * a custom MIME type on the request's IOPub; the extension side sends code built
 * only from a constant template and one JSON string.
 */
import type { ValuePreview } from './preview';

/** MIME type of every message the kernel runtime sends back. */
export const MESSAGE_MIME = 'application/vnd.dagcells.message+json';

/**
 * A node of the run as the notebook's analysis found it: the kernel's
 * function of that name, called with these dependencies in this order.
 * The kernel reads no signature.
 */
export interface WireNode {
  name: string;
  dependencies: { name: string; optional: boolean }[];
}

/** What the extension asks the kernel to run. */
export interface RunPayload {
  /** Ties messages to the run that asked. */
  runId: string;
  /** The functions the run computes (the upstream closure of its outputs), in dependency order. */
  nodes: WireNode[];
  outputs: string[];
  inputs: Record<string, unknown>;
  overrides: Record<string, unknown>;
  config: Record<string, unknown>;
  /**
   * The code version of each function of the run, computed by the extension
   * from the cells (`graphCodeVersions`, the one notion the Driver uses too):
   * what the cache keys values with and what a saver's lineage records.
   */
  versions?: Record<string, string>;
  /**
   * Reuse values of earlier panel runs kept in the kernel's memory: a node is
   * retrieved while its code version (computed by the extension from the
   * cells) and its inputs' data versions are the same.
   */
  cache?: {
    /** Code version of each function of the run (default: the run's `versions`). */
    versions?: Record<string, string>;
    /** The memory budget, in bytes. */
    bytes?: number;
    recompute?: string[];
    disable?: string[];
    ignore?: string[];
  };
}

/** A failure as the panel shows it. */
export interface RunError {
  /** A DagError code, or ERROR for anything else. */
  code: string;
  message: string;
  nodes: string[];
}

/** Progress of a run, in one shape from the kernel to the panel's model. */
export type RunEvent =
  | { type: 'node-started'; node: string }
  | { type: 'node-finished'; node: string; ms: number; preview: ValuePreview }
  | { type: 'node-failed'; node: string; ms: number; message: string }
  | { type: 'node-warning'; node: string; message: string }
  /** The node's value came from the cache (told before its node-finished): computed at `computedAt`, which took `ms`. */
  | { type: 'node-cached'; node: string; ms: number; computedAt: string };

/** Messages from the kernel, each a `display_data` of {@link MESSAGE_MIME}. */
export type KernelMessage =
  /** The runtime is missing or another version: the extension installs it and asks again. */
  | { kind: 'install-needed'; runId: string; found?: string }
  | { kind: 'event'; runId: string; event: RunEvent }
  | {
      kind: 'result';
      runId: string;
      status: 'ok' | 'error';
      /** A preview of each requested output (on success). */
      results: Record<string, ValuePreview>;
      error?: RunError;
      ms: number;
    };

/** True for a message of the kernel runtime. */
export function isKernelMessage(value: unknown): value is KernelMessage {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { kind?: unknown }).kind === 'string' &&
    typeof (value as { runId?: unknown }).runId === 'string'
  );
}

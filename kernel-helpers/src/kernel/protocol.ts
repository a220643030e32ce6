/**
 * What the notebook extension and the runtime inside the kernel tell each other.
 * tslab has no comms, so the kernel side answers with `display_data` messages of
 * a custom MIME type on the request's IOPub; the extension side sends code built
 * only from a constant template and one JSON string.
 */
import type { ValuePreview } from './preview';

/** MIME type of every message the kernel runtime sends back. */
export const MESSAGE_MIME = 'application/vnd.dagcells.message+json';

/** What the extension asks the kernel to run. */
export interface RunPayload {
  /** Ties messages to the run that asked. */
  runId: string;
  /** Names of the kernel's functions that make up the dataflow to run. */
  functions: string[];
  outputs: string[];
  inputs: Record<string, unknown>;
  overrides: Record<string, unknown>;
  config: Record<string, unknown>;
}

/** A failure as the panel shows it. */
export interface RunError {
  /** A DagError code, or ERROR for anything else. */
  code: string;
  message: string;
  nodes: string[];
}

/** Messages from the kernel, each a `display_data` of {@link MESSAGE_MIME}. */
export type KernelMessage =
  /** The runtime is missing or another version: the extension installs it and asks again. */
  | { kind: 'install-needed'; runId: string; found?: string }
  | { kind: 'node-started'; runId: string; node: string }
  | { kind: 'node-finished'; runId: string; node: string; ms: number; preview: ValuePreview }
  | { kind: 'node-failed'; runId: string; node: string; ms: number; message: string }
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

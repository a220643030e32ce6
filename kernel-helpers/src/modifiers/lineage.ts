/**
 * Artifact lineage: what a saver records beside each file it writes (its
 * upstream nodes with the code version of each, the config, the data versions
 * of the external inputs, the dagcells version), and the check of a record
 * against a module and config now (`dagcells lineage FILE --module M.ts`).
 *
 * The code version of a node is the version the graph gives it: the hash of
 * its declaration's source when the source is known, else of its function's
 * text (the same `version` that `toJSON()` reports).
 */
import { hashText } from '../analysis/hash';
import { upstreamOf } from '../graph/lineage';
import type { GraphNode, GraphSnapshot } from '../graph/types';

/** The lineage part of an artifact's record. */
export interface Lineage {
  /** The saver that wrote the file. */
  saver: string;
  /** Every node upstream of the saver (the saver excluded), with its kind and code version. */
  upstream: { node: string; kind: string; version?: string }[];
  config: Record<string, unknown>;
  /** The data version (a hash of the value) of each external input the saver depends on. */
  inputs: Record<string, string>;
  dagcellsVersion: string;
}

/** The code version of a node: its source's hash, else its function's text's. */
export function codeVersion(node: GraphNode): string | undefined {
  if (node.kind !== 'function') {
    return undefined;
  }
  return node.hash ?? (node.fn ? hashText(Function.prototype.toString.call(node.fn)) : undefined);
}

/** The data version of a value: a hash of its JSON text (bigints as text, typed arrays as arrays). */
export function dataVersion(value: unknown): string {
  let text: string;
  try {
    text =
      JSON.stringify(value, (_k, v) =>
        typeof v === 'bigint' ? `${v}n` : ArrayBuffer.isView(v) && !(v instanceof DataView) ? Array.from(v as unknown as ArrayLike<number>) : v
      ) ?? String(value);
  } catch {
    text = String(value);
  }
  return hashText(text);
}

/** The lineage of a saver in a graph, for one run's config and inputs. */
export function lineageOf(
  graph: GraphSnapshot,
  saver: string,
  config: Readonly<Record<string, unknown>>,
  inputs: Readonly<Record<string, unknown>> | undefined,
  version: string
): Lineage {
  const names = upstreamOf(graph, [saver]).filter(n => n !== saver).sort();
  const upstream: Lineage['upstream'] = [];
  const dataVersions: Record<string, string> = {};
  const usedConfig: Record<string, unknown> = {};
  for (const name of names) {
    const node = graph.nodes.get(name);
    if (!node) {
      continue;
    }
    const v = codeVersion(node);
    upstream.push({ node: name, kind: node.role ?? node.kind, ...(v !== undefined ? { version: v } : {}) });
    if (node.kind === 'input' && inputs && Object.prototype.hasOwnProperty.call(inputs, name)) {
      dataVersions[name] = dataVersion(inputs[name]);
    }
  }
  for (const key of Object.keys(config)) {
    usedConfig[key] = config[key];
  }
  return { saver, upstream, config: usedConfig, inputs: dataVersions, dagcellsVersion: version };
}

/** How a recorded lineage compares with a graph now. */
export interface LineageCheck {
  current: boolean;
  /** Upstream functions whose code version changed. */
  changed: string[];
  /** Upstream nodes the graph no longer has. */
  missing: string[];
  /** Nodes upstream of the saver now that the record does not list. */
  added: string[];
  /** Config keys whose value differs from the recorded one. */
  configChanged: string[];
}

export function checkLineage(lineage: Lineage, graph: GraphSnapshot, config: Readonly<Record<string, unknown>>): LineageCheck {
  const changed: string[] = [];
  const missing: string[] = [];
  for (const entry of lineage.upstream) {
    const node = graph.nodes.get(entry.node);
    if (!node) {
      missing.push(entry.node);
    } else if (entry.version !== undefined && codeVersion(node) !== entry.version) {
      changed.push(entry.node);
    }
  }
  const recorded = new Set(lineage.upstream.map(e => e.node));
  const added = graph.nodes.has(lineage.saver)
    ? upstreamOf(graph, [lineage.saver]).filter(n => n !== lineage.saver && !recorded.has(n)).sort()
    : [];
  if (!graph.nodes.has(lineage.saver)) {
    missing.push(lineage.saver);
  }
  const keys = new Set([...Object.keys(lineage.config), ...Object.keys(config)]);
  const configChanged = [...keys].filter(k => JSON.stringify(lineage.config[k]) !== JSON.stringify(config[k])).sort();
  return { current: changed.length + missing.length + added.length + configChanged.length === 0, changed, missing, added, configChanged };
}

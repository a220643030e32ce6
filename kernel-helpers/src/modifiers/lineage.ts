/**
 * Artifact lineage: what a saver records beside each file it writes (its
 * upstream nodes with the code version of each, the config, the data versions
 * of the external inputs, the dagcells version), and the check of a record
 * against a module and config now (`dagcells lineage FILE --module M.ts`).
 *
 * The code version of a node is the cache's (`Driver.codeVersion`): its
 * tokens and those of the helpers and constants it uses, comments and layout
 * left out. A record says which scheme made its versions; one made by another
 * scheme (an older dagcells) is read, and said not comparable.
 */
import { hashText } from '../analysis/hash';
import { CODE_VERSION_SCHEME } from '../cache/code-version-scheme';
import { upstreamOf } from '../graph/lineage';
import type { GraphSnapshot } from '../graph/types';
import { saverContexts } from './expand';

/** The version recorded in artifact lineage (kept equal to the package's). */
export const DAGCELLS_VERSION = '0.1.0';

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
  /** The code version scheme of `upstream` (see `CODE_VERSION_SCHEME`); absent in records of older dagcells. */
  codeVersionScheme?: number;
}

/** The code version of a node by name (`Driver.codeVersion`). */
export type CodeVersionOf = (name: string) => string | undefined;

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
  version: string,
  codeVersionOf: CodeVersionOf
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
    const v = codeVersionOf(name);
    upstream.push({ node: name, kind: node.role ?? node.kind, ...(v !== undefined ? { version: v } : {}) });
    if (node.kind === 'input' && inputs && Object.prototype.hasOwnProperty.call(inputs, name)) {
      dataVersions[name] = dataVersion(inputs[name]);
    }
  }
  for (const key of Object.keys(config)) {
    usedConfig[key] = config[key];
  }
  return { saver, upstream, config: usedConfig, inputs: dataVersions, dagcellsVersion: version, codeVersionScheme: CODE_VERSION_SCHEME };
}

/**
 * Makes every saver of a graph record its lineage when it writes: its
 * upstream nodes with their code versions (`codeVersionOf`), the config, the
 * data versions of the run's inputs (read when it writes) and this dagcells'
 * version. The Driver calls it on the graph it builds, and the notebook
 * kernel's runtime on the graph of a panel run, with the code versions the
 * panel computed from the cells: one record, whoever ran the saver.
 */
export function recordSaverLineage(
  graph: GraphSnapshot,
  config: Readonly<Record<string, unknown>>,
  inputs: () => Readonly<Record<string, unknown>> | undefined,
  codeVersionOf: CodeVersionOf
): void {
  for (const node of graph.nodes.values()) {
    const context = node.fn ? saverContexts.get(node.fn) : undefined;
    if (context) {
      const name = node.name;
      context.record = () => ({ ...lineageOf(graph, name, config, inputs(), DAGCELLS_VERSION, codeVersionOf) });
    }
  }
}

/** How a recorded lineage compares with a graph now. */
export interface LineageCheck {
  current: boolean;
  /**
   * Why the record's code versions cannot be compared with today's (it was made
   * by another dagcells, under another code version scheme); then nothing else
   * is compared and `current` is false.
   */
  incomparable?: string;
  /** Upstream functions whose code version changed. */
  changed: string[];
  /** Upstream nodes the graph no longer has. */
  missing: string[];
  /** Nodes upstream of the saver now that the record does not list. */
  added: string[];
  /** Config keys whose value differs from the recorded one. */
  configChanged: string[];
}

/** Why a record's code versions cannot be compared with this dagcells', or undefined when they can. */
export function incomparableLineage(lineage: Lineage): string | undefined {
  const scheme = lineage.codeVersionScheme;
  if (scheme === CODE_VERSION_SCHEME) {
    return undefined;
  }
  const by = typeof lineage.dagcellsVersion === 'string' ? ` (it says dagcells ${lineage.dagcellsVersion})` : '';
  return scheme === undefined
    ? `its lineage was recorded by an older dagcells${by}, whose code versions cannot be compared with this one's; run its saver again to record comparable ones`
    : `its lineage was recorded with code version scheme ${JSON.stringify(scheme)}${by}, and this dagcells uses scheme ${CODE_VERSION_SCHEME}: the code versions cannot be compared; run its saver again with this dagcells`;
}

export function checkLineage(
  lineage: Lineage,
  graph: GraphSnapshot,
  config: Readonly<Record<string, unknown>>,
  codeVersionOf: CodeVersionOf
): LineageCheck {
  const changed: string[] = [];
  const missing: string[] = [];
  const incomparable = incomparableLineage(lineage);
  if (incomparable !== undefined) {
    return { current: false, incomparable, changed, missing, added: [], configChanged: [] };
  }
  for (const entry of lineage.upstream) {
    const node = graph.nodes.get(entry.node);
    if (!node) {
      missing.push(entry.node);
    } else if (entry.version !== undefined && codeVersionOf(entry.node) !== entry.version) {
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

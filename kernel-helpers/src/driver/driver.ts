/**
 * The Driver: builds the dataflow from plain functions and computes only what
 * is asked for. Where the functions' source is known (given, or a module the
 * CLI loaded), dependencies, optionality and types come from its analysis;
 * otherwise parameter names are read from each function's text, once per
 * function object.
 */
import type { FunctionInfo, SourceAnalysis } from '../analysis/types';
import { DagError } from '../errors';
import { buildGraph } from '../graph/build';
import { graphToDot, DotOptions } from '../graph/dot';
import { graphToJSON, GraphJSON } from '../graph/json';
import { downstreamOf, pathBetween, topologicalOrder, upstreamOf } from '../graph/lineage';
import type { Dependency, GraphSnapshot, NodeSpec } from '../graph/types';
import { functionSpec } from '../specs/from-function';
import { sourceSpec } from '../specs/from-source';
import { NodeCache } from '../cache/cache';
import type { CacheBehaviours, CacheSetting } from '../cache/cache';
import type { NodeCodeVersion } from '../cache/code-version';
import { executeGraph, planOrThrow } from './execute';
import { frozenConfig } from './frozen';
import type { RunValues } from './plan';
import { isPlainType, valueMatchesType } from './value-types';
import type { RunOptions } from './run';
import { notebookFunctions, tslabOf } from './notebook';
import { expandOne, isModified, mergeVariants, nodeNameOf } from '../modifiers/expand';
import { modifierOf } from '../modifiers/types';
import { recordSaverLineage } from '../modifiers/lineage';

// Source analysis and type judgement load the TypeScript compiler, most of a
// cold CLI run: they load when a Driver first needs them, and the same type
// text at both ends of an edge (the common case) needs no judge at all.
const analyzeSource = (code: string, options?: { fileName?: string }) =>
  (require('../analysis/analyze') as typeof import('../analysis/analyze')).analyzeSource(code, options);
// The check of an input in depth parses its type with the same compiler: a plain
// type (numbers, strings, arrays of them) that the value matches needs no parse.
const inputValueFault = (value: unknown, type: string, resolve: (name: string) => string | undefined) =>
  isPlainType(type) && valueMatchesType(value, type)
    ? undefined
    : (require('./value-check') as typeof import('./value-check')).inputValueFault(value, type, resolve);
const sameText = (a: string, b: string) => a === b || a.replace(/\s+/g, '') === b.replace(/\s+/g, '');
const typesAgree = (producer: string | undefined, consumer: string | undefined, resolve?: (name: string) => string | undefined) =>
  !producer ||
  !consumer ||
  sameText(producer, consumer) ||
  (require('../analysis/types-agree') as typeof import('../analysis/types-agree')).typesAgree(producer, consumer, resolve);

export interface DriverOptions {
  /**
   * Config values, available as nodes of kind `config`. The Driver keeps a
   * frozen copy (plain objects and arrays copied deeply): a node that tries to
   * change config fails, and the object given is never changed by a run.
   */
  config?: Record<string, unknown>;
  /** The functions' source, analysed for types, docs and places (needs the package entry). */
  source?: string;
  /** An analysis of the functions' source, if already at hand. */
  analysis?: SourceAnalysis;
  /** The file the functions come from, for messages. */
  file?: string;
  /**
   * Keeps computed values and reuses them while a node's code version and its
   * inputs' data versions are unchanged: `true` in memory, `{ bytes }` in memory
   * within a budget, `{ dir }` on disk (shared safely by processes). Code
   * versions cover `_` helpers and constants when the source is known
   * (`source`, or `file` readable); otherwise only each function's own text.
   */
  cache?: CacheSetting;
}

export interface ExecuteOptions extends RunOptions {
  /** Values of external inputs. */
  inputs?: Record<string, unknown>;
  /** Values that replace nodes; what only they needed is skipped. */
  overrides?: Record<string, unknown>;
  /** With a Driver made with `cache`: what this run does with it node by node; `false` runs without it. */
  cache?: CacheBehaviours | false;
}

/** One entry of {@link Driver.listAvailableVariables}. */
export interface Variable {
  name: string;
  type?: string;
  isExternalInput: boolean;
  requiredDependencies: string[];
  optionalDependencies: string[];
  tags: Record<string, string>;
  doc?: string;
  /** `saver` or `loader` for the artifact nodes of `saveTo.*` and `loadFrom.*`. */
  kind?: 'saver' | 'loader';
  /** The config variant chosen for the node (the name it was defined under). */
  variant?: string;
  /** The checks on its value. */
  checks?: string[];
}

/**
 * A node given explicitly, as Observable's `define(name, inputs, fn)`: its
 * dependencies in the order of the function's parameters. Nothing is read
 * from the function.
 */
export interface NodeDefinition {
  name: string;
  /** One per parameter, in order: a name, or a name marked optional. */
  dependencies: readonly (string | Dependency)[];
  fn: (...args: any[]) => unknown;
}

/**
 * Builds a dataflow from functions whose parameter names are the nodes they
 * depend on, and computes the outputs you ask for.
 *
 * @example
 * ```ts
 * const dr = Driver.fromFunctions({ spend: spend, spend_mean: spend_mean });
 * const { spend_mean } = await dr.execute(["spend_mean"], { inputs: { raw_spend: [10, 20] } });
 * ```
 */
export class Driver {
  private readonly config: Readonly<Record<string, unknown>>;
  /** The graph, with the problems found while building it (cycles, duplicates, ...). */
  readonly graph: GraphSnapshot;

  /** Nodes whose config variants all failed to apply: the variants and what each needs. */
  private absentVariants: Map<string, string[]> | undefined;

  /** The inputs of the latest run, for the lineage its savers record. */
  private runInputs: Record<string, unknown> | undefined;

  /** The in-depth check of inputs, when the source (and so the named types) is known. */
  private readonly checkValue: RunValues['checkValue'];

  /** The cache its runs use, when made with `cache`. */
  cache?: NodeCache;

  /** Where the functions' source is, for their code versions; read when a version is first asked for. */
  private codeSource: Pick<DriverOptions, 'source' | 'file'> = {};
  private versions: NodeCodeVersion | undefined;

  private constructor(graph: GraphSnapshot, config: Readonly<Record<string, unknown>>, checkValue?: RunValues['checkValue']) {
    this.graph = graph;
    this.config = config;
    this.checkValue = checkValue;
  }

  /** A dataflow of the functions of an object: each key is a node name. */
  static fromFunctions(fns: Record<string, unknown>, options: DriverOptions = {}): Driver {
    const analysis =
      options.analysis ??
      (options.source !== undefined ? analyzeSource(options.source, { fileName: options.file }) : undefined);
    const known = analysis ? new Map(analysis.functions.map(fn => [fn.name, fn])) : undefined;
    const specs: NodeSpec[] = [];
    let modified: Record<string, unknown> | undefined;
    let absent: Map<string, string[]> | undefined;
    for (const name in fns) {
      if (!Object.prototype.hasOwnProperty.call(fns, name)) {
        continue;
      }
      const value = fns[name];
      if (typeof value !== 'function') {
        continue;
      }
      if (isModified(value)) {
        // Wrapped by modifiers: expanded with the config, after the plain functions (see below).
        (modified ??= {})[name] = value;
      } else {
        specs.push(specOf(name, value as NodeSpec['fn'] & object, known?.get(name), options.file));
      }
    }
    if (modified) {
      // The wrapped value is the truth; its source, when known, gives the inner function's types and doc.
      const origin = options.file !== undefined ? { file: options.file } : undefined;
      const expanded: NodeSpec[] = [];
      for (const key of Object.keys(modified)) {
        const info = known?.get(key);
        const base = (name: string, fn: NodeSpec['fn'] & object) =>
          info && !info.unresolvedBase ? sourceSpec({ ...info, name }, origin, fn) : specOf(name, fn, undefined, options.file);
        const made = expandOne(key, modified[key], options.config ?? {}, base);
        if (made.length === 0) {
          // A variant the config does not choose: its node's consumers will say which config would make it.
          const wanted = conditionsOf(modified[key]);
          const node = nodeNameOf(key, ['config.when']);
          (absent ??= new Map()).set(node, [...(absent.get(node) ?? []), `${key} (${wanted})`]);
        }
        expanded.push(...made);
      }
      for (const spec of mergeVariants(expanded)) {
        specs.push(origin && !spec.origin ? { ...spec, origin } : spec);
      }
    }
    const driver = Driver.fromSpecs(specs, options.config, analysis);
    driver.absentVariants = absent;
    driver.codeSource = { source: options.source, file: options.file };
    if (options.cache) {
      driver.cache = new NodeCache(options.cache, name => driver.codeVersion(name), (dir, onDamaged) => {
        const { DiskStore } = require('../cache/disk-store') as typeof import('../cache/disk-store');
        return new DiskStore(dir, onDamaged);
      });
    }
    return driver;
  }

  /** A dataflow of a module's exported functions (`await import("./marketing")`). */
  static fromModule(mod: Record<string, unknown>, options: DriverOptions = {}): Driver {
    const fns: Record<string, unknown> = {};
    for (const key of Object.keys(mod)) {
      if (key !== 'default' && key !== '__esModule') {
        fns[key] = mod[key];
      }
    }
    return Driver.fromFunctions(fns, options);
  }

  /**
   * A dataflow of every top-level function the cells of the running tslab
   * kernel have defined so far (names starting with `_` are helpers, skipped).
   */
  static fromNotebook(options: DriverOptions = {}): Driver {
    const tslab = tslabOf();
    if (!tslab) {
      throw new Error(
        'Driver.fromNotebook() reads the functions of a running tslab kernel, and there is none here. ' +
          'Outside a notebook, use Driver.fromFunctions({ ... }) or Driver.fromModule(await import("./module")).'
      );
    }
    return Driver.fromFunctions(notebookFunctions(tslab), options);
  }

  /**
   * A dataflow of nodes given explicitly: names, dependencies and functions.
   * Nothing is read from the functions.
   *
   * @example
   * ```ts
   * const dr = Driver.fromDefinitions([
   *   { name: "total", dependencies: ["a", { name: "bonus", optional: true }], fn: (a, bonus = 0) => a + bonus }
   * ]);
   * ```
   */
  static fromDefinitions(definitions: readonly NodeDefinition[], options: Pick<DriverOptions, 'config'> = {}): Driver {
    return Driver.fromSpecs(definitions.map(definitionSpec), options.config);
  }

  private static fromSpecs(specs: NodeSpec[], config: Record<string, unknown> | undefined, analysis?: SourceAnalysis): Driver {
    // Copied and frozen: every run reads it, and no node may change it for the next one.
    const copied = frozenConfig(config);
    const types = analysis && analysis.types.length > 0 ? new Map(analysis.types.map(t => [t.name, t.definition])) : undefined;
    const graph = buildGraph(specs, {
      config: copied,
      ...(analysis ? { typesAgree } : {}),
      ...(types ? { resolveType: (name: string) => types.get(name) } : {})
    });
    // With source, inputs are checked against their declared types in depth, named types included.
    const checkValue = analysis ? (value: unknown, type: string) => inputValueFault(value, type, name => types?.get(name)) : undefined;
    const driver = new Driver(graph, copied, checkValue);
    // A saver records its lineage: upstream code versions, config, the data versions of this run's inputs.
    recordSaverLineage(graph, copied, () => driver.runInputs, n => driver.codeVersion(n));
    return driver;
  }

  /**
   * Computes the requested outputs and only what they need, each node once.
   * Every problem (missing inputs, unknown names, cycles, type mismatches) is
   * found before anything runs and thrown as one DagError.
   */
  async execute(outputs: string | readonly string[], options: ExecuteOptions = {}): Promise<Record<string, unknown>> {
    if (options.cache) {
      this.checkBehaviours(options.cache);
    }
    const cache = this.cache && options.cache !== false ? { cache: this.cache, behaviours: options.cache || {} } : undefined;
    this.runInputs = options.inputs;
    try {
      return await executeGraph(this.graph, asList(outputs), this.values(options), options, cache);
    } catch (error) {
      throw this.withVariantHint(error);
    }
  }

  /** Behaviours name functions of the graph, and need a Driver made with `cache`. */
  private checkBehaviours(behaviours: CacheBehaviours): void {
    for (const kind of ['recompute', 'disable', 'ignore'] as const) {
      const names = behaviours[kind];
      if (names === undefined || names === true) {
        continue;
      }
      if (!this.cache && names.length > 0) {
        throw new DagError('UNKNOWN_NODE', `cache.${kind} says what a run does with the cache, and this Driver has none: make it with { cache: true } (or { cache: { dir } }).`, [...names]);
      }
      const unknown = names.filter(n => this.graph.nodes.get(n)?.kind !== 'function');
      if (unknown.length > 0) {
        throw new DagError('UNKNOWN_NODE', `cache.${kind}: ${unknown.join(', ')} ${unknown.length > 1 ? 'are not functions' : 'is not a function'} of this dataflow.`, unknown);
      }
    }
  }

  /** Checks that `execute` could run these outputs with these values; runs nothing. */
  validateExecution(outputs: string | readonly string[], options: Omit<ExecuteOptions, keyof RunOptions> = {}): void {
    try {
      planOrThrow(this.graph, asList(outputs), this.values(options));
    } catch (error) {
      throw this.withVariantHint(error);
    }
  }

  /** A missing or unknown node that config variants would define: the message says which config would make it. */
  private withVariantHint(error: unknown): unknown {
    const absent = this.absentVariants;
    if (!absent || !(error instanceof DagError) || (error.code !== 'MISSING_INPUTS' && error.code !== 'UNKNOWN_NODE')) {
      return error;
    }
    const hintOf = (nodes: readonly string[]) =>
      nodes
        .filter(n => absent.has(n))
        .map(n => ` No variant of ${n} applies with this config; ${absent.get(n)!.join(' or ')} would define it.`)
        .join('');
    const hint = hintOf(error.nodes);
    if (hint === '') {
      return error;
    }
    const problems = error.problems.map(p => ({ ...p, message: p.message + hintOf(p.nodes) }));
    return new DagError(error.code, error.message + hint, error.nodes, { problems, ...('cause' in error ? { cause: error.cause } : {}) });
  }

  private values(options: Omit<ExecuteOptions, keyof RunOptions>) {
    return { inputs: options.inputs, overrides: options.overrides, config: this.config, ...(this.checkValue ? { checkValue: this.checkValue } : {}) };
  }

  /** Every node, in dependency order, with what it needs. */
  listAvailableVariables(): Variable[] {
    return topologicalOrder(this.graph).map(name => {
      const node = this.graph.nodes.get(name)!;
      return {
        name,
        ...(node.type !== undefined ? { type: node.type } : {}),
        isExternalInput: node.kind === 'input',
        requiredDependencies: node.dependencies.filter(d => !d.optional).map(d => d.name),
        optionalDependencies: node.dependencies.filter(d => d.optional).map(d => d.name),
        tags: { ...node.tags },
        ...(node.doc !== undefined ? { doc: node.doc } : {}),
        ...(node.role !== undefined ? { kind: node.role } : {}),
        ...(node.variant !== undefined ? { variant: node.variant } : {}),
        ...(node.checks !== undefined ? { checks: [...node.checks] } : {})
      };
    });
  }

  /** The given nodes and everything they need, in dependency order. */
  whatIsUpstreamOf(...names: string[]): string[] {
    return this.ordered(upstreamOf(this.graph, names));
  }

  /** The given nodes and everything that needs them, in dependency order. */
  whatIsDownstreamOf(...names: string[]): string[] {
    return this.ordered(downstreamOf(this.graph, names));
  }

  /** The nodes through which data flows from `from` to `to`, both included; empty if it does not. */
  whatIsThePathBetween(from: string, to: string): string[] {
    return pathBetween(this.graph, from, to);
  }

  /** Graphviz DOT text of the dataflow, inputs dashed, outputs highlighted. */
  toDot(options: DotOptions = {}): string {
    return graphToDot(this.graph, options);
  }

  /**
   * The code version of a function node (undefined for inputs, config and
   * unknown names): what the cache keys its values with and what a saver's
   * lineage records. It covers the `_` helpers and constants the node uses
   * when the source is known (`source`, or `file` readable); otherwise only
   * its function's own text. Comments and layout do not count.
   */
  codeVersion(name: string): string | undefined {
    const node = this.graph.nodes.get(name);
    if (node?.kind !== 'function') {
      return undefined;
    }
    this.versions ??= nodeVersionsOf(this.codeSource);
    return this.versions(name, node.fn, node.declaredAs, node.modifiers);
  }

  /** Nodes (with types, tags, docs and code versions) and edges, as plain JSON. */
  toJSON(): GraphJSON {
    return graphToJSON(this.graph, name => this.codeVersion(name));
  }

  private ordered(names: string[]): string[] {
    return topologicalOrder(this.graph, new Set(names));
  }
}

/** A function's spec: from its source when the analysis found it, else from the function itself. */
function specOf(name: string, fn: NodeSpec['fn'] & object, info: FunctionInfo | undefined, file: string | undefined): NodeSpec {
  if (info) {
    return sourceSpec(info, file !== undefined ? { file } : undefined, fn);
  }
  const spec = functionSpec(name, fn as (...args: never[]) => unknown);
  return file !== undefined ? { ...spec, origin: { file } } : spec;
}

/** The config conditions of a wrapped value, as written: `config.when({"region":"US"})`. */
function conditionsOf(value: unknown): string {
  const parts: string[] = [];
  for (let mod = modifierOf(value); mod; mod = modifierOf(mod.inner)) {
    if (mod.kind.startsWith('config.')) {
      let text: string;
      try {
        text = JSON.stringify(mod.args.conditions);
      } catch {
        text = String(mod.args.conditions);
      }
      parts.push(`${mod.kind}(${text})`);
    }
  }
  return parts.join(', ');
}

function definitionSpec(definition: NodeDefinition): NodeSpec {
  return {
    name: definition.name,
    dependencies: definition.dependencies.map(d => (typeof d === 'string' ? { name: d, optional: false } : d)),
    fn: definition.fn
  };
}

/** The code versions of a Driver's nodes, from the module's source when known (see `nodeCodeVersions`). */
function nodeVersionsOf(options: Pick<DriverOptions, 'source' | 'file'>): NodeCodeVersion {
  const { nodeCodeVersions } = require('../cache/code-version') as typeof import('../cache/code-version');
  let source = options.source;
  if (source === undefined && options.file !== undefined) {
    try {
      source = (require('fs') as typeof import('fs')).readFileSync(options.file, 'utf8');
    } catch {
      source = undefined;
    }
  }
  return nodeCodeVersions(source);
}

function asList(outputs: string | readonly string[]): string[] {
  return typeof outputs === 'string' ? [outputs] : [...outputs];
}

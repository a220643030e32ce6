/**
 * The Driver: builds the dataflow from plain functions and computes only what
 * is asked for. The TypeScript-free core, so that it also runs inside a
 * notebook kernel as a small bundle; the package entry wires source analysis in.
 */
import { errorFromProblems } from '../errors';
import type { SourceAnalysis } from '../analysis/types';
import { buildGraph, textTypesAgree, TypesAgreeFn } from '../graph/build';
import { graphToDot, DotOptions } from '../graph/dot';
import { graphToJSON, GraphJSON } from '../graph/json';
import { indexOf, IndexedGraph } from '../graph/indexed';
import { downstreamOf, pathBetween, topologicalOrder, upstreamOf } from '../graph/lineage';
import type { GraphProblem, GraphSnapshot } from '../graph/types';
import { indexFunctions, LiveFunctions } from './live-index';
import { planExecution } from './plan';
import { runPlan, RunOptions } from './run';
import { notebookFunctions, tslabOf } from './notebook';
import { specsFromFunctions } from './specs';

export interface DriverOptions {
  /** Config values, available as nodes of kind `config`. */
  config?: Record<string, unknown>;
  /** The functions' source, analysed for types, docs and places (needs the package entry). */
  source?: string;
  /** An analysis of the functions' source, if already at hand. */
  analysis?: SourceAnalysis;
  /** The file the functions come from, for messages. */
  file?: string;
}

export interface ExecuteOptions extends RunOptions {
  /** Values of external inputs. */
  inputs?: Record<string, unknown>;
  /** Values that replace nodes; what only they needed is skipped. */
  overrides?: Record<string, unknown>;
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
}

/** How the package entry lends source analysis to the driver. */
export interface SourceTools {
  analyze: (code: string, options?: { fileName?: string }) => SourceAnalysis;
  typesAgree: TypesAgreeFn;
}

let sourceTools: SourceTools | undefined;

/** Lends source analysis to every Driver (done by the package entry; the kernel bundle goes without). */
export function useSourceTools(tools: SourceTools): void {
  sourceTools = tools;
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
  private readonly config: Record<string, unknown>;
  /** What planning and running read: the graph numbered, in columns. */
  private readonly index: IndexedGraph;
  /** The graph's own problems (cycles, duplicates, ...), which stop the runs they touch. */
  private readonly problems: readonly GraphProblem[];
  /** The graph, or what makes it when it is first read. */
  private snapshot: GraphSnapshot | (() => GraphSnapshot);

  private constructor(
    config: Record<string, unknown>,
    index: IndexedGraph,
    problems: readonly GraphProblem[],
    snapshot: GraphSnapshot | (() => GraphSnapshot)
  ) {
    this.config = config;
    this.index = index;
    this.problems = problems;
    this.snapshot = snapshot;
  }

  /**
   * The graph: nodes, edges and the problems found while building it. A Driver
   * built from functions alone makes it when it is first read: running needs
   * only the graph's index, which is cheaper to build.
   */
  get graph(): GraphSnapshot {
    if (typeof this.snapshot === 'function') {
      this.snapshot = this.snapshot();
    }
    return this.snapshot;
  }

  /** A dataflow of the functions of an object: each key is a node name. */
  static fromFunctions(fns: Record<string, unknown>, options: DriverOptions = {}): Driver {
    const analysis =
      options.analysis ??
      (options.source !== undefined && sourceTools
        ? sourceTools.analyze(options.source, { fileName: options.file })
        : undefined);
    const config = { ...(options.config ?? {}) };
    if (!analysis) {
      // No source, so no types to check: the lean build, unless it finds a problem to report.
      const lean = indexFunctions(fns, config);
      if (lean) {
        const { functions } = lean;
        // No problems: a lean build only succeeds when there is none.
        return new Driver(config, lean.index, [], () => fullGraph(recordOf(functions), undefined, config, options.file));
      }
    }
    const graph = fullGraph(fns, analysis, config, options.file);
    return new Driver(config, indexOf(graph), graph.problems, graph);
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
   * Computes the requested outputs and only what they need, each node once.
   * Every problem (missing inputs, unknown names, cycles, type mismatches) is
   * found before anything runs and thrown as one DagError.
   */
  async execute(outputs: string | readonly string[], options: ExecuteOptions = {}): Promise<Record<string, unknown>> {
    return runPlan(this.plan(outputs, options), options);
  }

  /** Checks that `execute` could run these outputs with these values; runs nothing. */
  validateExecution(outputs: string | readonly string[], options: Omit<ExecuteOptions, keyof RunOptions> = {}): void {
    this.plan(outputs, options);
  }

  /** The plan of a run, or the DagError listing every problem that prevents it. */
  private plan(outputs: string | readonly string[], options: Omit<ExecuteOptions, keyof RunOptions>) {
    const { plan, problems } = planExecution(this.index, this.problems, asList(outputs), {
      inputs: options.inputs,
      overrides: options.overrides,
      config: this.config
    });
    if (!plan) {
      throw errorFromProblems(problems);
    }
    return plan;
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
        ...(node.doc !== undefined ? { doc: node.doc } : {})
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

  /** Nodes (with types, tags, docs and source versions) and edges, as plain JSON. */
  toJSON(): GraphJSON {
    return graphToJSON(this.graph);
  }

  private ordered(names: string[]): string[] {
    return topologicalOrder(this.graph, new Set(names));
  }
}

/** The graph of functions, with everything their source says of them when it is known. */
function fullGraph(
  fns: Readonly<Record<string, unknown>>,
  analysis: SourceAnalysis | undefined,
  config: Record<string, unknown>,
  file: string | undefined
): GraphSnapshot {
  const types = new Map(analysis?.types.map(t => [t.name, t.definition]));
  return buildGraph(specsFromFunctions(fns, { analysis, file }), {
    config,
    typesAgree: sourceTools?.typesAgree ?? textTypesAgree,
    resolveType: name => types.get(name)
  });
}

/** The functions of a lean build as the object they came from (same keys, same order). */
function recordOf(functions: LiveFunctions): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (let i = 0; i < functions.count; i++) {
    record[functions.names[i]] = functions.fns[i];
  }
  return record;
}

function asList(outputs: string | readonly string[]): string[] {
  return typeof outputs === 'string' ? [outputs] : [...outputs];
}

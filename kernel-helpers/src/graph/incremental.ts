/**
 * A graph kept up to date definition by definition, for the notebook panel:
 * replacing one cell's functions touches only those nodes, the nodes they
 * depend on and the nodes that depend on them. Unchanged node and edge objects
 * are shared between snapshots; cycles are searched again only when the shape
 * of the graph changed.
 *
 * It follows exactly the rules of `buildGraph` (a test checks that both give
 * the same graph after any sequence of edits).
 */
import { configType, isPrivateName, textTypesAgree, BuildOptions } from './build';
import { findCycles } from './cycles';
import {
  cycleProblem,
  duplicateConfigProblem,
  duplicateProblem,
  edgeMismatchProblem,
  inputClashProblem
} from './problems';
import type { Dependency, GraphEdge, GraphNode, GraphProblem, GraphSnapshot, NodeSpec } from './types';

/** One definition of a name: a spec, and the rank of its place (cell order, then source order). */
interface Definition {
  spec: NodeSpec;
  rank: number;
}

const NO_TAGS: Readonly<Record<string, string>> = Object.freeze({});

export class IncrementalGraph {
  private readonly definitions = new Map<string, Definition[]>();
  /** For each name, the functions that depend on it, in the order of their definitions. */
  private readonly consumers = new Map<string, string[]>();
  /** The rank each function had when it was put in its producers' consumer lists. */
  private readonly listedRank = new Map<string, number>();
  private readonly nodes = new Map<string, GraphNode>();
  private readonly incoming = new Map<string, GraphEdge[]>();
  private readonly ownProblems = new Map<string, GraphProblem[]>();
  private readonly edgeProblems = new Map<string, GraphProblem[]>();
  private readonly inputProblems = new Map<string, GraphProblem>();
  private cycles: string[][] = [];
  private shapeChanged = false;
  /** Names touched since the last snapshot: refreshed together, so a bulk load costs one pass. */
  private readonly pending = new Set<string>();
  private current: GraphSnapshot | undefined;
  private config: Readonly<Record<string, unknown>> = {};

  constructor(private readonly options: Omit<BuildOptions, 'config'> = {}) {}

  /** Replaces some definitions: `removed` specs go, `added` (with their ranks) come. */
  update(removed: readonly NodeSpec[], added: readonly Definition[]): void {
    const touched = this.pending;
    for (const spec of removed) {
      const list = this.definitions.get(spec.name);
      if (list) {
        const kept = list.filter(d => d.spec !== spec);
        if (kept.length) {
          this.definitions.set(spec.name, kept);
        } else {
          this.definitions.delete(spec.name);
        }
        touched.add(spec.name);
      }
    }
    for (const definition of added) {
      if (isPrivateName(definition.spec.name)) {
        continue;
      }
      const list = this.definitions.get(definition.spec.name) ?? [];
      list.push(definition);
      list.sort((a, b) => a.rank - b.rank);
      this.definitions.set(definition.spec.name, list);
      touched.add(definition.spec.name);
    }
    this.current = undefined;
  }

  /** Changes the ranks of every definition (the cell order changed), then refreshes all. */
  rerank(rankOf: (spec: NodeSpec) => number): void {
    for (const list of this.definitions.values()) {
      for (const definition of list) {
        definition.rank = rankOf(definition.spec);
      }
      list.sort((a, b) => a.rank - b.rank);
      this.pending.add(list[0].spec.name);
    }
    this.current = undefined;
  }

  /** Judges every node and edge again at the next snapshot (the named types changed). */
  touchAll(): void {
    for (const name of this.definitions.keys()) {
      this.pending.add(name);
    }
    for (const name of this.consumers.keys()) {
      this.pending.add(name);
    }
    this.current = undefined;
  }

  /** Replaces the config values; each key is a node. */
  setConfig(config: Readonly<Record<string, unknown>>): void {
    for (const key of [...Object.keys(this.config), ...Object.keys(config)]) {
      this.pending.add(key);
    }
    this.config = { ...config };
    this.current = undefined;
  }

  /** The graph now; the same object until an update. */
  snapshot(): GraphSnapshot {
    if (!this.current) {
      if (this.pending.size > 0) {
        this.refresh(new Set(this.pending));
        this.pending.clear();
      }
      if (this.shapeChanged) {
        this.cycles = findCycles(this.nodes);
        this.shapeChanged = false;
      }
      const problems: GraphProblem[] = [];
      const edges: GraphEdge[] = [];
      for (const list of this.incoming.values()) {
        for (const edge of list) {
          edges.push(edge);
        }
      }
      for (const list of this.ownProblems.values()) {
        problems.push(...list);
      }
      for (const list of this.edgeProblems.values()) {
        problems.push(...list);
      }
      problems.push(...this.inputProblems.values());
      // Worded afresh each time: the places of the nodes on a cycle may have moved.
      problems.push(...this.cycles.map(cycle => cycleProblem(cycle, this.nodes)));
      this.current = { nodes: new Map(this.nodes), edges, problems };
    }
    return this.current;
  }

  /** Brings the nodes named, their producers and their consumers up to date. */
  private refresh(touched: Set<string>): void {
    // Names whose node may change kind or dependents: the touched ones and what they depend on, before and after.
    const names = new Set(touched);
    // Names whose declared input type, or whose consumers, changed.
    const inputsToCheck = new Set(touched);
    // Function nodes whose incoming edges must be judged again.
    const consumersToCheck = new Set<string>();
    // Two passes over the touched names: all out of their old producers' consumer lists
    // first, so that the lists stay sorted while they are put back at their new ranks.
    const oldDependencies = new Map<string, readonly Dependency[]>();
    for (const name of touched) {
      const before = this.nodes.get(name);
      const oldDeps = before?.kind === 'function' ? before.dependencies : [];
      oldDependencies.set(name, oldDeps);
      for (const dep of oldDeps) {
        this.removeConsumer(dep.name, name);
        names.add(dep.name);
      }
    }
    for (const name of touched) {
      const before = this.nodes.get(name);
      const winner = this.winner(name);
      const oldDeps = oldDependencies.get(name) as readonly Dependency[];
      const newDeps = winner?.dependencies ?? [];
      if (!sameDependencyNames(oldDeps, newDeps) || (before?.kind === 'function') !== Boolean(winner)) {
        this.shapeChanged = true;
      }
      const rank = this.rankOf(name);
      if (this.listedRank.get(name) !== rank) {
        // It moved among its producers' consumers: an input's first typed consumer may differ.
        for (const dep of [...oldDeps, ...newDeps]) {
          inputsToCheck.add(dep.name);
        }
      }
      if (winner) {
        this.listedRank.set(name, rank);
        for (const dep of newDeps) {
          this.addConsumer(dep.name, name, rank);
          names.add(dep.name);
        }
        consumersToCheck.add(name);
      } else {
        this.listedRank.delete(name);
        this.incoming.delete(name);
        this.edgeProblems.delete(name);
      }
      for (const dep of changedDeclarations(oldDeps, newDeps)) {
        inputsToCheck.add(dep);
      }
      for (const consumer of this.consumers.get(name) ?? []) {
        consumersToCheck.add(consumer);
      }
    }
    for (const name of names) {
      this.placeNode(name, touched.has(name));
    }
    for (const consumer of consumersToCheck) {
      this.judgeEdges(consumer);
      // Judging again clears clash marks on edges from inputs: those inputs are marked again below.
      for (const dep of this.nodes.get(consumer)?.dependencies ?? []) {
        if (this.inputProblems.has(dep.name)) {
          inputsToCheck.add(dep.name);
        }
      }
    }
    for (const name of inputsToCheck) {
      this.refreshInput(name);
    }
  }

  private rankOf(name: string): number {
    const list = this.definitions.get(name);
    return list && list.length ? list[list.length - 1].rank : Infinity;
  }

  /** Inserts a consumer in definition order (binary search: shared inputs have many consumers). */
  private addConsumer(name: string, consumer: string, rank: number): void {
    let list = this.consumers.get(name);
    if (!list) {
      list = [];
      this.consumers.set(name, list);
    }
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.rankOf(list[mid]) < rank) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    list.splice(lo, 0, consumer);
  }

  private removeConsumer(name: string, consumer: string): void {
    const list = this.consumers.get(name);
    const at = list ? list.indexOf(consumer) : -1;
    if (list && at >= 0) {
      list.splice(at, 1);
    }
  }

  private winner(name: string): NodeSpec | undefined {
    const list = this.definitions.get(name);
    return list && list.length > 0 ? list[list.length - 1].spec : undefined;
  }

  /** Sets the node of a name: a function, config, an external input, or nothing. */
  private placeNode(name: string, definitionsChanged: boolean): void {
    const before = this.nodes.get(name);
    const winner = this.winner(name);
    const dependents = this.consumers.get(name)?.slice() ?? [];
    const inConfig = Object.prototype.hasOwnProperty.call(this.config, name);
    if (definitionsChanged) {
      this.ownProblems.delete(name);
    }
    if (winner) {
      const list = this.definitions.get(name) as Definition[];
      const origins = list.map(d => d.spec.origin ?? {});
      if (definitionsChanged || !before || before.kind !== 'function' || !sameList(before.dependents, dependents)) {
        this.nodes.set(name, {
          name,
          kind: 'function',
          type: winner.type,
          isAsync: Boolean(winner.isAsync),
          doc: winner.doc,
          tags: winner.tags ?? NO_TAGS,
          dependencies: winner.dependencies,
          dependents,
          origins,
          hash: winner.hash,
          fn: winner.fn
        });
      }
      const problems: GraphProblem[] = [];
      if (list.length > 1) {
        problems.push(duplicateProblem(name, origins));
      }
      if (winner.invalid) {
        problems.push({ code: 'INVALID_FUNCTION', message: winner.invalid, nodes: [name], origins });
      }
      if (inConfig) {
        problems.push(duplicateConfigProblem(name, origins));
      }
      this.setOwnProblems(name, problems);
    } else if (inConfig) {
      const type = configType(this.config[name]);
      if (!before || before.kind !== 'config' || before.type !== type || !sameList(before.dependents, dependents)) {
        this.nodes.set(name, configNode(name, type, dependents));
      }
      this.setOwnProblems(name, []);
    } else if (dependents.length > 0) {
      if (!before || before.kind !== 'input' || !sameList(before.dependents, dependents)) {
        this.nodes.set(name, { ...inputNode(name), type: before?.kind === 'input' ? before.type : undefined, dependents });
      }
      this.setOwnProblems(name, []);
    } else {
      this.nodes.delete(name);
      this.ownProblems.delete(name);
      this.inputProblems.delete(name);
      this.consumers.delete(name);
    }
  }

  private setOwnProblems(name: string, problems: GraphProblem[]): void {
    if (problems.length > 0) {
      this.ownProblems.set(name, problems);
    } else {
      this.ownProblems.delete(name);
    }
  }

  /** The edges into a function node, with their type judgement. */
  private judgeEdges(consumer: string): void {
    const node = this.nodes.get(consumer);
    if (!node || node.kind !== 'function') {
      return;
    }
    const agree = this.options.typesAgree ?? textTypesAgree;
    const previous = new Map((this.incoming.get(consumer) ?? []).map(e => [e.from, e]));
    const edges: GraphEdge[] = [];
    const problems: GraphProblem[] = [];
    for (const dep of node.dependencies) {
      const producer = this.nodes.get(dep.name);
      const producerType = producer && producer.kind !== 'input' ? producer.type : undefined;
      const typeMismatch =
        producer !== undefined && producer.kind !== 'input' && !agree(producer.type, dep.type, this.options.resolveType);
      const old = previous.get(dep.name);
      const edge: GraphEdge =
        old &&
        old.optional === dep.optional &&
        old.producerType === producerType &&
        old.consumerType === dep.type &&
        old.typeMismatch === typeMismatch
          ? old
          : {
              from: dep.name,
              to: consumer,
              optional: dep.optional,
              ...(producerType !== undefined ? { producerType } : {}),
              consumerType: dep.type,
              typeMismatch
            };
      edges.push(edge);
      if (typeMismatch && producer) {
        problems.push(edgeMismatchProblem(producer, node, dep));
      }
    }
    this.incoming.set(consumer, edges);
    if (problems.length > 0) {
      this.edgeProblems.set(consumer, problems);
    } else {
      this.edgeProblems.delete(consumer);
    }
  }

  /** An external input's type (its first typed consumer's) and a clash between consumers. */
  private refreshInput(name: string): void {
    const node = this.nodes.get(name);
    if (!node || node.kind !== 'input') {
      this.inputProblems.delete(name);
      return;
    }
    const agree = this.options.typesAgree ?? textTypesAgree;
    const resolve = this.options.resolveType;
    const typed = (this.consumers.get(name) ?? [])
      .map(consumer => ({
        node: consumer,
        type: this.nodes.get(consumer)?.dependencies.find(d => d.name === name)?.type
      }))
      .filter((c): c is { node: string; type: string } => c.type !== undefined);
    const first = typed[0];
    const type = first?.type;
    if (node.type !== type) {
      this.nodes.set(name, { ...node, type });
    }
    const clash = first && typed.find(c => !agree(first.type, c.type, resolve) && !agree(c.type, first.type, resolve));
    if (first && clash) {
      this.inputProblems.set(name, inputClashProblem(name, first, clash));
    } else {
      this.inputProblems.delete(name);
    }
    // Edges from an input are marked only for the two consumers that clash.
    const marked = first && clash ? [first.node, clash.node] : [];
    for (const consumer of this.consumers.get(name) ?? []) {
      const edges = this.incoming.get(consumer);
      if (edges && edges.some(e => e.from === name && e.typeMismatch !== marked.includes(consumer))) {
        const mismatch = marked.includes(consumer);
        this.incoming.set(
          consumer,
          edges.map(e => (e.from === name ? { ...e, typeMismatch: mismatch } : e))
        );
      }
    }
  }
}

function configNode(name: string, type: string | undefined, dependents: string[]): GraphNode {
  return { ...inputNode(name), kind: 'config', type, dependents };
}

function inputNode(name: string): GraphNode {
  return { name, kind: 'input', isAsync: false, tags: NO_TAGS, dependencies: [], dependents: [], origins: [] };
}

/** Names whose declaration (type, optionality) differs between two parameter lists, or that come or go. */
function changedDeclarations(before: readonly Dependency[], after: readonly Dependency[]): string[] {
  const changed: string[] = [];
  const old = new Map(before.map(d => [d.name, d]));
  for (const dep of after) {
    const was = old.get(dep.name);
    if (!was || was.type !== dep.type || was.optional !== dep.optional) {
      changed.push(dep.name);
    }
    old.delete(dep.name);
  }
  changed.push(...old.keys());
  return changed;
}

function sameDependencyNames(a: readonly Dependency[], b: readonly Dependency[]): boolean {
  return a.length === b.length && a.every((d, i) => d.name === b[i].name);
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * A graph kept up to date definition by definition, for the notebook panel:
 * replacing one cell's functions touches only those nodes, the nodes they
 * depend on and the nodes that depend on them. Unchanged node and edge objects
 * are shared between snapshots, and so is the node map itself (a new snapshot
 * costs what changed, see LayeredMap); cycles are searched again only when an
 * edit added an edge that goes backward in a kept topological order.
 *
 * It follows exactly the rules of `buildGraph` (a test checks that both give
 * the same graph after any sequence of edits).
 */
import { configType, isPrivateName, textTypesAgree, BuildOptions } from './build';
import { cyclesOf } from './cycles';
import { indexNodes } from './indexed';
import { Consumers } from './consumers';
import { KeptOrder } from './kept-order';
import { LayeredMap } from './layered-map';
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
  private readonly consumers = new Consumers(name => this.rankOf(name));
  /** The rank each function had when it was put in its producers' consumer lists. */
  private readonly listedRank = new Map<string, number>();
  private readonly nodes = new Map<string, GraphNode>();
  /** Names whose node was set or deleted since the last snapshot, which shares the others with the one before. */
  private readonly nodesChanged = new Set<string>();
  private readonly incoming = new Map<string, GraphEdge[]>();
  private readonly ownProblems = new Map<string, GraphProblem[]>();
  private readonly edgeProblems = new Map<string, GraphProblem[]>();
  private readonly inputProblems = new Map<string, GraphProblem>();
  private cycles: string[][] = [];
  private shapeChanged = false;
  /** Whether any edge list or problem changed since the last snapshot, whose arrays are otherwise reused. */
  private edgesChanged = true;
  private problemsChanged = true;
  /** Set by {@link touchAll}: every edge is judged again at the next refresh. */
  private rejudge = false;
  /** Tells when an edit may have closed a cycle, so that most edits skip the search. */
  private readonly order = new KeptOrder();
  /** Names touched since the last snapshot: refreshed together, so a bulk load costs one pass. */
  private readonly pending = new Set<string>();
  private current: GraphSnapshot | undefined;
  /** The last snapshot made, whose nodes, edges and problems the next one reuses where they did not change. */
  private last: { nodes: LayeredMap<string, GraphNode>; edges: readonly GraphEdge[]; problems: readonly GraphProblem[] } | undefined;
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
    this.rejudge = true;
    for (const name of this.definitions.keys()) {
      this.pending.add(name);
    }
    for (const name of this.nodes.keys()) {
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
        if (this.order.stale || this.cycles.length > 0) {
          const index = indexNodes(this.nodes);
          this.problemsChanged ||= this.cycles.length > 0;
          this.cycles = cyclesOf(index);
          this.order.reset(index);
        }
        this.shapeChanged = false;
      }
      const current = { nodes: this.allNodes(), edges: this.allEdges(), problems: this.allProblems() };
      this.last = current;
      this.current = current;
    }
    return this.current;
  }

  private allNodes(): LayeredMap<string, GraphNode> {
    if (!this.last) {
      return LayeredMap.of(this.nodes);
    }
    const updates = new Map<string, GraphNode | undefined>();
    for (const name of this.nodesChanged) {
      updates.set(name, this.nodes.get(name));
    }
    this.nodesChanged.clear();
    return this.last.nodes.with(updates);
  }

  private setNode(name: string, node: GraphNode | undefined): void {
    if (node) {
      this.nodes.set(name, node);
    } else {
      this.nodes.delete(name);
    }
    this.nodesChanged.add(name);
  }

  private allEdges(): readonly GraphEdge[] {
    if (this.edgesChanged || !this.last) {
      const edges: GraphEdge[] = [];
      for (const list of this.incoming.values()) {
        for (const edge of list) {
          edges.push(edge);
        }
      }
      this.edgesChanged = false;
      return edges;
    }
    return this.last.edges;
  }

  private allProblems(): readonly GraphProblem[] {
    // Cycles are worded afresh each time: the places of the nodes on them may have moved.
    if (this.problemsChanged || this.cycles.length > 0 || !this.last) {
      const problems: GraphProblem[] = [];
      for (const list of this.ownProblems.values()) {
        problems.push(...list);
      }
      for (const list of this.edgeProblems.values()) {
        problems.push(...list);
      }
      problems.push(...this.inputProblems.values());
      problems.push(...this.cycles.map(cycle => cycleProblem(cycle, this.nodes)));
      this.problemsChanged = false;
      return problems;
    }
    return this.last.problems;
  }

  /** Brings the nodes named, their producers and their consumers up to date. */
  private refresh(touched: Set<string>): void {
    // Names whose node may change kind or dependents: the touched ones and what they depend on, before and after.
    const names = new Set(touched);
    // Names whose declared input type, or whose consumers, changed.
    const inputsToCheck = new Set(touched);
    // Function nodes whose incoming edges must be judged again.
    const consumersToCheck = new Set<string>();
    // Touched functions whose parameters and place are as before (an edit in a body) stay in
    // their producers' consumer lists. The others are taken out of all the lists first, then
    // put back at their new ranks, so that the lists stay sorted.
    const moved = new Map<string, { oldDeps: readonly Dependency[]; newDeps: readonly Dependency[] }>();
    const previous = new Map<string, GraphNode | undefined>();
    for (const name of touched) {
      const before = this.nodes.get(name);
      previous.set(name, before);
      const oldDeps = before?.kind === 'function' ? before.dependencies : [];
      const newDeps = this.winner(name)?.dependencies ?? [];
      if (before?.kind === 'function' && sameDeclarations(oldDeps, newDeps) && this.listedRank.get(name) === this.rankOf(name)) {
        continue;
      }
      moved.set(name, { oldDeps, newDeps });
      for (const dep of oldDeps) {
        this.consumers.remove(dep.name, name, dep.type);
        names.add(dep.name);
      }
    }
    for (const name of touched) {
      const winner = this.winner(name);
      const change = moved.get(name);
      if (change) {
        const { oldDeps, newDeps } = change;
        if (!sameDependencyNames(oldDeps, newDeps) || (this.nodes.get(name)?.kind === 'function') !== Boolean(winner)) {
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
            this.consumers.add(dep.name, name, rank, dep.type);
            names.add(dep.name);
          }
        } else {
          this.listedRank.delete(name);
          this.edgesChanged = this.incoming.delete(name) || this.edgesChanged;
          this.putProblems(this.edgeProblems, name, undefined);
        }
        for (const dep of changedDeclarations(oldDeps, newDeps)) {
          inputsToCheck.add(dep);
        }
      }
      // Its own edges: judged again when its parameters changed, when all are, or when a
      // problem on one names its places (which may have changed).
      if (winner && (change || this.rejudge || this.edgeProblems.has(name))) {
        consumersToCheck.add(name);
      }
    }
    for (const name of names) {
      // A producer whose consumers are as before keeps its node.
      if (touched.has(name) || this.consumers.hasChanged(name) || !this.nodes.has(name)) {
        this.placeNode(name, touched.has(name));
      }
    }
    this.consumers.clearChanged();
    // Edges into a node's consumers are judged on its kind and type: when those stay, so do the
    // edges, unless all are judged again (a named type changed) or a problem on one names its places.
    for (const [name, before] of previous) {
      const after = this.nodes.get(name);
      const judged = this.rejudge || before?.kind !== after?.kind || before?.type !== after?.type;
      if (judged || before !== after) {
        for (const consumer of this.consumers.of(name)) {
          if (judged || this.edgeProblems.has(consumer)) {
            consumersToCheck.add(consumer);
          }
        }
      }
    }
    this.rejudge = false;
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

  private winner(name: string): NodeSpec | undefined {
    const list = this.definitions.get(name);
    return list && list.length > 0 ? list[list.length - 1].spec : undefined;
  }

  /** Sets the node of a name: a function, config, an external input, or nothing. */
  private placeNode(name: string, definitionsChanged: boolean): void {
    const before = this.nodes.get(name);
    const winner = this.winner(name);
    const list = this.consumers.of(name);
    // Consumer lists change in place: a node keeps a copy, taken only when they changed.
    const dependents = before && !this.consumers.hasChanged(name) ? before.dependents : list.slice();
    const inConfig = Object.prototype.hasOwnProperty.call(this.config, name);
    if (definitionsChanged) {
      this.putProblems(this.ownProblems, name, undefined);
    }
    if (winner) {
      const definitions = this.definitions.get(name) as Definition[];
      const origins = definitions.map(d => d.spec.origin ?? {});
      if (definitionsChanged || !before || before.kind !== 'function' || !sameList(before.dependents, dependents)) {
        this.setNode(name, {
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
      if (definitions.length > 1) {
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
        this.setNode(name, configNode(name, type, dependents));
      }
      this.setOwnProblems(name, []);
    } else if (dependents.length > 0) {
      if (!before || before.kind !== 'input' || !sameList(before.dependents, dependents)) {
        this.setNode(name, { ...inputNode(name), type: before?.kind === 'input' ? before.type : undefined, dependents });
      }
      this.setOwnProblems(name, []);
    } else {
      if (before) {
        this.setNode(name, undefined);
      }
      this.putProblems(this.ownProblems, name, undefined);
      this.putProblems(this.inputProblems, name, undefined);
    }
  }

  /** Sets or (with undefined) clears the problems kept under a name, noting whether anything changed. */
  private putProblems<T>(map: Map<string, T>, name: string, value: T | undefined): void {
    if (value !== undefined) {
      map.set(name, value);
      this.problemsChanged = true;
    } else if (map.delete(name)) {
      this.problemsChanged = true;
    }
  }

  private setOwnProblems(name: string, problems: GraphProblem[]): void {
    this.putProblems(this.ownProblems, name, problems.length > 0 ? problems : undefined);
  }

  /** The edges into a function node, with their type judgement. */
  private judgeEdges(consumer: string): void {
    const node = this.nodes.get(consumer);
    if (!node || node.kind !== 'function') {
      return;
    }
    const agree = this.options.typesAgree ?? textTypesAgree;
    const before = this.incoming.get(consumer);
    const previous = before && before.length > 0 ? new Map(before.map(e => [e.from, e])) : undefined;
    const edges: GraphEdge[] = [];
    const problems: GraphProblem[] = [];
    for (const dep of node.dependencies) {
      const producer = this.nodes.get(dep.name);
      if (producer?.kind === 'function') {
        this.order.edge(dep.name, consumer);
      }
      const producerType = producer && producer.kind !== 'input' ? producer.type : undefined;
      const typeMismatch =
        producer !== undefined && producer.kind !== 'input' && !agree(producer.type, dep.type, this.options.resolveType);
      const old = previous?.get(dep.name);
      const edge: GraphEdge =
        old &&
        old.optional === dep.optional &&
        old.producerType === producerType &&
        old.consumerType === dep.type &&
        old.typeMismatch === typeMismatch
          ? old
          : { from: dep.name, to: consumer, optional: dep.optional, producerType, consumerType: dep.type, typeMismatch };
      edges.push(edge);
      if (typeMismatch && producer) {
        problems.push(edgeMismatchProblem(producer, node, dep));
      }
    }
    if (!before || !sameList(before, edges)) {
      this.incoming.set(consumer, edges);
      this.edgesChanged = true;
    }
    this.putProblems(this.edgeProblems, consumer, problems.length > 0 ? problems : undefined);
  }

  /** An external input's type (its first typed consumer's) and a clash between consumers. */
  private refreshInput(name: string): void {
    const node = this.nodes.get(name);
    const hadClash = this.inputProblems.has(name);
    if (!node || node.kind !== 'input') {
      this.putProblems(this.inputProblems, name, undefined);
      return;
    }
    const agree = this.options.typesAgree ?? textTypesAgree;
    const resolve = this.options.resolveType;
    const declaredBy = (consumer: string) => this.nodes.get(consumer)?.dependencies.find(d => d.name === name)?.type;
    const declared = this.consumers.declaredTypes(name);
    // The first consumer, in definition order, that declares a type gives the input its type.
    let first: { node: string; type: string } | undefined;
    for (const consumer of declared ? this.consumers.of(name) : []) {
      const type = declaredBy(consumer);
      if (type !== undefined) {
        first = { node: consumer, type };
        break;
      }
    }
    if (node.type !== first?.type) {
      this.setNode(name, { ...node, type: first?.type });
    }
    // Consumers that all write the same type cannot clash: only otherwise are they gone through.
    let clash: { node: string; type: string } | undefined;
    if (first && declared && declared.size > 1) {
      const wanted = first.type;
      for (const consumer of this.consumers.of(name)) {
        const type = declaredBy(consumer);
        if (type !== undefined && !agree(wanted, type, resolve) && !agree(type, wanted, resolve)) {
          clash = { node: consumer, type };
          break;
        }
      }
    }
    this.putProblems(this.inputProblems, name, first && clash ? inputClashProblem(name, first, clash) : undefined);
    if (!hadClash && !clash) {
      return; // no edge from it is marked, nor was
    }
    // Edges from an input are marked only for the two consumers that clash.
    const marked = first && clash ? [first.node, clash.node] : [];
    for (const consumer of this.consumers.of(name)) {
      const edges = this.incoming.get(consumer);
      if (edges && edges.some(e => e.from === name && e.typeMismatch !== marked.includes(consumer))) {
        const mismatch = marked.includes(consumer);
        this.edgesChanged = true;
        this.incoming.set(
          consumer,
          edges.map(e => (e.from === name ? { ...e, typeMismatch: mismatch } : e))
        );
      }
    }
  }
}

function configNode(name: string, type: string | undefined, dependents: readonly string[]): GraphNode {
  return { ...inputNode(name), kind: 'config', type, dependents };
}

function inputNode(name: string): GraphNode {
  return { name, kind: 'input', isAsync: false, tags: NO_TAGS, dependencies: [], dependents: [], origins: [] };
}

/** Names whose declaration (type, optionality) differs between two parameter lists, or that come or go. */
function changedDeclarations(before: readonly Dependency[], after: readonly Dependency[]): string[] {
  if (before.length === 0) {
    return after.map(d => d.name);
  }
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

/** The same parameters, declared the same way (names, types, optionality). */
function sameDeclarations(a: readonly Dependency[], b: readonly Dependency[]): boolean {
  return a.length === b.length && a.every((d, i) => d.name === b[i].name && d.type === b[i].type && d.optional === b[i].optional);
}

function sameDependencyNames(a: readonly Dependency[], b: readonly Dependency[]): boolean {
  return a.length === b.length && a.every((d, i) => d.name === b[i].name);
}

function sameList<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

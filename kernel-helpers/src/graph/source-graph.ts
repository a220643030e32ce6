/**
 * The graph of a notebook's cells, kept up to date as cells change: only a
 * changed cell is analysed again, and only the nodes it defines, their
 * producers and their consumers are revisited. This is what the notebook panel
 * calls after each (debounced) edit.
 */
import { analyzeSource } from '../analysis/analyze';
import { typesAgree } from '../analysis/types-agree';
import type { FunctionInfo, SourceAnalysis } from '../analysis/types';
import { IncrementalGraph } from './incremental';
import type { GraphSnapshot, NodeSpec } from './types';

interface CellEntry {
  source: string;
  analysis: SourceAnalysis;
  specs: NodeSpec[];
}

/** Options of {@link SourceGraph}. */
export interface SourceGraphOptions {
  config?: Record<string, unknown>;
}

/** Definitions in a cell never approach this many; ranks order cells first, then source order. */
const PER_CELL = 100_000;

/**
 * A notebook's dataflow, from cell sources.
 *
 * @example
 * ```ts
 * const graph = new SourceGraph();
 * graph.setCell("c1", "function spend(raw_spend: number[]) { return raw_spend; }");
 * graph.snapshot().nodes.get("raw_spend")?.kind; // "input"
 * ```
 */
export class SourceGraph {
  private readonly cells = new Map<string, CellEntry>();
  private order: string[] = [];
  private position = new Map<string, number>();
  private config: Record<string, unknown> = {};
  private readonly types = new Map<string, Map<string, string | undefined>>();
  /** Every named type, as the last cell declaring it says; made again after the types or the order change. */
  private namedTypes: Map<string, string | undefined> | undefined;
  private readonly graph: IncrementalGraph;

  constructor(options: SourceGraphOptions = {}) {
    this.graph = new IncrementalGraph({
      typesAgree,
      resolveType: name => this.resolveType(name)
    });
    if (options.config) {
      this.setConfig(options.config);
    }
  }

  /** Sets a cell's source; analyses it only when the text changed. True when the graph changed. */
  setCell(cellId: string, source: string): boolean {
    const entry = this.cells.get(cellId);
    if (entry && entry.source === source) {
      return false;
    }
    if (!this.position.has(cellId)) {
      this.position.set(cellId, this.order.length);
      this.order.push(cellId);
    }
    const analysis = analyzeSource(source);
    const cellIndex = (this.position.get(cellId) as number) + 1;
    const specs = analysis.functions.map(fn => specOf(fn, cellId, cellIndex));
    const typesChanged = entry ? !sameTypes(entry.analysis, analysis) : analysis.types.length > 0;
    if (entry && !typesChanged && sameSpecs(entry.specs, specs)) {
      // Comments, exploration or spacing outside functions: the same graph, the same specs.
      this.cells.set(cellId, { source, analysis, specs: entry.specs });
      return false;
    }
    this.cells.set(cellId, { source, analysis, specs });
    if (typesChanged) {
      this.types.set(cellId, new Map(analysis.types.map(t => [t.name, t.definition])));
      this.namedTypes = undefined;
    }
    this.graph.update(entry?.specs ?? [], this.ranked(cellId, specs));
    if (typesChanged) {
      this.graph.touchAll(); // a type that edges may look through changed: judge every edge again
    }
    return true;
  }

  /** Forgets a cell. True when the graph changed. */
  removeCell(cellId: string): boolean {
    const entry = this.cells.get(cellId);
    if (!entry) {
      return false;
    }
    this.cells.delete(cellId);
    this.types.delete(cellId);
    this.namedTypes = undefined;
    this.graph.update(entry.specs, []);
    const moved = this.reposition(this.order.filter(id => id !== cellId));
    if (!moved && entry.analysis.types.length > 0) {
      this.graph.touchAll(); // a named type went: judge every edge again
    }
    return moved || entry.specs.length > 0 || entry.analysis.types.length > 0;
  }

  /**
   * The notebook's cell order, all cells (markdown too, so that places in messages
   * match what the user counts). Later definitions win, as in the kernel.
   * True when the graph changed.
   */
  setOrder(cellIds: readonly string[]): boolean {
    return this.reposition([...cellIds, ...this.order.filter(id => !cellIds.includes(id))]);
  }

  /** Replaces the config values (each key a node). True when they changed. */
  setConfig(config: Record<string, unknown>): boolean {
    if (JSON.stringify(config) === JSON.stringify(this.config)) {
      return false;
    }
    this.config = { ...config };
    this.graph.setConfig(this.config);
    return true;
  }

  /** The last analysis of a cell. */
  analysis(cellId: string): SourceAnalysis | undefined {
    return this.cells.get(cellId)?.analysis;
  }

  /** Cell ids in notebook order. */
  cellIds(): string[] {
    return this.order.filter(id => this.cells.has(id));
  }

  /** The current graph: the same object until something changes. */
  snapshot(): GraphSnapshot {
    return this.graph.snapshot();
  }

  /** Takes a new order; when a cell with definitions moved, rebuilds (their places changed). */
  private reposition(order: string[]): boolean {
    const before = this.position;
    const after = new Map(order.map((id, i) => [id, i]));
    this.order = order;
    this.position = after;
    this.namedTypes = undefined; // the last declaration of a type may be another one now
    for (const [id, entry] of this.cells) {
      if (before.get(id) !== after.get(id) && (entry.specs.length > 0 || entry.analysis.types.length > 0)) {
        this.rebuild();
        return true;
      }
    }
    return false;
  }

  private ranked(cellId: string, specs: NodeSpec[]): { spec: NodeSpec; rank: number }[] {
    const base = (this.position.get(cellId) as number) * PER_CELL;
    return specs.map((spec, i) => ({ spec, rank: base + i }));
  }

  /** Every cell's specs again, with their current places: after a reorder or a type change. */
  private rebuild(): void {
    const removed: NodeSpec[] = [];
    const added: { spec: NodeSpec; rank: number }[] = [];
    for (const id of this.cellIds()) {
      const entry = this.cells.get(id) as CellEntry;
      const cellIndex = (this.position.get(id) as number) + 1;
      removed.push(...entry.specs);
      entry.specs = entry.analysis.functions.map(fn => specOf(fn, id, cellIndex));
      added.push(...this.ranked(id, entry.specs));
    }
    this.graph.update(removed, added);
    this.graph.touchAll(); // which cell's declaration of a named type is the last may have changed
  }

  /** A named type, as the last cell that declares it says. */
  private resolveType(name: string): string | undefined {
    if (!this.namedTypes) {
      this.namedTypes = new Map();
      for (const id of this.order) {
        for (const [type, definition] of this.types.get(id) ?? []) {
          this.namedTypes.set(type, definition);
        }
      }
    }
    return this.namedTypes.get(name);
  }
}

/** A node spec from a function read in a cell. */
export function specOf(fn: FunctionInfo, cellId?: string, cellIndex?: number): NodeSpec {
  const bad = fn.params.filter(p => p.pattern);
  return {
    name: fn.name,
    dependencies: fn.params
      .filter(p => !p.pattern)
      .map(p => (p.type !== undefined ? { name: p.name, optional: p.optional, type: p.type } : { name: p.name, optional: p.optional })),
    type: fn.valueType,
    isAsync: fn.isAsync,
    doc: fn.doc,
    tags: fn.tags,
    hash: fn.hash,
    origin: cellId !== undefined ? { cellId, cellIndex, range: fn.range } : { range: fn.range },
    invalid:
      bad.length > 0
        ? `${fn.name}: ${bad.map(p => (p.pattern === 'rest' ? `the rest parameter '${p.name}'` : `the destructured parameter '${p.name}'`)).join(' and ')} ` +
          `cannot name a dependency. Each parameter names the node it depends on.`
        : undefined
  };
}

/** Same nodes from a cell, down to the version hash and place. */
function sameSpecs(a: NodeSpec[], b: NodeSpec[]): boolean {
  return (
    a.length === b.length &&
    a.every((spec, i) => {
      const other = b[i];
      return (
        spec.name === other.name &&
        spec.hash === other.hash &&
        spec.origin?.range?.start === other.origin?.range?.start &&
        spec.doc === other.doc &&
        JSON.stringify(spec.tags) === JSON.stringify(other.tags)
      );
    })
  );
}

function sameTypes(a: SourceAnalysis, b: SourceAnalysis): boolean {
  return (
    a.types.length === b.types.length &&
    a.types.every((t, i) => t.name === b.types[i].name && t.definition === b.types[i].definition)
  );
}

/**
 * The graph of a notebook's cells, kept by cell: each cell's analysis and node
 * specs are kept until its text changes, and the graph is built again from
 * all of them (with the one graph builder) when something changed. An edit
 * costs the analysis of the edited cell and a build from specs already made,
 * which is what the notebook panel does after each pause in typing; an edit
 * that leaves every edge as it was (a function's body, its doc) costs only
 * the analysis, its nodes being put in place of the old ones.
 */
import { analyzeSource } from '../analysis/analyze';
import { typesAgree } from '../analysis/types-agree';
import type { FunctionInfo, SourceAnalysis, TypeDefinition } from '../analysis/types';
import { buildGraph, Insertion, isPrivateName, withSpecs } from '../graph/build';
import type { GraphSnapshot, NodeSpec } from '../graph/types';
import { sourceSpec } from '../specs/from-source';
import { sourceSpecs, unchosenVariant } from '../specs/from-static';
import type { UnchosenVariant } from '../specs/types';
import { mergeVariants } from '../modifiers/expand';

interface CellEntry {
  source: string;
  analysis: SourceAnalysis;
  specs: NodeSpec[];
  /** The cell's place when its specs were made (their origins name it). */
  index: number;
}

/** What a wrapped function makes with one config: its nodes, or the variant the config leaves out. */
interface Expansion {
  config: Record<string, unknown>;
  specs: NodeSpec[];
  unchosen?: UnchosenVariant;
}

/** Options of {@link NotebookGraph}. */
export interface NotebookGraphOptions {
  config?: Record<string, unknown>;
}

/**
 * A notebook's dataflow, from its cells' sources.
 *
 * @example
 * ```ts
 * const graph = new NotebookGraph();
 * graph.setCell("c1", "function spend(raw_spend: number[]) { return raw_spend; }");
 * graph.snapshot().nodes.get("raw_spend")?.kind; // "input"
 * ```
 */
export class NotebookGraph {
  private readonly cells = new Map<string, CellEntry>();
  /** Every cell of the notebook (markdown too, so that places in messages count as users do), in order. */
  private order: string[] = [];
  private position = new Map<string, number>();
  private config: Record<string, unknown> = {};
  private readonly expansions = new WeakMap<FunctionInfo, Expansion>();
  /** Every named type, as the last cell declaring it says; made again after the types or the order change. */
  private namedTypes: Map<string, string | undefined> | undefined;
  /** Type agreement verdicts by producer type, then consumer type, valid while the named types stay. */
  private readonly verdicts = new Map<string, Map<string, boolean>>();
  private current: GraphSnapshot | undefined;
  /** Edits to put into `current` instead of building again: specs in place of those of the same names, new functions. */
  private replacements: { specs: NodeSpec[]; inserted: Insertion[] } | undefined;
  /** The variants the config leaves out, made with `current`. */
  private unchosen: readonly UnchosenVariant[] = [];

  constructor(options: NotebookGraphOptions = {}) {
    if (options.config) {
      this.config = { ...options.config };
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
    const index = this.position.get(cellId) as number;
    const analysis = analyzeSource(source);
    const specs = specsOf(cellId, index, analysis);
    const typesChanged = !sameTypes(entry?.analysis.types ?? [], analysis.types);
    if (entry && !typesChanged && sameSpecs(entry.specs, specs)) {
      // Comments, exploration or spacing outside functions: the same graph, and the same expansions of wrapped functions.
      entry.analysis.functions.forEach((was, i) => {
        const made = was.modifiers ? this.expansions.get(was) : undefined;
        if (made) {
          this.expansions.set(analysis.functions[i], made);
        }
      });
      this.cells.set(cellId, { source, analysis, specs: entry.specs, index });
      return false;
    }
    this.cells.set(cellId, { source, analysis, specs, index });
    if (typesChanged) {
      this.typesChanged();
    }
    const carried = this.current && entry && !typesChanged ? this.carried(cellId, entry, analysis, specs) : undefined;
    if (carried) {
      if (carried.unchosen.size > 0) {
        this.unchosen = this.unchosen.map(variant => carried.unchosen.get(variant) ?? variant);
      }
      this.replacements ??= { specs: [], inserted: [] };
      this.replacements.specs.push(...carried.specs);
      this.replacements.inserted.push(...carried.inserted);
    } else {
      this.invalidate();
    }
    return true;
  }

  /** Forgets a cell (deleted, turned into markdown, tagged to be skipped). True when the graph changed. */
  removeCell(cellId: string): boolean {
    const entry = this.cells.get(cellId);
    if (!entry) {
      return false;
    }
    this.cells.delete(cellId);
    if (entry.analysis.types.length > 0) {
      this.typesChanged();
    }
    const changed = entry.specs.length > 0 || entry.analysis.types.length > 0;
    if (changed) {
      this.invalidate();
    }
    return changed;
  }

  /**
   * The notebook's cell order, every cell (markdown too). Later definitions
   * win, as in the kernel. Cells not listed are forgotten. True when the graph
   * changed. Costs a pass over the order, and new specs only for the cells
   * with definitions whose place changed.
   */
  setOrder(cellIds: readonly string[]): boolean {
    let first = 0;
    while (first < cellIds.length && first < this.order.length && cellIds[first] === this.order[first]) {
      first++;
    }
    if (first === cellIds.length && first === this.order.length) {
      return false;
    }
    const listed = new Set(cellIds);
    let changed = false;
    for (const id of this.order.slice(first)) {
      if (!listed.has(id)) {
        changed = this.removeCell(id) || changed;
        this.position.delete(id);
      }
    }
    this.order = [...cellIds];
    for (let i = first; i < cellIds.length; i++) {
      this.position.set(cellIds[i], i);
    }
    for (let i = first; i < cellIds.length; i++) {
      const entry = this.cells.get(cellIds[i]);
      if (entry && entry.index !== i && (entry.specs.length > 0 || entry.analysis.types.length > 0)) {
        entry.specs = specsOf(cellIds[i], i, entry.analysis);
        entry.index = i;
        changed = true;
        if (entry.analysis.types.length > 0) {
          this.typesChanged(); // which cell's declaration of a type is the last may have changed
        }
      }
    }
    if (changed) {
      this.invalidate();
    }
    return changed;
  }

  /** Replaces the config values (each key a node). True when they changed. */
  setConfig(config: Record<string, unknown>): boolean {
    if (JSON.stringify(config) === JSON.stringify(this.config)) {
      return false;
    }
    this.config = { ...config };
    this.invalidate();
    return true;
  }

  /** The config keys the cells' modifiers read (`config.when({ region: ... })`), in cell order. */
  configKeys(): string[] {
    const keys = new Set<string>();
    for (const id of this.order) {
      for (const fn of this.cells.get(id)?.analysis.functions ?? []) {
        for (const m of fn.modifiers ?? []) {
          const conditions = m.kind.startsWith('config.') ? m.args.conditions : undefined;
          if (conditions && typeof conditions === 'object' && !Array.isArray(conditions) && !('$dynamic' in conditions)) {
            Object.keys(conditions).forEach(k => keys.add(k));
          }
        }
      }
    }
    return [...keys];
  }

  /** The config values, as last set. */
  configValues(): Record<string, unknown> {
    return { ...this.config };
  }

  /** The last analysis of a cell. */
  analysis(cellId: string): SourceAnalysis | undefined {
    return this.cells.get(cellId)?.analysis;
  }

  /** The source of a cell, as last given. */
  source(cellId: string): string | undefined {
    return this.cells.get(cellId)?.source;
  }

  /** Ids of the cells that hold code, in notebook order. */
  cellIds(): string[] {
    return this.order.filter(id => this.cells.has(id));
  }

  /** A cell's place in the notebook, counting every cell from 1 (0 when unknown). */
  cellIndex(cellId: string): number {
    return (this.position.get(cellId) ?? -1) + 1;
  }

  /** The current graph: the same object until something changes. */
  snapshot(): GraphSnapshot {
    if (this.current && this.replacements) {
      // Undefined when a replacement turns out to change the wiring after all: then it is built below.
      this.current = withSpecs(this.current, this.replacements.specs, this.replacements.inserted);
      this.replacements = undefined;
    }
    if (!this.current) {
      let specs: NodeSpec[] = [];
      const unchosen = new Map<string, UnchosenVariant>();
      let modified = false;
      for (const id of this.order) {
        const entry = this.cells.get(id);
        if (entry) {
          const functions = entry.analysis.functions;
          for (let i = 0; i < entry.specs.length; i++) {
            if (functions[i]?.modifiers) {
              // Expanded with the current config: variants, parameterized nodes, savers, ...
              modified = true;
              const made = this.expanded(functions[i], entry.specs[i].origin);
              specs.push(...made.specs);
              // A name declared again in a later cell: the later declaration is the one (as in the kernel).
              unchosen.delete(functions[i].name);
              if (made.unchosen) {
                unchosen.set(functions[i].name, made.unchosen);
              }
            } else {
              specs.push(entry.specs[i]);
            }
          }
        }
      }
      if (modified) {
        specs = mergeVariants(specs);
      }
      this.unchosen = [...unchosen.values()];
      this.current = buildGraph(specs, {
        config: this.config,
        typesAgree: (producer, consumer) => this.agree(producer, consumer),
        resolveType: name => this.resolveType(name)
      });
    }
    return this.current;
  }

  /**
   * The config variants the current config does not choose, in cell order:
   * drawing-only (the panel shows them dimmed), never in {@link snapshot}, so
   * that runs, the export and the Airflow DAG never see them. The same array
   * until the snapshot changes.
   *
   * @example
   * ```ts
   * graph.setCell("c1", 'const spend__eu = config.when({ region: "EU" }, (raw: number[]) => raw);');
   * graph.setConfig({ region: "US" });
   * graph.unchosenVariants()[0].condition; // 'region == "EU"'
   * ```
   */
  unchosenVariants(): readonly UnchosenVariant[] {
    this.snapshot();
    return this.unchosen;
  }

  /**
   * What a cell's edit puts in the graph when it kept its functions (by name,
   * in order) and perhaps added some: the specs to put in place of the old
   * ones (for wrapped functions, the nodes their modifiers make, when they
   * make the same ones), and the new plain functions with the node each comes
   * after, and the variants the config leaves out that were edited (drawn
   * the same: only their text changed). The graph judges whether the specs
   * can go in without building again. Undefined when the graph must be built
   * again.
   */
  private carried(
    cellId: string,
    before: CellEntry,
    analysis: SourceAnalysis,
    specs: NodeSpec[]
  ): { specs: NodeSpec[]; inserted: Insertion[]; unchosen: Map<UnchosenVariant, UnchosenVariant> } | undefined {
    const out: NodeSpec[] = [];
    const inserted: Insertion[] = [];
    const unchosen = new Map<UnchosenVariant, UnchosenVariant>();
    // The last node defined before this point of the notebook (undefined: none; null: not known here).
    let last: string | undefined | null = null;
    let kept = 0;
    for (let i = 0; i < specs.length; i++) {
      const now = analysis.functions[i];
      if (kept < before.specs.length && specs[i].name === before.specs[kept].name) {
        const was = before.analysis.functions[kept++];
        if (!was.modifiers && !now.modifiers) {
          out.push(specs[i]);
          last = isPrivateName(specs[i].name) ? last : specs[i].name;
          continue;
        }
        const old = was.modifiers && now.modifiers ? this.expansions.get(was) : undefined;
        if (!old || old.config !== this.config) {
          return undefined;
        }
        const made = this.expanded(now, specs[i].origin);
        if (old.unchosen || made.unchosen) {
          // A variant the config leaves out, before and after: no node, and drawn as before when only its body changed.
          if (!old.unchosen || !made.unchosen || !drawnAlike(old.unchosen, made.unchosen)) {
            return undefined;
          }
          unchosen.set(old.unchosen, made.unchosen);
          continue;
        }
        if (made.specs.length !== old.specs.length || made.specs.some((spec, k) => spec.name !== old.specs[k].name)) {
          return undefined;
        }
        out.push(...made.specs);
        last = lastNodeOf(made.specs) ?? last;
        continue;
      }
      // A function new to this cell.
      if (now.modifiers || before.specs.some(spec => spec.name === specs[i].name)) {
        return undefined;
      }
      if (last === null) {
        last = this.lastNodeBefore(cellId);
        if (last === null) {
          return undefined;
        }
      }
      inserted.push({ spec: specs[i], after: last });
      last = isPrivateName(specs[i].name) ? last : specs[i].name;
    }
    return kept === before.specs.length ? { specs: out, inserted, unchosen } : undefined;
  }

  /**
   * The last node the cells before `cellId` define, in the graph's order of
   * definition: undefined when they define none, null when it cannot be told
   * without expanding what has not been expanded.
   */
  private lastNodeBefore(cellId: string): string | undefined | null {
    for (let c = (this.position.get(cellId) as number) - 1; c >= 0; c--) {
      const entry = this.cells.get(this.order[c]);
      if (!entry) {
        continue;
      }
      for (let i = entry.specs.length - 1; i >= 0; i--) {
        const info = entry.analysis.functions[i];
        if (info.modifiers) {
          const made = this.expansions.get(info);
          if (!made || made.config !== this.config) {
            return null;
          }
          const name = lastNodeOf(made.specs);
          if (name !== undefined) {
            return name;
          }
        } else if (!isPrivateName(entry.specs[i].name)) {
          return entry.specs[i].name;
        }
      }
    }
    return undefined;
  }

  /** The graph must be built again. */
  private invalidate(): void {
    this.current = undefined;
    this.replacements = undefined;
  }

  /** A wrapped function's nodes, expanded once per analysis and config (an edit elsewhere expands nothing again). */
  private expanded(info: FunctionInfo, origin: NodeSpec['origin']): Expansion {
    const known = this.expansions.get(info);
    if (known && known.config === this.config) {
      return known;
    }
    const specs = sourceSpecs(info, origin, this.config);
    const left = specs.length === 0 ? unchosenVariant(info, origin, this.config) : undefined;
    const expansion: Expansion = { config: this.config, specs, ...(left ? { unchosen: left } : {}) };
    this.expansions.set(info, expansion);
    return expansion;
  }

  private typesChanged(): void {
    this.namedTypes = undefined;
    this.verdicts.clear();
  }

  /** Type agreement, judged once per pair of texts while the named types stay the same. */
  private agree(producer: string | undefined, consumer: string | undefined): boolean {
    if (producer === undefined || consumer === undefined || producer === consumer) {
      return true;
    }
    let byConsumer = this.verdicts.get(producer);
    if (!byConsumer) {
      byConsumer = new Map();
      this.verdicts.set(producer, byConsumer);
    }
    let verdict = byConsumer.get(consumer);
    if (verdict === undefined) {
      verdict = typesAgree(producer, consumer, name => this.resolveType(name));
      byConsumer.set(consumer, verdict);
    }
    return verdict;
  }

  /** A named type, as the last cell that declares it says. */
  private resolveType(name: string): string | undefined {
    if (!this.namedTypes) {
      this.namedTypes = new Map();
      for (const id of this.order) {
        for (const type of this.cells.get(id)?.analysis.types ?? []) {
          this.namedTypes.set(type.name, type.definition);
        }
      }
    }
    return this.namedTypes.get(name);
  }
}

/** The name of the last node among specs, helpers left out. */
function lastNodeOf(specs: readonly NodeSpec[]): string | undefined {
  for (let i = specs.length - 1; i >= 0; i--) {
    if (!isPrivateName(specs[i].name)) {
      return specs[i].name;
    }
  }
  return undefined;
}

function specsOf(cellId: string, index: number, analysis: SourceAnalysis): NodeSpec[] {
  const origin = { cellId, cellIndex: index + 1 };
  return analysis.functions.map(fn => sourceSpec(fn, origin));
}

/** Two unchosen variants the panel draws the same: the same node, condition, parameters, type and doc. */
function drawnAlike(a: UnchosenVariant, b: UnchosenVariant): boolean {
  return (
    a.node === b.node &&
    a.declaredAs === b.declaredAs &&
    a.condition === b.condition &&
    a.type === b.type &&
    a.doc === b.doc &&
    a.origin?.cellId === b.origin?.cellId &&
    a.dependencies.length === b.dependencies.length &&
    a.dependencies.every((d, k) => d.name === b.dependencies[k].name && d.optional === b.dependencies[k].optional && d.type === b.dependencies[k].type)
  );
}

/** Same nodes from a cell, down to the version hash and place. */
function sameSpecs(a: readonly NodeSpec[], b: readonly NodeSpec[]): boolean {
  return (
    a.length === b.length &&
    a.every((spec, i) => {
      const other = b[i];
      return (
        spec.name === other.name &&
        spec.hash === other.hash &&
        spec.origin?.range?.start === other.origin?.range?.start &&
        spec.origin?.range?.line === other.origin?.range?.line &&
        spec.doc === other.doc &&
        JSON.stringify(spec.tags) === JSON.stringify(other.tags)
      );
    })
  );
}

function sameTypes(a: readonly TypeDefinition[], b: readonly TypeDefinition[]): boolean {
  return a.length === b.length && a.every((t, i) => t.name === b[i].name && t.definition === b[i].definition);
}

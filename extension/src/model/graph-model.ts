/**
 * One notebook's dataflow, in one place: the graph of its cells (kept by a
 * SourceGraph), what its kernel has defined, the last run, the selection and
 * the input values. Views subscribe to `changed` and render the immutable
 * {@link ModelView} it carries.
 */
import type { GraphSnapshot, SourceAnalysis, SourceGraph } from 'dagcells/analysis';
import type { ValuePreview } from 'dagcells/kernel';
import { IDisposable } from '@lumino/disposable';
import { ISignal, Signal } from '@lumino/signaling';

import { planRun, RunPlanView } from './plan';
import { KernelDefinition, NodeRun, nodeStates, NodeState } from './states';

/** The analysis half of the runtime, loaded on demand (it carries the TypeScript compiler). */
export type AnalysisModule = typeof import('dagcells/analysis');

/** A message about the run as a whole. */
export interface RunMessage {
  kind: 'info' | 'error';
  text: string;
}

/** A cell whose source has problems (syntax errors, rule violations). */
export interface CellProblem {
  cellId: string;
  cellIndex: number;
  line?: number;
  message: string;
  /** How many more problems the cell has. */
  more: number;
}

/** Everything a view shows, as of one moment. Never mutated. */
export interface ModelView {
  /** The analysis module is still loading. */
  loading: boolean;
  graph: GraphSnapshot;
  states: ReadonlyMap<string, NodeState>;
  selection: ReadonlySet<string>;
  runs: ReadonlyMap<string, NodeRun>;
  plan: RunPlanView;
  inputText: ReadonlyMap<string, string>;
  /** Messages shown on nodes and input fields, by name. */
  errors: ReadonlyMap<string, string>;
  /** Results of the last run, by output. */
  results: ReadonlyMap<string, ValuePreview>;
  running: boolean;
  message?: RunMessage;
  cellProblems: CellProblem[];
  /** Increases with every change. */
  version: number;
}

const EMPTY_GRAPH: GraphSnapshot = { nodes: new Map(), edges: [], problems: [] };

export class NotebookGraphModel implements IDisposable {
  private analysisModule: AnalysisModule | undefined;
  private source: SourceGraph | undefined;
  private readonly waiting = new Map<string, string | null>();
  private waitingOrder: string[] = [];
  /** Every cell of the notebook, markdown included, in order. */
  private order: string[] = [];
  private kernel = new Map<string, KernelDefinition>();
  private runs = new Map<string, NodeRun>();
  private selection = new Set<string>();
  private inputText = new Map<string, string>();
  private errors = new Map<string, string>();
  private results = new Map<string, ValuePreview>();
  private running = false;
  private message: RunMessage | undefined;
  private version = 0;
  private current: ModelView | undefined;
  private readonly changedSignal = new Signal<this, ModelView>(this);
  private disposed = false;

  /** Emits the new view whenever anything changes. */
  get changed(): ISignal<this, ModelView> {
    return this.changedSignal;
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** Hands over the loaded analysis module; cells that arrived before are analysed now. */
  setAnalysis(module: AnalysisModule): void {
    this.analysisModule = module;
    this.source = new module.SourceGraph();
    this.updateCells([...this.waiting.entries()].map(([id, text]) => ({ id, source: text })), this.waitingOrder);
    this.waiting.clear();
  }

  get analysis(): AnalysisModule | undefined {
    return this.analysisModule;
  }

  /**
   * Cells changed: each with its new source, or null when it is gone (deleted,
   * not code, or tagged dagcells-skip). `order` is every cell of the notebook.
   */
  updateCells(changes: { id: string; source: string | null }[], order: string[]): void {
    if (!this.source) {
      for (const change of changes) {
        this.waiting.set(change.id, change.source);
      }
      this.waitingOrder = order;
      return;
    }
    this.order = order;
    this.source.setOrder(order);
    for (const { id, source } of changes) {
      if (source === null) {
        this.source.removeCell(id);
      } else {
        this.source.setCell(id, source);
      }
    }
    // Emitted even when the graph is the same object: a cell's problems may have changed.
    this.emit();
  }

  /** The analysis of a cell, as last given. */
  cellAnalysis(cellId: string): SourceAnalysis | undefined {
    return this.source?.analysis(cellId);
  }

  /** Cell ids that hold code, in notebook order. */
  cellIds(): string[] {
    return this.source?.cellIds() ?? [];
  }

  /** A cell ran in the kernel: what it defines is now what the kernel has. */
  cellExecuted(source: string, success: boolean, message?: string): void {
    if (!this.analysisModule) {
      return;
    }
    const { functions } = this.analysisModule.analyzeSource(source);
    this.markDefined(functions.map(f => ({ name: f.name, hash: f.hash })), !success, message);
  }

  /** Functions the kernel now holds (from a cell run or the panel's define step). */
  markDefined(functions: { name: string; hash: string }[], failed = false, message?: string): void {
    for (const { name, hash } of functions) {
      this.kernel.set(name, { hash, failed, ...(message ? { message } : {}) });
      if (this.runs.get(name)?.hash !== hash) {
        this.runs.delete(name);
      }
      if (failed && message) {
        this.errors.set(name, message);
      } else {
        this.errors.delete(name);
      }
    }
    this.emit();
  }

  /** The kernel restarted or changed: it holds nothing of ours any more. */
  kernelReset(): void {
    this.kernel = new Map();
    this.runs = new Map();
    this.results = new Map();
    this.errors = new Map();
    this.running = false;
    this.message = undefined;
    this.emit();
  }

  toggleSelection(name: string): void {
    if (this.selection.has(name)) {
      this.selection.delete(name);
    } else {
      this.selection.add(name);
    }
    this.emit();
  }

  select(names: Iterable<string>): void {
    this.selection = new Set(names);
    this.emit();
  }

  setInput(name: string, text: string): void {
    this.inputText.set(name, text);
    if (this.errors.has(name) && text.trim() !== '') {
      this.errors.delete(name);
    }
    this.emit();
  }

  /** A run begins: earlier results and errors go. */
  beginRun(): void {
    this.running = true;
    this.results = new Map();
    this.errors = new Map();
    this.message = undefined;
    this.emit();
  }

  nodeStarted(name: string): void {
    this.runs.set(name, { status: 'running', hash: this.hashOf(name) });
    this.errors.delete(name);
    this.emit();
  }

  nodeFinished(name: string, ms: number, preview: ValuePreview): void {
    this.runs.set(name, { status: 'ok', hash: this.hashOf(name), ms, preview });
    this.emit();
  }

  nodeFailed(name: string, ms: number | undefined, message: string): void {
    this.runs.set(name, { status: 'error', hash: this.hashOf(name), ...(ms !== undefined ? { ms } : {}), message });
    this.errors.set(name, message);
    this.emit();
  }

  /** Inputs and config that a successful run used. */
  markUsed(names: string[]): void {
    for (const name of names) {
      this.runs.set(name, { status: 'ok' });
    }
    this.emit();
  }

  /** The run ended; nodes still marked running did not finish. */
  endRun(outcome: { results?: Record<string, ValuePreview>; message?: RunMessage; errors?: Record<string, string> }): void {
    this.running = false;
    for (const [name, run] of this.runs) {
      if (run.status === 'running') {
        this.runs.delete(name);
      }
    }
    this.results = new Map(Object.entries(outcome.results ?? {}));
    for (const [name, text] of Object.entries(outcome.errors ?? {})) {
      this.errors.set(name, text);
    }
    this.message = outcome.message;
    this.emit();
  }

  /** A message without a run (nothing selected, inputs missing...). */
  setMessage(message: RunMessage | undefined, errors: Record<string, string> = {}): void {
    this.message = message;
    for (const [name, text] of Object.entries(errors)) {
      this.errors.set(name, text);
    }
    this.emit();
  }

  /** The view as of now. */
  get view(): ModelView {
    if (!this.current) {
      const graph = this.source?.snapshot() ?? EMPTY_GRAPH;
      // A selected node that no longer exists drops out of the selection.
      const selection = new Set([...this.selection].filter(n => graph.nodes.has(n)));
      this.current = {
        loading: !this.source,
        graph,
        states: nodeStates(graph, this.kernel, this.runs),
        selection,
        runs: new Map(this.runs),
        plan: planRun(graph, selection),
        inputText: new Map(this.inputText),
        errors: new Map(this.errors),
        results: new Map(this.results),
        running: this.running,
        ...(this.message ? { message: this.message } : {}),
        cellProblems: this.cellProblems(),
        version: this.version
      };
    }
    return this.current;
  }

  dispose(): void {
    if (this.disposed) {
      return;
    }
    this.disposed = true;
    Signal.clearData(this);
  }

  private hashOf(name: string): string | undefined {
    return this.source?.snapshot().nodes.get(name)?.hash;
  }

  /**
   * The first problem of each cell that has any, with how many follow: after a
   * syntax error the parser's later complaints mostly echo the first one.
   */
  private cellProblems(): CellProblem[] {
    const problems: CellProblem[] = [];
    for (const id of this.cellIds()) {
      const [first, ...rest] = this.source?.analysis(id)?.diagnostics ?? [];
      if (first) {
        problems.push({
          cellId: id,
          cellIndex: this.cellIndex(id),
          ...(first.range ? { line: first.range.line } : {}),
          message: first.message,
          more: rest.length
        });
      }
    }
    return problems;
  }

  /** A cell's place in the notebook, counting from 1 (as the graph's origins count). */
  cellIndex(cellId: string): number {
    return this.order.indexOf(cellId) + 1;
  }

  private emit(): void {
    if (this.disposed) {
      return;
    }
    this.version++;
    this.current = undefined;
    this.changedSignal.emit(this.view);
  }
}

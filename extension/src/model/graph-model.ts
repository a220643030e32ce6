/**
 * One notebook's dataflow, in one place: the graph of its cells (kept by a
 * NotebookGraph), what its kernel has defined, the last run, the selection and
 * the input values. Views subscribe to `changed` and render the immutable
 * {@link ModelView} it carries. A change recomputes only the parts of the view
 * that depend on it: a run's progress touches one node's state, a keystroke
 * the graph and what follows from it.
 */
import type { GraphProblem, GraphSnapshot, NotebookGraph, RunDescription, SourceAnalysis, Split, TaskAssignment, UnchosenVariant } from 'dagcells/notebook';
import type { RunEvent, ValuePreview } from 'dagcells/kernel';
import type { NotebookCell } from 'dagcells/export';
import { IDisposable } from '@lumino/disposable';
import { ISignal, Signal } from '@lumino/signaling';

import { KernelDefinition, NodeRun, nodeState, nodeStates, NodeState } from './states';

/** The notebook half of the runtime, loaded on demand (it carries the TypeScript parser). */
export type NotebookModule = typeof import('dagcells/notebook');

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

/** The run the selection asks for, as the panel shows it before anything runs. */
export type RunPlanView = Pick<RunDescription, 'outputs' | 'functions' | 'inputs' | 'problems'>;

/** Everything a view shows, as of one moment. Never mutated. */
export interface ModelView {
  /** The notebook module is still loading. */
  loading: boolean;
  graph: GraphSnapshot;
  states: ReadonlyMap<string, NodeState>;
  selection: ReadonlySet<string>;
  runs: ReadonlyMap<string, NodeRun>;
  plan: RunPlanView;
  inputText: ReadonlyMap<string, string>;
  /** The config keys the notebook's modifiers read, and the text of each field. */
  configKeys: readonly string[];
  configText: ReadonlyMap<string, string>;
  /** Messages shown on nodes and input fields, by name. */
  errors: ReadonlyMap<string, string>;
  /** Results of the last run, by output. */
  results: ReadonlyMap<string, ValuePreview>;
  running: boolean;
  message?: RunMessage;
  cellProblems: CellProblem[];
  /** The graph's problems, by the nodes they concern. */
  problemsOf: ReadonlyMap<string, readonly GraphProblem[]>;
  /** The Airflow tasks the user drew, in the order made, each with the outputs it delivers. */
  tasks: readonly TaskAssignment[];
  /** The task each assigned node belongs to. */
  taskOf: ReadonlyMap<string, string>;
  /** The Airflow task graph those tasks make (order, hand-overs) or why they cannot; none without tasks. */
  taskPlan: Split | undefined;
  /** The config variants the config does not choose: drawn dimmed, never part of `graph` nor of a run. */
  unchosen: readonly UnchosenVariant[];
  /**
   * Nodes that only config variants define and none of which applies, each
   * with the message saying which config would define it (for the node's
   * consumers and its input field).
   */
  absent: ReadonlyMap<string, string>;
  /** Increases with every change. */
  version: number;
}

const EMPTY_GRAPH: GraphSnapshot = { nodes: new Map(), edges: [], problems: [] };
const NO_VARIANTS: readonly UnchosenVariant[] = [];
const NO_PLAN: RunPlanView = { outputs: [], functions: [], inputs: [], problems: [] };

/** Which parts of the view a change makes stale. */
interface Stale {
  graph?: boolean;
  states?: boolean;
  plan?: boolean;
  tasks?: boolean;
}

export class NotebookGraphModel implements IDisposable {
  private notebookModule: NotebookModule | undefined;
  private source: NotebookGraph | undefined;
  private readonly waiting = new Map<string, string | null>();
  private waitingOrder: string[] | undefined;
  private kernel = new Map<string, KernelDefinition>();
  private runs = new Map<string, NodeRun>();
  private selection = new Set<string>();
  private inputText = new Map<string, string>();
  private configText = new Map<string, string>();
  private errors = new Map<string, string>();
  private results = new Map<string, ValuePreview>();
  private running = false;
  private message: RunMessage | undefined;
  private version = 0;
  private current: ModelView | undefined;
  /** The parts of the last view that a change has not made stale, reused by the next. */
  private parts: Partial<Pick<ModelView, 'graph' | 'states' | 'plan' | 'cellProblems' | 'problemsOf' | 'selection' | 'taskOf' | 'absent'>> & {
    taskPlan?: { plan: Split | undefined };
  } = {};
  private tasks: TaskAssignment[] = [];
  private readonly changedSignal = new Signal<this, ModelView>(this);
  private disposed = false;

  /** Emits the new view whenever anything changes. */
  get changed(): ISignal<this, ModelView> {
    return this.changedSignal;
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** Hands over the loaded notebook module; cells that arrived before are analysed now. */
  setAnalysis(module: NotebookModule): void {
    this.notebookModule = module;
    this.source = new module.NotebookGraph();
    this.source.setConfig(this.config());
    this.updateCells([...this.waiting.entries()].map(([id, text]) => ({ id, source: text })), this.waitingOrder);
    this.waiting.clear();
  }

  get analysis(): NotebookModule | undefined {
    return this.notebookModule;
  }

  /**
   * Cells changed: each with its new source, or null when it is gone (deleted,
   * not code, or tagged dagcells-skip). `order`, when the notebook's structure
   * changed, is every cell of the notebook.
   */
  updateCells(changes: { id: string; source: string | null }[], order?: string[]): void {
    if (!this.source) {
      for (const change of changes) {
        this.waiting.set(change.id, change.source);
      }
      this.waitingOrder = order ?? this.waitingOrder;
      return;
    }
    if (order) {
      this.source.setOrder(order);
    }
    for (const { id, source } of changes) {
      if (source === null) {
        this.source.removeCell(id);
      } else {
        this.source.setCell(id, source);
      }
    }
    // Emitted even when the graph is the same object: a cell's problems may have changed.
    this.emit({ graph: true });
  }

  /** The analysis of a cell, as last given. */
  cellAnalysis(cellId: string): SourceAnalysis | undefined {
    return this.source?.analysis(cellId);
  }

  /** Cell ids that hold code, in notebook order. */
  cellIds(): string[] {
    return this.source?.cellIds() ?? [];
  }

  /** A cell's place in the notebook, counting from 1 (as the graph's origins count). */
  cellIndex(cellId: string): number {
    return this.source?.cellIndex(cellId) ?? 0;
  }

  /**
   * The notebook's cells as the dataflow sees them, in order: the code cells
   * of the graph with their sources, every other cell as an empty markdown
   * cell (so that places count as users count).
   */
  cells(): NotebookCell[] {
    const source = this.source;
    if (!source) {
      return [];
    }
    const ids = source.cellIds();
    const cells: NotebookCell[] = [];
    const last = ids.length > 0 ? source.cellIndex(ids[ids.length - 1]) : 0;
    for (let i = 0; i < last; i++) {
      cells.push({ type: 'markdown', source: '' });
    }
    for (const id of ids) {
      cells[source.cellIndex(id) - 1] = { type: 'code', source: source.source(id) ?? '', id };
    }
    return cells;
  }

  /** The run of the selected outputs with these input values, planned as the kernel will run it. */
  describeRun(inputs: Record<string, unknown>): RunDescription | undefined {
    const module = this.notebookModule;
    return module ? module.describeRun(this.view.graph, [...this.view.selection], { inputs, config: this.config() }) : undefined;
  }

  /** A cell ran in the kernel: what it defines is now what the kernel has. */
  cellExecuted(source: string, success: boolean, message?: string): void {
    if (!this.notebookModule) {
      return;
    }
    const { functions } = this.notebookModule.analyzeSource(source);
    // A wrapped function's cell defines every node its modifiers make (`spend` of `spend__us`, `save_report` of `report`).
    const hashes = new Map(functions.map(f => [f.name, f.hash]));
    const made = [...this.view.graph.nodes.values()]
      .filter(n => n.declaredAs !== undefined && hashes.has(n.declaredAs))
      .map(n => ({ name: n.name, hash: n.hash ?? '' }));
    this.markDefined([...functions.map(f => ({ name: f.name, hash: f.hash })), ...made], !success, message);
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
    this.emit({ states: true });
  }

  /** The version of each function the kernel holds, by name. */
  kernelHolds(name: string, hash: string | undefined): boolean {
    const held = this.kernel.get(name);
    return held !== undefined && !held.failed && held.hash === hash;
  }

  /**
   * The kernel restarted, died or changed: it holds nothing of ours any more.
   * A run in progress ended with it, and says so until the next run.
   */
  kernelReset(reason = 'The kernel restarted during the run; the run ended with it.'): void {
    const wasRunning = this.running;
    this.kernel = new Map();
    this.runs = new Map();
    this.results = new Map();
    this.errors = new Map();
    this.running = false;
    // A run's own outcome (an error it ended with) stays until the next run; a stale 'done' goes.
    this.message = wasRunning ? { kind: 'error', text: reason } : this.message?.kind === 'error' ? this.message : undefined;
    this.emit({ states: true });
  }

  toggleSelection(name: string): void {
    if (this.selection.has(name)) {
      this.selection.delete(name);
    } else {
      this.selection.add(name);
    }
    this.emit({ plan: true });
  }

  select(names: Iterable<string>): void {
    this.selection = new Set(names);
    this.emit({ plan: true });
  }

  /** A config field changed: variants are chosen again at once (JSON, else the text as a string). */
  setConfigValue(key: string, text: string): void {
    if (text === '') {
      this.configText.delete(key);
    } else {
      this.configText.set(key, text);
    }
    this.source?.setConfig(this.config());
    this.onConfigText?.(Object.fromEntries(this.configText));
    this.emit({ graph: true, plan: true });
  }

  /** Told the config fields' texts whenever one changes (the notebook's metadata remembers them). */
  onConfigText: ((texts: Record<string, string>) => void) | undefined;

  /** The config values of the fields, parsed. */
  config(): Record<string, unknown> {
    const config: Record<string, unknown> = {};
    for (const [key, text] of this.configText) {
      try {
        config[key] = JSON.parse(text);
      } catch {
        config[key] = text;
      }
    }
    return config;
  }

  /** The tasks as the notebook's metadata remembers them (names and outputs, in order); bad entries are left out. */
  setTasks(tasks: readonly TaskAssignment[]): void {
    this.tasks = tasks
      .filter(t => typeof t.name === 'string' && Array.isArray(t.outputs))
      .map(t => ({ name: t.name, outputs: t.outputs.filter((o): o is string => typeof o === 'string') }));
    this.emit({ tasks: true });
  }

  /**
   * Puts nodes in a task (made when new), taking them out of any other task;
   * a task left with no node goes. Returns why nothing was done, or undefined.
   * Only computed nodes can be delivered by a task: inputs and config are the
   * DAG's params.
   */
  assignTask(name: string, nodes: Iterable<string>): string | undefined {
    const task = name.trim();
    if (task === '') {
      return 'Name the task first (letters, digits, _, . and -).';
    }
    if (!/^[A-Za-z0-9_.-]{1,250}$/.test(task)) {
      return `"${task}" is not an Airflow task id: use letters, digits, _, . and - (at most 250).`;
    }
    const graph = this.view.graph;
    const picked = [...nodes];
    const computed = picked.filter(n => {
      const node = graph.nodes.get(n);
      return node !== undefined && node.kind === 'function';
    });
    if (computed.length === 0) {
      return picked.length === 0
        ? 'Select the nodes the task delivers in the graph first.'
        : `${picked.join(', ')} ${picked.length === 1 ? 'is' : 'are'} not computed by the dataflow (inputs and config are the DAG's params): select functions.`;
    }
    const moving = new Set(computed);
    const tasks = this.tasks.map(t => ({ name: t.name, outputs: t.outputs.filter(o => !moving.has(o)) }));
    const existing = tasks.find(t => t.name === task);
    if (existing) {
      existing.outputs.push(...computed);
    } else {
      tasks.push({ name: task, outputs: computed });
    }
    this.tasks = tasks.filter(t => t.outputs.length > 0);
    this.onTasks?.(this.tasks);
    this.emit({ tasks: true });
    return undefined;
  }

  /** Takes nodes out of their tasks; a task left with no node goes. */
  unassign(nodes: Iterable<string>): void {
    const leaving = new Set(nodes);
    this.tasks = this.tasks.map(t => ({ name: t.name, outputs: t.outputs.filter(o => !leaving.has(o)) })).filter(t => t.outputs.length > 0);
    this.onTasks?.(this.tasks);
    this.emit({ tasks: true });
  }

  /** Removes a task; its nodes are in no task any more. */
  removeTask(name: string): void {
    this.tasks = this.tasks.filter(t => t.name !== name);
    this.onTasks?.(this.tasks);
    this.emit({ tasks: true });
  }

  /** Told the tasks whenever the user changes them (the notebook's metadata remembers them). */
  onTasks: ((tasks: readonly TaskAssignment[]) => void) | undefined;

  setInput(name: string, text: string): void {
    this.inputText.set(name, text);
    if (this.errors.has(name) && text.trim() !== '') {
      this.errors.delete(name);
    }
    this.emit({});
  }

  /** A run begins: the previous run's results, errors and node outcomes go. */
  beginRun(nodes: readonly string[] = []): void {
    this.running = true;
    this.results = new Map();
    this.errors = new Map();
    for (const name of nodes) {
      this.runs.delete(name);
    }
    this.message = undefined;
    this.emit({ states: true });
  }

  /** Progress of the run in the kernel. */
  runEvent(event: RunEvent): void {
    const name = event.node;
    if (event.type === 'node-warning') {
      // A `warn` check: the run goes on, and the node keeps what the check said.
      const run = this.runs.get(name);
      this.runs.set(name, { ...(run ?? { status: 'ok', hash: this.hashOf(name) }), warning: event.message });
    } else if (event.type === 'node-started') {
      this.runs.set(name, { status: 'running', hash: this.hashOf(name) });
      this.errors.delete(name);
    } else if (event.type === 'node-cached') {
      this.runs.set(name, { status: 'cached', hash: this.hashOf(name), ms: event.ms, computedAt: event.computedAt });
    } else if (event.type === 'node-finished') {
      const cached = this.runs.get(name);
      const warning = cached?.warning !== undefined ? { warning: cached.warning } : {};
      this.runs.set(
        name,
        cached?.status === 'cached'
          ? { ...cached, preview: event.preview }
          : { status: 'ok', hash: this.hashOf(name), ms: event.ms, preview: event.preview, ...warning }
      );
    } else {
      this.runs.set(name, { status: 'error', hash: this.hashOf(name), ms: event.ms, message: event.message });
      this.errors.set(name, event.message);
    }
    this.emitNode(name);
  }

  /** Inputs and config that a successful run used. */
  markUsed(names: string[]): void {
    for (const name of names) {
      this.runs.set(name, { status: 'ok' });
    }
    this.emit({ states: true });
  }

  /** The run ended; nodes still marked running did not finish, and go back to what they were. */
  endRun(outcome: { results?: Record<string, ValuePreview>; message?: RunMessage; errors?: Record<string, string> }): void {
    if (!this.running) {
      return; // ended already (the kernel restarted under it)
    }
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
    this.emit({ states: true });
  }

  /** A message without a run (nothing selected, inputs missing...). */
  setMessage(message: RunMessage | undefined, errors: Record<string, string> = {}): void {
    this.message = message;
    for (const [name, text] of Object.entries(errors)) {
      this.errors.set(name, text);
    }
    this.emit({});
  }

  /** The view as of now. */
  get view(): ModelView {
    if (!this.current) {
      const parts = this.parts;
      const graph = (parts.graph ??= this.source?.snapshot() ?? EMPTY_GRAPH);
      if (!parts.selection) {
        // A selected node that no longer exists drops out of the selection.
        const kept = [...this.selection].filter(n => graph.nodes.has(n));
        parts.selection = kept.length === this.selection.size ? new Set(this.selection) : new Set(kept);
      }
      const selection = parts.selection;
      const unchosen = this.source?.unchosenVariants() ?? NO_VARIANTS;
      this.current = {
        loading: !this.source,
        graph,
        states: (parts.states ??= nodeStates(graph, this.kernel, this.runs)),
        selection,
        runs: new Map(this.runs),
        plan: (parts.plan ??= this.plan(graph, selection)),
        inputText: new Map(this.inputText),
        configKeys: this.source?.configKeys() ?? [],
        configText: new Map(this.configText),
        errors: new Map(this.errors),
        results: this.results,
        running: this.running,
        ...(this.message ? { message: this.message } : {}),
        cellProblems: (parts.cellProblems ??= this.cellProblems()),
        problemsOf: (parts.problemsOf ??= problemsByNode(graph)),
        tasks: this.tasks,
        taskOf: (parts.taskOf ??= taskIndex(this.tasks)),
        taskPlan: (parts.taskPlan ??= { plan: this.taskPlan(graph) }).plan,
        unchosen,
        absent: (parts.absent ??= this.absentNodes(graph, unchosen)),
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

  private plan(graph: GraphSnapshot, selection: ReadonlySet<string>): RunPlanView {
    if (!this.notebookModule || selection.size === 0) {
      return NO_PLAN;
    }
    const { outputs, functions, inputs, problems } = this.notebookModule.describeRun(graph, [...selection], { config: this.config() });
    return { outputs, functions, inputs, problems };
  }

  /** The Airflow task graph of the drawn tasks, by the library's splitter over the graph as the panel shows it. */
  private taskPlan(graph: GraphSnapshot): Split | undefined {
    const module = this.notebookModule;
    if (!module || this.tasks.length === 0) {
      return undefined;
    }
    return module.splitTasks(module.graphToJSON(graph).nodes, this.tasks, false);
  }

  /** The nodes no variant defines with this config, each with what its consumers are told. */
  private absentNodes(graph: GraphSnapshot, unchosen: readonly UnchosenVariant[]): Map<string, string> {
    const absent = new Map<string, string>();
    const module = this.notebookModule;
    if (!module) {
      return absent;
    }
    for (const { node } of unchosen) {
      if (!absent.has(node) && graph.nodes.get(node)?.kind !== 'function') {
        absent.set(node, module.absentVariantMessage(node, unchosen));
      }
    }
    return absent;
  }

  private hashOf(name: string): string | undefined {
    return this.parts.graph?.nodes.get(name)?.hash ?? this.source?.snapshot().nodes.get(name)?.hash;
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

  /** A change that touches one node's run: its state alone is judged again. */
  private emitNode(name: string): void {
    const states = this.parts.states;
    const graph = this.parts.graph;
    if (states && graph) {
      const next = new Map(states);
      next.set(name, nodeState(graph, name, this.kernel, this.runs));
      this.parts.states = next;
    }
    this.emit({});
  }

  private emit(stale: Stale): void {
    if (this.disposed) {
      return;
    }
    if (stale.graph) {
      const before = this.parts.graph;
      const after = this.source?.snapshot() ?? EMPTY_GRAPH;
      if (after !== before) {
        this.parts = {};
      } else {
        this.parts = { ...this.parts, cellProblems: undefined };
      }
    }
    if (stale.states) {
      this.parts.states = undefined;
    }
    if (stale.plan) {
      this.parts.plan = undefined;
      this.parts.selection = undefined;
    }
    if (stale.tasks) {
      this.parts.taskOf = undefined;
      this.parts.taskPlan = undefined;
    }
    this.version++;
    this.current = undefined;
    this.changedSignal.emit(this.view);
  }
}

/** The task of each assigned node. */
function taskIndex(tasks: readonly TaskAssignment[]): Map<string, string> {
  const index = new Map<string, string>();
  for (const task of tasks) {
    for (const output of task.outputs) {
      index.set(output, task.name);
    }
  }
  return index;
}

/** Each node's problems, so that a tooltip does not scan them all. */
function problemsByNode(graph: GraphSnapshot): Map<string, GraphProblem[]> {
  const index = new Map<string, GraphProblem[]>();
  for (const problem of graph.problems) {
    for (const name of new Set(problem.nodes)) {
      const list = index.get(name);
      if (list) {
        list.push(problem);
      } else {
        index.set(name, [problem]);
      }
    }
  }
  return index;
}

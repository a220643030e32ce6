/**
 * The Dataflow panel: follows the active notebook, draws its graph, and holds
 * the run section, the two sharing the panel through a split the user can
 * move. It renders the model's views (at most once a frame), chooses how to
 * draw the graph for the room it has, and turns clicks into model updates or
 * commands. The same widget lives in a sidebar or in the main area.
 */
import type { CommandRegistry } from '@lumino/commands';
import { Message } from '@lumino/messaging';
import { launchIcon } from '@jupyterlab/ui-components';
import { Panel, SplitPanel, Widget } from '@lumino/widgets';

import { CommandIDs, LabCommandIDs } from '../tokens';
import { opensAsDocument } from './artifact';
import { chooseLayout } from '../layout/choose';
import { LayoutEngine } from '../layout/engine';
import { layoutInput, layoutKeyOf, LayoutChoice } from '../layout/input';
import type { Layout, Orientation } from '../layout/types';
import type { ModelView, NotebookGraphModel } from '../model/graph-model';
import { FRAME_PAD, GraphView, READABLE_SCALE } from '../view/graph-view';
import { formatMs } from '../view/tooltip';
import { legend } from './legend';
import { RunSection } from './run-section';
import { NodeSearch } from './search';
import { TasksSection } from './tasks-section';

export namespace DagcellsPanel {
  export interface IOptions {
    commands: CommandRegistry;
    layoutEngine: LayoutEngine;
    /** The orientation the settings ask for; `auto` follows the panel's shape. */
    orientation?: Orientation | 'auto';
    /** The graph's share of the split, between 0 and 1. */
    split?: number;
    /** Shows a notebook cell by id (activates the notebook, selects and scrolls to the cell). */
    showCell(cellId: string): void;
    /** The user moved the split: its new graph share. */
    splitChanged?(share: number): void;
    /** A file path on the kernel's machine as JupyterLab names it (relative to the server root); undefined outside it. */
    fileOf?(path: string): string | undefined;
  }
}

/** What the panel shows when there is no dataflow to show. */
type Empty = 'no-notebook' | 'not-tslab';

/** From this many nodes, a layout and its drawing go in separate frames. */
const SPLIT_FRAME_FROM = 300;

/** How long the panel's size must stay still before the graph is drawn again for it. */
const RESIZE_SETTLE = 120;

export class DagcellsPanel extends Panel {
  private readonly commands: CommandRegistry;
  private readonly engine: LayoutEngine;
  private readonly showCellFn: (cellId: string) => void;
  private readonly graphHost: HTMLElement;
  private readonly status: HTMLElement;
  private readonly search: NodeSearch;
  private readonly graphView: GraphView;
  private readonly runSection: RunSection;
  private readonly tasksSection: TasksSection;
  private readonly split: SplitPanel;
  private readonly placeButton: HTMLButtonElement;
  private model: NotebookGraphModel | null = null;
  private layoutState: Layout | undefined;
  private layoutKey = '';
  private choice: LayoutChoice | undefined;
  private premade: Layout | undefined;
  private frame = 0;
  private settle = 0;
  private wantFull = true;
  private wantFit = true;
  private wantChoice = true;
  private chosenOrientation: Orientation | undefined;
  private layoutRun = 0;
  /** The layout being computed, by the key of its input: a render of the same graph waits for it instead of starting another. */
  private pendingLayout: { key: string; model: NotebookGraphModel; layout: Promise<Layout> } | undefined;
  private activeCell: string | undefined;
  private lastRoom = { width: 0, height: 0 };
  private inMain = false;
  /** The node the last context menu opened on. */
  contextNode: string | undefined;

  constructor(options: DagcellsPanel.IOptions) {
    super();
    this.id = 'dagcells-panel';
    this.addClass('jp-DagcellsPanel');
    this.title.caption = 'Dataflow';
    this.commands = options.commands;
    this.engine = options.layoutEngine;
    this.showCellFn = options.showCell;
    this.chosenOrientation = options.orientation === 'auto' ? undefined : options.orientation;

    const header = new Widget();
    header.addClass('jp-DagcellsPanel-header');
    const toolbar = element('div', 'jp-DagcellsPanel-toolbar');
    this.search = new NodeSearch({
      matched: names => this.graphView.setMatches(names),
      focus: name => this.graphView.focus(name, true)
    });
    // The tools stay together: in a narrow sidebar they move below the search box as one row.
    const tools = element('div', 'jp-DagcellsPanel-tools');
    toolbar.append(this.search.node, tools);
    this.placeButton = tool('', 'Open beside the notebook', () => this.commands.execute(this.inMain ? CommandIDs.openInSidebar : CommandIDs.openInMain), 'main-area');
    this.placeButton.append(launchIcon.element({ tag: 'span', elementPosition: 'center', height: '14px', width: '14px' }));
    tools.append(
      tool('−', 'Zoom out', () => this.graphView.zoomBy(1 / 1.3), 'zoom-out'),
      tool('+', 'Zoom in', () => this.graphView.zoomBy(1.3), 'zoom-in'),
      tool('⤢', 'Fit the graph', () => this.commands.execute(CommandIDs.fit), 'fit'),
      tool('↻', 'Lay the graph out again', () => this.commands.execute(CommandIDs.relayout), 'relayout'),
      tool('⇄', 'Left to right or top to bottom', () => this.commands.execute(CommandIDs.toggleOrientation), 'orientation'),
      this.placeButton,
      tool('Export', 'Export the notebook to a module file', () => this.commands.execute(CommandIDs.exportModule), 'export')
    );
    this.status = element('div', 'jp-DagcellsPanel-status');
    this.status.setAttribute('role', 'status');
    header.node.append(toolbar, this.status);

    const graphArea = new Widget();
    graphArea.addClass('jp-DagcellsPanel-graphArea');
    this.graphHost = element('div', 'jp-DagcellsPanel-graph');
    this.graphView = new GraphView(this.graphHost, {
      toggle: name => this.model?.toggleSelection(name),
      open: name => this.showNodeCell(name),
      context: name => {
        this.contextNode = name;
      },
      lineage: name => this.lineage(name)
    });
    graphArea.node.append(this.graphHost, legend());
    new ResizeObserver(() => this.roomChanged()).observe(this.graphHost);

    const runArea = new Widget();
    runArea.addClass('jp-DagcellsPanel-runArea');
    this.runSection = new RunSection({
      setInput: (name, text) => this.model?.setInput(name, text),
      setConfig: (key, text) => this.model?.setConfigValue(key, text),
      execute: () => void this.commands.execute(CommandIDs.execute),
      interrupt: () => void this.commands.execute(CommandIDs.interrupt),
      showCell: cellId => this.showCellFn(cellId),
      showNode: name => this.findNode(name),
      fileOf: options.fileOf,
      openFile: (path, format) => void this.openFile(path, format)
    });
    this.tasksSection = new TasksSection({
      assign: task => (this.model ? this.model.assignTask(task, this.model.view.selection) : 'Open a TypeScript notebook first.'),
      unassign: () => this.model?.unassign(this.model.view.selection),
      remove: task => this.model?.removeTask(task),
      pick: task => this.model?.select(this.model.view.tasks.find(t => t.name === task)?.outputs ?? []),
      exportDag: () => void this.commands.execute(CommandIDs.exportAirflow)
    });
    runArea.node.append(this.runSection.node, this.tasksSection.node);

    this.split = new SplitPanel({ orientation: 'vertical', spacing: 6 });
    this.split.addClass('jp-DagcellsPanel-split');
    this.split.addWidget(graphArea);
    this.split.addWidget(runArea);
    SplitPanel.setStretch(graphArea, 1);
    SplitPanel.setStretch(runArea, 1);
    this.splitShare = options.split ?? 0.7;
    this.split.handleMoved.connect(() => {
      const [graph, run] = this.split.relativeSizes();
      const share = graph / Math.max(1e-6, graph + run);
      this.shareValue = share;
      options.splitChanged?.(share);
    });
    for (const handle of this.split.handles) {
      handle.setAttribute('role', 'separator');
      handle.setAttribute('aria-label', 'Resize the graph and the run section');
      handle.setAttribute('data-dagcells-split', '');
    }
    this.addWidget(header);
    this.addWidget(this.split);
    // The split's size comes from the panel's flex layout, which Lumino does not see: lay it out whenever it changes.
    let sized = false;
    new ResizeObserver(() => {
      if (this.split.isVisible && this.split.node.offsetHeight > 0) {
        if (!sized) {
          // Relative sizes only hold once the split has a size of its own.
          sized = true;
          this.split.setRelativeSizes([this.shareValue, 1 - this.shareValue]);
        }
        this.split.update();
      }
    }).observe(this.split.node);
    this.showEmpty('no-notebook');
  }

  private shareValue = 0.7;

  /** The graph's share of the split. */
  get splitShare(): number {
    return this.shareValue;
  }

  set splitShare(value: number) {
    const share = Math.min(0.9, Math.max(0.15, value));
    this.shareValue = share;
    this.split.setRelativeSizes([share, 1 - share]);
  }

  /** The notebook model shown, or why none is. */
  setModel(model: NotebookGraphModel | null, empty: Empty = 'no-notebook'): void {
    if (model === this.model) {
      return;
    }
    this.model?.changed.disconnect(this.scheduleRender, this);
    this.model = model;
    this.layoutState = undefined;
    this.layoutKey = '';
    this.wantFull = true;
    this.wantFit = true;
    this.wantChoice = true;
    if (model) {
      model.changed.connect(this.scheduleRender, this);
      this.scheduleRender();
    } else {
      this.showEmpty(empty);
    }
  }

  get currentModel(): NotebookGraphModel | null {
    return this.model;
  }

  /** The notebook's active cell: a large graph opens on its nodes. */
  setActiveCell(cellId: string | undefined): void {
    this.activeCell = cellId;
  }

  /** Whether the panel sits in the main area (it offers to go back to the sidebar). */
  set inMainArea(value: boolean) {
    this.inMain = value;
    this.node.dataset.place = value ? 'main' : 'side';
    this.title.closable = value;
    const label = value ? 'Move the panel back to the sidebar' : 'Open beside the notebook';
    this.placeButton.title = label;
    this.placeButton.setAttribute('aria-label', label);
    this.placeButton.setAttribute('data-dagcells-action', value ? 'sidebar' : 'main-area');
  }

  get inMainArea(): boolean {
    return this.inMain;
  }

  /** The orientation drawn now. */
  get orientation(): Orientation {
    return this.choice?.orientation ?? this.chosenOrientation ?? 'LR';
  }

  /** The user's choice of orientation; `auto` follows the panel's shape again. */
  set orientation(value: Orientation | 'auto') {
    const chosen = value === 'auto' ? undefined : value;
    if (chosen !== this.chosenOrientation || (chosen && chosen !== this.choice?.orientation)) {
      this.chosenOrientation = chosen;
      this.relayout();
    }
  }

  /** Lays the whole graph out again, for the room the panel has, and frames it. */
  relayout(): void {
    this.wantFull = true;
    this.wantFit = true;
    this.wantChoice = true;
    this.layoutKey = '';
    this.scheduleRender();
  }

  /**
   * Frames the whole graph. (Not `fit`: that is Lumino's own fit request,
   * which the shell sends to every widget when the theme or layout changes.)
   */
  fitGraph(): void {
    this.graphView.fit(true, this.focusNames());
  }

  /** Centres and highlights a node; false when there is no such node. */
  findNode(name: string): boolean {
    return this.graphView.focus(name, true);
  }

  /** Opens a file a saver wrote; one JupyterLab does not open as a document (parquet) is shown in the file browser. */
  private async openFile(path: string, format: string): Promise<void> {
    if (opensAsDocument(format)) {
      try {
        await this.commands.execute(LabCommandIDs.openDocument, { path });
        return;
      } catch (reason) {
        console.warn(`dagcells: ${path} could not be opened as a document; showing it in the file browser.`, reason);
      }
    }
    await this.commands.execute(LabCommandIDs.goToPath, { path });
  }

  /** The cell that defines a node (its last definition), shown in the notebook. */
  showNodeCell(name: string): void {
    const view = this.model?.view;
    // A dimmed variant is no node of the graph: its cell is the one that declares it.
    const origin = view?.graph.nodes.get(name)?.origins.at(-1) ?? view?.unchosen.find(v => v.declaredAs === name)?.origin;
    if (origin?.cellId) {
      this.showCellFn(origin.cellId);
    }
  }

  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    // Ready before the first large graph asks for it, in a moment when nothing else is going on.
    const warm = () => this.engine.warm();
    'requestIdleCallback' in window ? requestIdleCallback(warm, { timeout: 2000 }) : setTimeout(warm, 500);
    this.scheduleRender();
  }

  protected onResize(msg: Widget.ResizeMessage): void {
    super.onResize(msg);
    // Wide and low (the main area beside a notebook): graph and run section side by side.
    const { offsetWidth: width, offsetHeight: height } = this.node;
    const orientation = width > 720 && width > height * 1.3 ? 'horizontal' : 'vertical';
    if (this.split.orientation !== orientation) {
      this.split.orientation = orientation;
      this.split.setRelativeSizes([this.shareValue, 1 - this.shareValue]);
    }
  }

  dispose(): void {
    cancelAnimationFrame(this.frame);
    clearTimeout(this.settle);
    this.graphView.dispose();
    super.dispose();
  }

  /**
   * The graph's room changed (the sidebar or the split moved, the panel went
   * to the main area): once it settles, the graph is drawn for the new room,
   * unless the user framed it.
   */
  private roomChanged(): void {
    const width = this.graphHost.clientWidth;
    const height = this.graphHost.clientHeight;
    if (width === 0 || height === 0 || (width === this.lastRoom.width && height === this.lastRoom.height)) {
      return;
    }
    const first = this.lastRoom.width === 0;
    this.lastRoom = { width, height };
    if (first) {
      this.scheduleRender();
      return;
    }
    clearTimeout(this.settle);
    this.settle = window.setTimeout(() => {
      if (!this.graphView.userFramed) {
        this.wantChoice = true;
        this.wantFit = true;
        this.scheduleRender();
      }
    }, RESIZE_SETTLE);
  }

  private showEmpty(empty: Empty): void {
    this.node.dataset.empty = empty;
    this.status.textContent =
      empty === 'not-tslab'
        ? 'This notebook does not use the TypeScript (tslab) kernel: there is no dataflow to show.'
        : 'Open a TypeScript notebook to see its dataflow.';
    this.graphView.clear();
    this.search.setNames([]);
  }

  private scheduleRender(): void {
    if (!this.frame) {
      this.frame = requestAnimationFrame(() => {
        this.frame = 0;
        void this.renderNow();
      });
    }
  }

  private async renderNow(): Promise<void> {
    const model = this.model;
    if (!model || !this.isVisible) {
      return;
    }
    delete this.node.dataset.empty;
    // User Timing marks: what the panel itself costs the main thread, for benchmarks and profiles.
    let started = performance.now();
    const view = model.view;
    this.renderStatus(view);
    this.runSection.render(view);
    this.tasksSection.render(view);
    const room = { width: this.graphHost.clientWidth, height: this.graphHost.clientHeight };
    if (room.width === 0 || room.height === 0 || view.loading) {
      return;
    }
    if (this.wantChoice || !this.choice) {
      const chosen = chooseLayout(view, room, {
        ...(this.chosenOrientation ? { orientation: this.chosenOrientation } : {}),
        readable: READABLE_SCALE,
        pad: FRAME_PAD,
        tryUpTo: Math.min(120, this.engine.workerThreshold)
      });
      this.choice = chosen.choice;
      this.premade = chosen.layout;
      this.wantChoice = false;
      this.wantFull = true;
      this.node.dataset.orientation = chosen.choice.orientation;
      this.node.dataset.density = chosen.choice.density;
    }
    const input = layoutInput(view, this.choice);
    const key = layoutKeyOf(input);
    if (key !== this.layoutKey) {
      const run = ++this.layoutRun;
      const full = this.wantFull;
      this.wantFull = false;
      let layout: Layout;
      const premade = this.premade;
      this.premade = undefined;
      if (premade && full) {
        layout = premade;
        this.engine.lastKind = 'full-main';
      } else if (this.pendingLayout?.key === key && this.pendingLayout.model === model) {
        // Something else changed (the kernel started, say) while this graph was laid out: the same layout serves.
        layout = await this.pendingLayout.layout;
      } else {
        const pending = this.engine
          .layout(input, this.layoutState, full)
          .catch(() => this.engine.layout(input, undefined, true))
          .catch(() => this.layoutState as Layout);
        this.pendingLayout = { key, model, layout: pending };
        try {
          layout = await pending;
        } finally {
          if (this.pendingLayout?.layout === pending) {
            this.pendingLayout = undefined;
          }
        }
      }
      if (run !== this.layoutRun || model !== this.model) {
        return; // a newer render took over while this layout was computed
      }
      this.layoutState = layout;
      this.layoutKey = key;
      this.node.dataset.layout = this.engine.lastKind ?? '';
    } else {
      // The layout made while choosing is of this very graph, which is laid out already: a later graph must not get it.
      this.premade = undefined;
    }
    if (!this.layoutState) {
      return;
    }
    if (model.view.graph.nodes.size > SPLIT_FRAME_FROM) {
      // A large graph: laying out and drawing in one task would hold the main thread too long while typing.
      performance.measure('dagcells-layout', { start: started });
      await new Promise(resolve => requestAnimationFrame(resolve));
      if (model !== this.model) {
        return;
      }
      started = performance.now();
    }
    const fit = this.wantFit;
    this.graphView.render(model.view, this.layoutState, fit, fit ? this.focusNames() : []);
    if (fit) {
      this.wantFit = false;
      this.node.dataset.framed = this.graphView.wholeScale >= READABLE_SCALE ? 'whole' : 'part';
    }
    this.search.setNames([...view.graph.nodes.keys()].sort());
    performance.measure('dagcells-draw', { start: started });
  }

  /** The active cell's nodes and their neighbours: where a graph too large to read whole opens. */
  private focusNames(): string[] {
    const graph = this.model?.view.graph;
    if (!graph || !this.activeCell) {
      return [];
    }
    const names = new Set<string>();
    for (const node of graph.nodes.values()) {
      if (node.origins.some(o => o.cellId === this.activeCell)) {
        names.add(node.name);
        node.dependencies.forEach(d => names.add(d.name));
        node.dependents.forEach(d => names.add(d));
      }
    }
    return [...names];
  }

  /** What a node needs and what needs it, from the runtime's lineage queries. */
  private lineage(name: string): { up: ReadonlySet<string>; down: ReadonlySet<string> } | undefined {
    const model = this.model;
    const analysis = model?.analysis;
    const graph = model?.view.graph;
    if (!analysis || !graph?.nodes.has(name)) {
      return undefined;
    }
    return { up: new Set(analysis.upstreamOf(graph, [name])), down: new Set(analysis.downstreamOf(graph, [name])) };
  }

  private renderStatus(view: ModelView): void {
    const functions = [...view.graph.nodes.values()].filter(n => n.kind === 'function').length;
    const inputs = [...view.graph.nodes.values()].filter(n => n.kind === 'input').length;
    if (view.loading) {
      this.status.textContent = 'Reading the notebook…';
    } else if (view.graph.nodes.size === 0) {
      this.status.textContent = 'No functions yet: define one in a code cell, e.g. function spend(raw_spend: number[]) { … }';
    } else {
      const ran = [...view.runs.values()].reduce((sum, r) => sum + (r.ms ?? 0), 0);
      this.status.textContent =
        `${functions} function${functions === 1 ? '' : 's'}, ${inputs} input${inputs === 1 ? '' : 's'}` +
        (view.graph.problems.length ? ` · ${view.graph.problems.length} problem${view.graph.problems.length === 1 ? '' : 's'}` : '') +
        (view.running ? ' · running…' : ran > 0 ? ` · last run ${formatMs(ran)}` : '');
    }
  }
}

function element(tag: string, className: string): HTMLElement {
  const el = document.createElement(tag);
  el.className = className;
  return el;
}

function tool(label: string, title: string, onClick: () => void, action: string): HTMLButtonElement {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'jp-DagcellsPanel-tool';
  button.textContent = label;
  button.title = title;
  button.setAttribute('aria-label', title);
  button.setAttribute('data-dagcells-action', action);
  button.addEventListener('click', onClick);
  return button;
}

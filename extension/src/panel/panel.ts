/**
 * The Dataflow side panel: follows the active notebook, draws its graph, and
 * holds the run section. It renders the model's views (at most once a frame)
 * and turns clicks into model updates or commands.
 */
import type { CommandRegistry } from '@lumino/commands';
import { Message } from '@lumino/messaging';
import { Widget } from '@lumino/widgets';

import { CommandIDs } from '../tokens';
import { LayoutEngine } from '../layout/engine';
import { layoutInput, layoutKeyOf } from '../layout/input';
import type { Layout } from '../layout/types';
import type { ModelView, NotebookGraphModel } from '../model/graph-model';
import { GraphView } from '../view/graph-view';
import { formatMs } from '../view/tooltip';
import { legend } from './legend';
import { RunSection } from './run-section';

export namespace DagcellsPanel {
  export interface IOptions {
    commands: CommandRegistry;
    layoutEngine: LayoutEngine;
    orientation?: 'LR' | 'TB';
    /** Shows a notebook cell by id (activates the notebook, selects and scrolls to the cell). */
    showCell(cellId: string): void;
  }
}

/** What the panel shows when there is no dataflow to show. */
type Empty = 'no-notebook' | 'not-tslab';

export class DagcellsPanel extends Widget {
  private readonly commands: CommandRegistry;
  private readonly engine: LayoutEngine;
  private readonly showCellFn: (cellId: string) => void;
  private readonly graphHost: HTMLElement;
  private readonly status: HTMLElement;
  private readonly searchField: HTMLInputElement;
  private readonly searchList: HTMLDataListElement;
  private readonly graphView: GraphView;
  private readonly runSection: RunSection;
  private model: NotebookGraphModel | null = null;
  private layoutState: Layout | undefined;
  private layoutKey = '';
  private frame = 0;
  private wantFull = true;
  private wantFit = true;
  private orientationValue: 'LR' | 'TB';
  private layoutRun = 0;
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
    this.orientationValue = options.orientation ?? 'LR';

    const toolbar = element('div', 'jp-DagcellsPanel-toolbar');
    this.searchField = document.createElement('input');
    this.searchField.type = 'search';
    this.searchField.className = 'jp-mod-styled jp-DagcellsPanel-search';
    this.searchField.placeholder = 'Find a node';
    this.searchField.setAttribute('aria-label', 'Find a node');
    this.searchField.setAttribute('data-dagcells-search', '');
    this.searchList = document.createElement('datalist');
    this.searchList.id = `${this.id}-names`;
    this.searchField.setAttribute('list', this.searchList.id);
    this.searchField.addEventListener('keydown', event => {
      if (event.key === 'Enter') {
        this.findNode(this.searchField.value.trim());
      }
    });
    this.searchField.addEventListener('change', () => this.findNode(this.searchField.value.trim()));
    // The tools stay together: in a narrow sidebar they move below the search box as one row.
    const tools = element('div', 'jp-DagcellsPanel-tools');
    toolbar.append(this.searchField, this.searchList, tools);
    tools.append(
      tool('−', 'Zoom out', () => this.graphView.zoomBy(1 / 1.3), 'zoom-out'),
      tool('+', 'Zoom in', () => this.graphView.zoomBy(1.3), 'zoom-in'),
      tool('⤢', 'Fit the graph', () => this.commands.execute(CommandIDs.fit), 'fit'),
      tool('↻', 'Lay the graph out again', () => this.commands.execute(CommandIDs.relayout), 'relayout'),
      tool('⇄', 'Left to right or top to bottom', () => this.commands.execute(CommandIDs.toggleOrientation), 'orientation'),
      tool('Export', 'Export the notebook to a module file', () => this.commands.execute(CommandIDs.exportModule), 'export')
    );
    this.status = element('div', 'jp-DagcellsPanel-status');
    this.status.setAttribute('role', 'status');
    this.graphHost = element('div', 'jp-DagcellsPanel-graph');
    this.graphView = new GraphView(this.graphHost, {
      toggle: name => this.model?.toggleSelection(name),
      open: name => this.showNodeCell(name),
      context: name => {
        this.contextNode = name;
      }
    });
    this.runSection = new RunSection({
      setInput: (name, text) => this.model?.setInput(name, text),
      execute: () => void this.commands.execute(CommandIDs.execute),
      interrupt: () => void this.commands.execute(CommandIDs.interrupt),
      showCell: cellId => this.showCellFn(cellId),
      showNode: name => this.findNode(name)
    });
    this.node.append(toolbar, this.status, this.graphHost, legend(), this.runSection.node);
    this.showEmpty('no-notebook');
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

  get orientation(): 'LR' | 'TB' {
    return this.orientationValue;
  }

  set orientation(value: 'LR' | 'TB') {
    if (value !== this.orientationValue) {
      this.orientationValue = value;
      this.relayout();
    }
  }

  /** Lays the whole graph out again and frames it. */
  relayout(): void {
    this.wantFull = true;
    this.wantFit = true;
    this.layoutKey = '';
    this.scheduleRender();
  }

  /**
   * Frames the whole graph. (Not `fit`: that is Lumino's own fit request,
   * which the shell sends to every widget when the theme or layout changes.)
   */
  fitGraph(): void {
    this.graphView.fit();
  }

  /** Centres and highlights a node; false when there is no such node. */
  findNode(name: string): boolean {
    const found = this.graphView.focus(name);
    this.searchField.classList.toggle('jp-mod-error', Boolean(name) && !found);
    return found;
  }

  /** The cell that defines a node (its last definition), shown in the notebook. */
  showNodeCell(name: string): void {
    const origin = this.model?.view.graph.nodes.get(name)?.origins.at(-1);
    if (origin?.cellId) {
      this.showCellFn(origin.cellId);
    }
  }

  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    this.scheduleRender();
  }

  protected onResize(msg: Widget.ResizeMessage): void {
    super.onResize(msg);
    // Until the user zooms or pans, a wider or taller panel frames the graph again.
    if (!this.graphView.userFramed) {
      this.wantFit = true;
    }
    if (this.wantFit) {
      this.scheduleRender();
    }
  }

  dispose(): void {
    cancelAnimationFrame(this.frame);
    this.graphView.dispose();
    super.dispose();
  }

  private showEmpty(empty: Empty): void {
    this.node.dataset.empty = empty;
    this.status.textContent =
      empty === 'not-tslab'
        ? 'This notebook does not use the TypeScript (tslab) kernel: there is no dataflow to show.'
        : 'Open a TypeScript notebook to see its dataflow.';
    this.graphView.clear();
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
    const view = model.view;
    this.renderStatus(view);
    this.runSection.render(view);
    const input = layoutInput(view, this.orientationValue);
    const key = layoutKeyOf(input);
    if (key !== this.layoutKey) {
      const run = ++this.layoutRun;
      const full = this.wantFull;
      this.wantFull = false;
      let layout: Layout;
      try {
        layout = await this.engine.layout(input, this.layoutState, full);
      } catch {
        layout = await this.engine.layout(input, undefined, true).catch(() => this.layoutState as Layout);
      }
      if (run !== this.layoutRun || model !== this.model) {
        return; // a newer render took over while this layout was computed
      }
      this.layoutState = layout;
      this.layoutKey = key;
      this.node.dataset.layout = this.engine.lastKind ?? '';
    }
    if (!this.layoutState) {
      return;
    }
    const fit = this.wantFit && this.graphHost.clientWidth > 0;
    this.graphView.render(model.view, this.layoutState, fit);
    if (fit) {
      this.wantFit = false;
    }
    this.updateSearchList(view);
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

  private updateSearchList(view: ModelView): void {
    const names = [...view.graph.nodes.keys()].sort();
    if (this.searchList.childElementCount !== names.length) {
      this.searchList.replaceChildren(
        ...names.map(name => {
          const option = document.createElement('option');
          option.value = name;
          return option;
        })
      );
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

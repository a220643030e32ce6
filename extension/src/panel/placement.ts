/**
 * Where the Dataflow panel lives: its sidebar, or the main area in a split to
 * the right of the notebook. The panel is one widget that moves, so it keeps
 * its graph, zoom, selection and fields. In the main area it sits in a dock
 * tab of its own, tracked so that the layout restorer brings the tab back
 * where it was and as wide; closing that tab sends the panel back to the
 * sidebar instead of destroying it.
 */
import type { ILayoutRestorer, JupyterFrontEnd } from '@jupyterlab/application';
import { WidgetTracker } from '@jupyterlab/apputils';
import { Message } from '@lumino/messaging';
import { Panel } from '@lumino/widgets';

import type { DagcellsPanel } from './panel';

/** The main area's tab that holds the panel. */
class DataflowTab extends Panel {
  constructor(
    readonly panel: DagcellsPanel,
    private readonly onClose: () => void
  ) {
    super();
    this.id = 'dagcells-main-area';
    this.addClass('jp-DagcellsTab');
    this.title.label = 'Dataflow';
    this.title.caption = 'The dataflow of the current notebook';
    this.title.icon = panel.title.icon;
    this.title.closable = true;
    this.addWidget(panel);
  }

  protected onCloseRequest(msg: Message): void {
    // The panel outlives its tab: it goes back to the sidebar.
    this.onClose();
    super.onCloseRequest(msg);
  }

  protected onActivateRequest(msg: Message): void {
    super.onActivateRequest(msg);
    this.panel.node.querySelector<HTMLElement>('[data-dagcells-search]')?.focus();
  }
}

export namespace PanelPlacement {
  export interface IOptions {
    app: JupyterFrontEnd;
    panel: DagcellsPanel;
    /** The sidebar the panel belongs to. */
    side: () => 'left' | 'right';
    /** The id of the notebook the panel opens beside, if any. */
    notebookId: () => string | undefined;
    restorer: ILayoutRestorer | null;
    /** The command that opens the panel in the main area (it restores the tab too). */
    openCommand: string;
  }
}

export class PanelPlacement {
  private tab: DataflowTab | undefined;
  private readonly tracker = new WidgetTracker<DataflowTab>({ namespace: 'dagcells-dataflow' });

  constructor(private readonly options: PanelPlacement.IOptions) {
    void options.restorer?.restore(this.tracker, { command: options.openCommand, name: () => 'dataflow' });
  }

  get inMainArea(): boolean {
    return this.tab !== undefined;
  }

  /** Puts the panel into the main area beside the notebook (where it is, if it is there); resolves to its tab. */
  openInMain(): DataflowTab {
    const { app, panel } = this.options;
    if (!this.tab) {
      if (panel.isAttached) {
        panel.parent = null;
      }
      const tab = new DataflowTab(panel, () => this.toSidebar(false));
      this.tab = tab;
      panel.inMainArea = true;
      const ref = this.options.notebookId();
      app.shell.add(tab, 'main', { mode: 'split-right', ...(ref ? { ref } : {}) });
      void this.tracker.add(tab);
      tab.disposed.connect(() => {
        if (this.tab === tab) {
          this.tab = undefined;
        }
      });
    }
    app.shell.activateById(this.tab.id);
    return this.tab;
  }

  /** Puts the panel back into its sidebar; `show` opens the sidebar on it. */
  toSidebar(show = true): void {
    const { app, panel } = this.options;
    const tab = this.tab;
    this.tab = undefined;
    panel.inMainArea = false;
    if (tab) {
      panel.parent = null;
      tab.dispose();
    }
    app.shell.add(panel, this.options.side(), { rank: 900 });
    if (show) {
      app.shell.activateById(panel.id);
    }
  }
}

/**
 * The panel plugin: wires notebooks, models, the panel, commands and settings.
 * Logic lives in the model, watcher, runner and views; this file only connects.
 */
import { ILabShell, ILayoutRestorer, JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { PageConfig } from '@jupyterlab/coreutils';
import { INotebookTracker, NotebookActions, NotebookPanel } from '@jupyterlab/notebook';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import type { TaskAssignment } from 'dagcells/notebook';

import { runSelection, bridgeFor } from './execute/runner';
import { dataflowIcon } from './icons';
import { LayoutEngine } from './layout/engine';
import { NotebookGraphModel, NotebookModule } from './model/graph-model';
import { serverPath } from './panel/artifact';
import { DagcellsPanel } from './panel/panel';
import { PanelPlacement } from './panel/placement';
import { CommandIDs, PLUGIN_ID } from './tokens';
import { NotebookWatcher } from './watcher/notebook-watcher';

interface Settings {
  side: 'left' | 'right';
  orientation: 'auto' | 'LR' | 'TB';
  split: number;
  debounce: number;
  workerThreshold: number;
  /** The kernel's memory for values of earlier runs, in MB; 0 turns the cache off. */
  cacheMegabytes: number;
}

const DEFAULTS: Settings = { side: 'right', orientation: 'auto', split: 0.7, debounce: 16, workerThreshold: 150, cacheMegabytes: 256 };

/** True when a notebook runs TypeScript with tslab (or says it does). */
function isTslab(panel: NotebookPanel): boolean {
  const kernel = panel.sessionContext.session?.kernel?.name;
  const spec = panel.context.model?.getMetadata('kernelspec') as { name?: string; language?: string } | undefined;
  return kernel === 'tslab' || (kernel === undefined && (spec?.name === 'tslab' || spec?.language === 'typescript'));
}

export const panelPlugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description: 'A live dataflow graph of the functions in TypeScript notebooks: draw, pick outputs, run them.',
  autoStart: true,
  requires: [INotebookTracker],
  optional: [ICommandPalette, ILayoutRestorer, ISettingRegistry, ILabShell],
  activate: (
    app: JupyterFrontEnd,
    tracker: INotebookTracker,
    palette: ICommandPalette | null,
    restorer: ILayoutRestorer | null,
    settingRegistry: ISettingRegistry | null,
    labShell: ILabShell | null
  ) => {
    const settings: Settings = { ...DEFAULTS };
    const engine = new LayoutEngine({ workerThreshold: settings.workerThreshold });
    const entries = new Map<NotebookPanel, { model: NotebookGraphModel; watcher: NotebookWatcher }>();
    let notebookModule: Promise<NotebookModule> | undefined;
    // The notebook module carries the TypeScript parser: loaded on first need, never at start-up.
    const loadAnalysis = () => (notebookModule ??= import('dagcells/notebook'));

    const showCell = (notebookPanel: NotebookPanel, cellId: string) => {
      const notebook = notebookPanel.content;
      const index = notebook.widgets.findIndex(cell => cell.model.id === cellId);
      if (index < 0) {
        return;
      }
      app.shell.activateById(notebookPanel.id);
      notebook.deselectAll();
      notebook.activeCellIndex = index;
      notebook.mode = 'command';
      void notebook.scrollToItem(index, 'center');
    };

    let loadedSettings: ISettingRegistry.ISettings | undefined;
    let saveSplit = 0;
    const panel = new DagcellsPanel({
      commands: app.commands,
      layoutEngine: engine,
      orientation: settings.orientation,
      split: settings.split,
      showCell: cellId => {
        const current = tracker.currentWidget;
        if (current) {
          showCell(current, cellId);
        }
      },
      // The kernel runs in the notebook's folder: a saver's path is named from there, and shown from the server root.
      fileOf: path => {
        const notebook = tracker.currentWidget?.context.path;
        return notebook === undefined ? undefined : serverPath(path, PageConfig.getOption('serverRoot'), notebook);
      },
      splitChanged: share => {
        // Kept in the settings once the handle stops moving.
        clearTimeout(saveSplit);
        saveSplit = window.setTimeout(() => {
          settings.split = share;
          void loadedSettings?.set('split', Math.round(share * 1000) / 1000).catch(reason => console.warn('dagcells: the split could not be saved.', reason));
        }, 300);
      }
    });
    panel.title.icon = dataflowIcon;
    const placement = new PanelPlacement({
      app,
      panel,
      side: () => settings.side,
      notebookId: () => tracker.currentWidget?.id,
      restorer,
      openCommand: CommandIDs.openInMain
    });
    tracker.activeCellChanged.connect((_, cell) => panel.setActiveCell(cell?.model.id));

    /** The model of a notebook, made (and watched) the first time it is asked for. */
    const modelFor = (notebookPanel: NotebookPanel): NotebookGraphModel | null => {
      if (!isTslab(notebookPanel)) {
        return null;
      }
      let entry = entries.get(notebookPanel);
      if (!entry) {
        const model = new NotebookGraphModel();
        // The config fields are remembered in the notebook's metadata (`dagcells.config`, texts by key).
        const notebookModel = notebookPanel.content.model!;
        const remembered = (notebookModel.getMetadata('dagcells') as { config?: Record<string, unknown> } | undefined)?.config;
        for (const [key, text] of Object.entries(remembered ?? {})) {
          if (typeof text === 'string') {
            model.setConfigValue(key, text);
          }
        }
        model.onConfigText = texts => {
          const previous = (notebookModel.getMetadata('dagcells') as Record<string, unknown> | undefined) ?? {};
          notebookModel.setMetadata('dagcells', { ...previous, config: texts });
        };
        // So are the Airflow tasks drawn on the graph (`dagcells.tasks`, each a name and the outputs it delivers).
        const rememberedTasks = (notebookModel.getMetadata('dagcells') as { tasks?: unknown } | undefined)?.tasks;
        if (Array.isArray(rememberedTasks)) {
          model.setTasks(rememberedTasks.filter((t): t is TaskAssignment => typeof t === 'object' && t !== null));
        }
        model.onTasks = tasks => {
          const previous = (notebookModel.getMetadata('dagcells') as Record<string, unknown> | undefined) ?? {};
          notebookModel.setMetadata('dagcells', { ...previous, tasks: tasks.map(t => ({ name: t.name, outputs: [...t.outputs] })) });
        };
        const watcher = new NotebookWatcher({ notebook: notebookPanel.content.model!, model, debounce: settings.debounce });
        entry = { model, watcher };
        entries.set(notebookPanel, entry);
        void loadAnalysis().then(module => model.setAnalysis(module));
        const session = notebookPanel.sessionContext;
        session.statusChanged.connect((_, status) => {
          if (status === 'restarting' || status === 'autorestarting') {
            model.kernelReset('The kernel restarted during the run; the run ended with it.');
          } else if (status === 'dead') {
            model.kernelReset('The kernel died during the run; the run ended with it.');
          }
        });
        session.kernelChanged.connect(() => {
          model.kernelReset();
          follow();
        });
        notebookPanel.disposed.connect(() => {
          entries.delete(notebookPanel);
          watcher.dispose();
          model.dispose();
          follow();
        });
      }
      return entry.model;
    };

    const follow = () => {
      const current = tracker.currentWidget;
      if (!current) {
        panel.setModel(null, 'no-notebook');
        return;
      }
      void current.sessionContext.ready.then(() => {
        if (tracker.currentWidget === current) {
          panel.setModel(modelFor(current), 'not-tslab');
        }
      });
      if (current.context.isReady) {
        panel.setModel(modelFor(current), 'not-tslab');
      } else {
        void current.context.ready.then(() => {
          if (tracker.currentWidget === current) {
            panel.setModel(modelFor(current), 'not-tslab');
          }
        });
      }
    };
    tracker.currentChanged.connect(follow);

    // What the kernel holds: the source of each cell as it was when its run was scheduled.
    const scheduled = new WeakMap<object, string>();
    NotebookActions.executionScheduled.connect((_, { cell }) => {
      if (cell.model.type === 'code') {
        scheduled.set(cell.model, cell.model.sharedModel.getSource());
      }
    });
    NotebookActions.executed.connect((_, { notebook, cell, success, error }) => {
      const notebookPanel = tracker.find(p => p.content === notebook);
      const source = scheduled.get(cell.model);
      if (!notebookPanel || source === undefined) {
        return;
      }
      scheduled.delete(cell.model);
      const model = entries.get(notebookPanel)?.model;
      const index = notebook.widgets.indexOf(cell) + 1;
      model?.cellExecuted(source, success, success ? undefined : `cell ${index} failed when it last ran${error?.message ? `: ${error.message}` : '.'}`);
    });

    const currentModel = () => {
      const current = tracker.currentWidget;
      return current ? { notebook: current, model: modelFor(current) } : undefined;
    };
    const contextNode = (): string | undefined => panel.contextNode;
    // What the next runs do with the cache, node by node (set from a node's context menu, kept until changed).
    const behaviours = new Map<string, 'recompute' | 'disable' | 'ignore'>();
    const run = async (outputs?: string[], recompute: string[] = []): Promise<void> => {
      const current = currentModel();
      if (current?.model) {
        const named = (b: string) => [...behaviours].filter(([, v]) => v === b).map(([n]) => n);
        await runSelection(current.model, current.notebook.sessionContext.session?.kernel, outputs, {
          bytes: Math.max(0, settings.cacheMegabytes) * 1024 * 1024,
          recompute: [...new Set([...named('recompute'), ...recompute])],
          disable: named('disable'),
          ignore: named('ignore')
        });
      }
    };

    app.commands.addCommand(CommandIDs.togglePanel, {
      label: 'Toggle Dataflow Panel',
      caption: 'Show or hide the dataflow of the current notebook',
      icon: dataflowIcon,
      execute: () => {
        if (placement.inMainArea) {
          app.shell.activateById('dagcells-main-area');
          return;
        }
        if (!panel.isAttached) {
          app.shell.add(panel, settings.side, { rank: 900 });
        }
        if (panel.isVisible && labShell) {
          if (settings.side === 'right') {
            labShell.collapseRight();
          } else {
            labShell.collapseLeft();
          }
        } else {
          app.shell.activateById(panel.id);
        }
      }
    });
    app.commands.addCommand(CommandIDs.openInMain, {
      label: 'Open Dataflow Panel Beside the Notebook',
      caption: 'Show the dataflow panel in the main area, in a split to the right of the notebook',
      icon: dataflowIcon,
      execute: () => placement.openInMain()
    });
    app.commands.addCommand(CommandIDs.openInSidebar, {
      label: 'Move Dataflow Panel to the Sidebar',
      execute: () => placement.toSidebar()
    });
    app.commands.addCommand(CommandIDs.execute, {
      label: 'Execute Selected Outputs',
      caption: 'Run the outputs selected in the dataflow panel, and what they need, in the kernel',
      isEnabled: () => Boolean(currentModel()?.model),
      execute: args => run(Array.isArray(args.outputs) ? (args.outputs as string[]) : undefined)
    });
    app.commands.addCommand(CommandIDs.interrupt, {
      label: 'Interrupt Dataflow Run',
      execute: async () => {
        const kernel = tracker.currentWidget?.sessionContext.session?.kernel;
        if (kernel) {
          await bridgeFor(kernel).interrupt();
        }
      }
    });
    app.commands.addCommand(CommandIDs.fit, { label: 'Fit Dataflow Graph', execute: () => panel.fitGraph() });
    app.commands.addCommand(CommandIDs.relayout, { label: 'Lay Out Dataflow Graph Again', execute: () => panel.relayout() });
    app.commands.addCommand(CommandIDs.toggleOrientation, {
      label: 'Toggle Dataflow Orientation',
      execute: () => {
        panel.orientation = panel.orientation === 'LR' ? 'TB' : 'LR';
      }
    });
    app.commands.addCommand(CommandIDs.runNode, {
      label: 'Run This Output',
      execute: args => {
        const name = (args.node as string | undefined) ?? contextNode();
        return name ? run([name]) : undefined;
      }
    });
    app.commands.addCommand(CommandIDs.runDownstream, {
      label: 'Run Everything Downstream',
      execute: args => {
        const name = (args.node as string | undefined) ?? contextNode();
        const graph = currentModel()?.model?.view.graph;
        if (!name || !graph) {
          return;
        }
        // The nodes below this one that nothing else below it consumes: computing them computes all.
        const below = new Set(currentModel()?.model?.analysis?.downstreamOf(graph, [name]) ?? [name]);
        const leaves = [...below].filter(n => !(graph.nodes.get(n)?.dependents ?? []).some(d => below.has(d)));
        return run(leaves);
      }
    });
    app.commands.addCommand(CommandIDs.clearCache, {
      label: 'Clear Dataflow Cache',
      caption: 'Drop the values the kernel keeps from earlier dataflow runs',
      execute: async () => {
        const kernel = tracker.currentWidget?.sessionContext.session?.kernel;
        if (kernel) {
          await bridgeFor(kernel).clearCache();
        }
      }
    });
    for (const [id, behaviour, label] of [
      [CommandIDs.cacheRecompute, 'recompute', 'Cache: Always Recompute This Node'],
      [CommandIDs.cacheDisable, 'disable', 'Cache: Disable for This Node'],
      [CommandIDs.cacheIgnore, 'ignore', 'Cache: Ignore This Node']
    ] as const) {
      app.commands.addCommand(id, {
        label,
        isToggled: args => behaviours.get((args.node as string | undefined) ?? contextNode() ?? '') === behaviour,
        execute: args => {
          const name = (args.node as string | undefined) ?? contextNode();
          if (name) {
            if (behaviours.get(name) === behaviour) {
              behaviours.delete(name);
            } else {
              behaviours.set(name, behaviour);
            }
          }
        }
      });
    }
    app.commands.addCommand(CommandIDs.runStale, {
      label: 'Run Stale Nodes',
      caption: "Compute again every stale node of the selection's closure, and nothing else",
      isEnabled: () => Boolean(currentModel()?.model),
      execute: () => {
        const model = currentModel()?.model;
        if (!model) {
          return;
        }
        const view = model.view;
        const closure = new Set(model.analysis?.upstreamOf(view.graph, view.plan.outputs) ?? []);
        const stale = [...closure].filter(n => view.states.get(n) === 'stale');
        // The rest of the closure comes from the cache (its code and inputs are unchanged).
        return run(undefined, stale);
      }
    });
    app.commands.addCommand(CommandIDs.jumpToCell, {
      label: 'Show Cell',
      execute: args => {
        const name = (args.node as string | undefined) ?? contextNode();
        if (name) {
          panel.showNodeCell(name);
        }
      }
    });
    for (const command of [
      CommandIDs.togglePanel,
      CommandIDs.openInMain,
      CommandIDs.openInSidebar,
      CommandIDs.execute,
      CommandIDs.interrupt,
      CommandIDs.fit,
      CommandIDs.relayout,
      CommandIDs.toggleOrientation,
      CommandIDs.clearCache,
      CommandIDs.runStale
    ]) {
      palette?.addItem({ command, category: 'Dataflow' });
    }

    let appliedOrientation: Settings['orientation'] | undefined;
    const apply = (loaded: ISettingRegistry.ISettings) => {
      const composite = loaded.composite as Partial<Settings>;
      Object.assign(settings, DEFAULTS, composite);
      engine.workerThreshold = settings.workerThreshold;
      // Only a changed setting overrides the orientation the user picked with the toggle (saving the split changes settings too).
      if (settings.orientation !== appliedOrientation) {
        appliedOrientation = settings.orientation;
        panel.orientation = settings.orientation;
      }
      if (Math.abs(panel.splitShare - settings.split) > 0.005) {
        panel.splitShare = settings.split;
      }
      for (const { watcher } of entries.values()) {
        watcher.debounce = settings.debounce;
      }
      if (panel.isAttached && labShell && !placement.inMainArea) {
        const area = labShell.widgets(settings.side);
        if (![...area].includes(panel)) {
          app.shell.add(panel, settings.side, { rank: 900 });
        }
      }
    };
    const ready = settingRegistry
      ? Promise.all([settingRegistry.load(PLUGIN_ID), app.restored]).then(([loaded]) => {
          loadedSettings = loaded;
          apply(loaded);
          loaded.changed.connect(apply);
        })
      : app.restored;
    void ready
      .catch(reason => console.warn('dagcells: settings could not be loaded; using defaults.', reason))
      .then(() => {
        if (!panel.isAttached) {
          app.shell.add(panel, settings.side, { rank: 900 });
        }
        restorer?.add(panel, panel.id);
        panel.setActiveCell(tracker.activeCell?.model.id);
        follow();
      });
  }
};

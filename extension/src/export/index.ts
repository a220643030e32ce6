/**
 * The export plugin: `dagcells:export-module` writes the current notebook's
 * dataflow to a module file (palette, notebook toolbar, File menu, the panel's
 * export button); `dagcells:export-airflow` writes it with an Airflow DAG
 * file for the panel's tasks; `dagcells:import-module` brings a module's declarations back
 * into a notebook. Toolbar and menu entries are declared in schema/export.json.
 */
import { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { IDefaultFileBrowser } from '@jupyterlab/filebrowser';
import { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { IStateDB } from '@jupyterlab/statedb';
import { downloadIcon, fileUploadIcon } from '@jupyterlab/ui-components';

import { exportAirflow } from './export-airflow';
import { exportModule } from './export-module';
import { ExportHistory } from './history';
import { askModulePath, importModule } from './import-module';
import { DEFAULT_PATTERN } from './target';

export namespace CommandIDs {
  export const exportModule = 'dagcells:export-module';
  export const importModule = 'dagcells:import-module';
  export const exportAirflow = 'dagcells:export-airflow';
}

const PLUGIN_ID = 'jupyterlab-dagcells:export';

const plugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description: "Exports a notebook's dataflow to a TypeScript module, and imports a module back into a notebook.",
  autoStart: true,
  requires: [INotebookTracker],
  optional: [ICommandPalette, ISettingRegistry, IStateDB, IDefaultFileBrowser],
  activate: (
    app: JupyterFrontEnd,
    tracker: INotebookTracker,
    palette: ICommandPalette | null,
    settingRegistry: ISettingRegistry | null,
    state: IStateDB | null,
    browser: IDefaultFileBrowser | null
  ) => {
    let pattern = DEFAULT_PATTERN;
    if (settingRegistry) {
      void settingRegistry.load(PLUGIN_ID).then(settings => {
        const read = () => {
          const value = settings.get('target').composite;
          pattern = typeof value === 'string' && value.trim() !== '' ? value : DEFAULT_PATTERN;
        };
        read();
        settings.changed.connect(read);
      });
    }
    const history = new ExportHistory(state);
    const contents = app.serviceManager.contents;

    /** The notebook a command acts on: the one named by `path`, else the current one. */
    const notebookFor = (args: { path?: unknown }): NotebookPanel | null =>
      typeof args.path === 'string' ? (tracker.find(panel => panel.context.path === args.path) ?? null) : tracker.currentWidget;

    app.commands.addCommand(CommandIDs.exportModule, {
      label: 'Export Dataflow to Module',
      caption: "Write the notebook's functions, types and constants to a TypeScript module that runs outside the notebook",
      icon: downloadIcon,
      isEnabled: args => notebookFor(args) !== null,
      execute: async args => {
        const panel = notebookFor(args);
        if (!panel) {
          return { status: 'refused' };
        }
        return exportModule(panel, { contents, commands: app.commands, history, pattern: () => pattern });
      }
    });

    app.commands.addCommand(CommandIDs.exportAirflow, {
      label: 'Export Dataflow to Airflow DAG',
      caption: "Write the module and an Airflow DAG file that runs it, one Airflow task per task drawn in the panel",
      isEnabled: args => notebookFor(args) !== null,
      execute: async args => {
        const panel = notebookFor(args);
        if (!panel) {
          return { status: 'refused' };
        }
        return exportAirflow(panel, { contents, commands: app.commands, history, pattern: () => pattern });
      }
    });

    app.commands.addCommand(CommandIDs.importModule, {
      label: 'Import Module into Notebook',
      caption: "Insert a module file's imports, types, constants and functions into the notebook as cells",
      icon: fileUploadIcon,
      isEnabled: () => tracker.currentWidget !== null,
      execute: async args => {
        const panel = tracker.currentWidget;
        if (!panel) {
          return { status: 'failed', cells: 0 };
        }
        const path = typeof args.module === 'string' ? args.module : await askModulePath(selectedModule(browser));
        return path ? importModule(panel, path, contents) : { status: 'cancelled', cells: 0 };
      }
    });

    palette?.addItem({ command: CommandIDs.exportModule, category: 'Dataflow' });
    palette?.addItem({ command: CommandIDs.exportAirflow, category: 'Dataflow' });
    palette?.addItem({ command: CommandIDs.importModule, category: 'Dataflow' });
  }
};

/** The TypeScript file selected in the file browser, if any: what the user most likely means to import. */
function selectedModule(browser: IDefaultFileBrowser | null): string | undefined {
  if (!browser) {
    return undefined;
  }
  for (const item of browser.selectedItems()) {
    if (item.type === 'file' && /\.(ts|mts|cts)$/.test(item.path)) {
      return item.path;
    }
  }
  return undefined;
}

export default plugin;

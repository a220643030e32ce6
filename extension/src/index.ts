import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { Widget } from '@lumino/widgets';

const plugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-dagcells:plugin',
  description: 'A live dataflow graph of the functions in TypeScript notebooks.',
  autoStart: true,
  optional: [ICommandPalette, ILayoutRestorer],
  activate: (app: JupyterFrontEnd, palette: ICommandPalette | null) => {
    const panel = new Widget();
    panel.id = 'dagcells-panel';
    panel.title.caption = 'Dataflow';
    app.commands.addCommand('dagcells:toggle-panel', {
      label: 'Toggle Dataflow Panel',
      execute: () => {
        if (!panel.isAttached) {
          app.shell.add(panel, 'right');
        }
        app.shell.activateById(panel.id);
      }
    });
    palette?.addItem({ command: 'dagcells:toggle-panel', category: 'Dataflow' });
  }
};

export default plugin;

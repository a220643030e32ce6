/**
 * jupyterlab-dagcells: the dataflow of TypeScript notebooks, live, in a side
 * panel; and the export of a notebook's cells to a module file.
 */
import exportPlugin from './export';
import { panelPlugin } from './plugin';

export default [panelPlugin, exportPlugin];

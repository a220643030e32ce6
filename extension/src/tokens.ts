/** Command ids of the extension: the UI acts only through these. */
export namespace CommandIDs {
  export const togglePanel = 'dagcells:toggle-panel';
  export const execute = 'dagcells:execute';
  export const interrupt = 'dagcells:interrupt';
  export const fit = 'dagcells:fit';
  export const relayout = 'dagcells:relayout';
  export const toggleOrientation = 'dagcells:toggle-orientation';
  export const runNode = 'dagcells:run-node';
  export const runDownstream = 'dagcells:run-downstream';
  export const jumpToCell = 'dagcells:jump-to-cell';
  /** Drops the values the kernel's cache holds. */
  export const clearCache = 'dagcells:clear-cache';
  /** A node's cache behaviour in the next runs (toggles). */
  export const cacheRecompute = 'dagcells:cache-recompute';
  export const cacheDisable = 'dagcells:cache-disable';
  export const cacheIgnore = 'dagcells:cache-ignore';
  /** Computes again the stale nodes of the selection's closure; the rest comes from the cache. */
  export const runStale = 'dagcells:run-stale';
  /** Moves the panel into the main area, in a split to the right of the notebook. */
  export const openInMain = 'dagcells:open-in-main-area';
  /** Moves the panel back into its sidebar. */
  export const openInSidebar = 'dagcells:open-in-sidebar';
  /** Registered by the export plugin. */
  export const exportModule = 'dagcells:export-module';
  /** Writes the module and an Airflow DAG file for the panel's tasks (the export plugin). */
  export const exportAirflow = 'dagcells:export-airflow';
}

/** JupyterLab's own commands the panel uses (a saver's file, opened or shown). */
export namespace LabCommandIDs {
  export const openDocument = 'docmanager:open';
  export const goToPath = 'filebrowser:go-to-path';
}

/** The plugin's id, also the key of its settings. */
export const PLUGIN_ID = 'jupyterlab-dagcells:plugin';

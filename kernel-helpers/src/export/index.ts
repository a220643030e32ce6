/**
 * Notebook to module and back: the pure logic behind the JupyterLab export and
 * import commands and `dagcells export`. No file system here; callers read and
 * write (the extension through the Jupyter contents API, the CLI with `fs`).
 */
export { exportNotebook } from './export-notebook';
export { moduleToCells } from './import-module';
export { readNotebook } from './notebook-file';
export { readHeader, withHeader } from './header';
export type { ModuleHeader } from './header';
export * from './types';
export { hashText } from '../analysis/hash';
export { runDefinitions } from './definitions';
export type { KernelModule, KernelPiece, RunDefinitions } from './definitions';

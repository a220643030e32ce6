/**
 * The shapes of a notebook export: cells in, a module text and an account of
 * what was kept, left out and wrong out. The extension's dialog and the
 * `dagcells export` command both render this account.
 */

/** One cell of a notebook, as the export reads it. */
export interface NotebookCell {
  /** Only code cells are exported; markdown and raw cells are prose. */
  type: 'code' | 'markdown' | 'raw';
  source: string;
  /** The cell's tags (`metadata.tags`); {@link SKIP_TAG} leaves the cell out whole. */
  tags?: readonly string[];
  /** The cell's id, when the notebook has one, so that a UI can point at it. */
  id?: string;
}

/** A cell tagged with this is left out of the export whole. */
export const SKIP_TAG = 'dagcells-skip';

/** Options of {@link exportNotebook}. */
export interface ExportOptions {
  /**
   * The notebook as the module's folder sees it (`hello_world.ipynb`, or
   * `../notebooks/hello_world.ipynb`), written in the generated header.
   */
  notebook: string;
  /**
   * The notebook's folder as seen from the module's folder (`../notebooks`), when
   * they differ. Relative imports (`./helper`) are written against the notebook's
   * folder, where the kernel runs; they are rewritten to work from the module's.
   */
  notebookDir?: string;
}

/** A place in the notebook: the cell (counting every cell from 1, as users do) and the line in it. */
export interface CellPlace {
  cell: number;
  line: number;
  /** The cell's id, when known. */
  cellId?: string;
}

/** Why a statement of a kept cell is not in the module. */
export type LeftOutReason =
  /** calls, logging, bare expressions, loops, awaits: the notebook exploring, not defining */
  | 'exploration'
  /** a later cell defines the same name again, and the later definition wins */
  | 'replaced'
  /** an import that nothing in the module uses (only exploration did) */
  | 'unused-import'
  /** the same import again */
  | 'duplicate-import'
  /** `export ... from`, `export =`: a module's statement, not a notebook's */
  | 'export-statement'
  /** an import from a tslab module cell (`/** @module NAME *\/`), whose definitions the module holds itself */
  | 'module-cell-import';

/** A statement, or part of one, that the module leaves out. */
export interface LeftOut extends CellPlace {
  reason: LeftOutReason;
  /** The statement's first line, shortened. */
  text: string;
  /** The names left out with it, if any. */
  names: string[];
}

/** What kind of problem an export has. */
export type ExportProblemCode =
  /** a cell does not parse: nothing is written */
  | 'SYNTAX'
  /** a cell defines a function twice, which tslab rejects: nothing is written */
  | 'DUPLICATE_IN_CELL'
  /** kept code uses a value that only left-out code computes or changes */
  | 'EXPLORATION_VALUE'
  /** kept code reads, while the module loads, a value the module defines only further down */
  | 'USED_BEFORE_DEFINED'
  /** an import from a tslab module cell that the module cannot turn into its own definitions */
  | 'MODULE_CELL_IMPORT';

/** A reason the module would not work, or would not give the notebook's results. */
export interface ExportProblem extends CellPlace {
  code: ExportProblemCode;
  /**
   * True when no module is produced (the notebook itself cannot run that cell);
   * otherwise a module is produced and known to be wrong, and a UI must say so.
   */
  blocking: boolean;
  /** The definition concerned (a function, a constant), if any. */
  name?: string;
  /** Names the culprit, the place and the fix. */
  message: string;
}

/** A name the notebook defines more than once: where the kept, later definition is, and the earlier ones. */
export interface Redefinition {
  name: string;
  kept: CellPlace;
  replaced: CellPlace[];
}

/** The outcome of {@link exportNotebook}. */
export interface NotebookExport {
  /** The module's text; absent when a blocking problem prevents the export. */
  text?: string;
  /** Exported functions (the dataflow's nodes), in module order. */
  functions: string[];
  /** `_` helper functions, kept but not exported. */
  helpers: string[];
  /** Type aliases and interfaces (exported unless `_`). */
  types: string[];
  /** Constants, classes and enums: kept, not exported (unless a tslab module cell exported them). */
  values: string[];
  /** Module specifiers the module imports, in order. */
  imports: string[];
  /** Code cells tagged `dagcells-skip` (1-based notebook positions). */
  skippedCells: number[];
  leftOut: LeftOut[];
  redefinitions: Redefinition[];
  /** Sorted by place. */
  problems: ExportProblem[];
}

/** One cell made from a module file by {@link moduleToCells}. */
export interface ModuleCell {
  /** What the cell holds. */
  role: 'imports' | 'declarations' | 'function';
  source: string;
  /** For a function cell, the function's name. */
  name?: string;
}

/** The outcome of {@link moduleToCells}. */
export interface ModuleImport {
  cells: ModuleCell[];
  /** Top-level statements that are not declarations (calls, `export * from`, ...), left out. */
  leftOut: { line: number; text: string; reason: 'exploration' | 'export-statement' }[];
  /** Syntax errors of the module: nothing is imported while there are any. */
  problems: { line: number; message: string }[];
}

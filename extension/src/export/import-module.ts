/**
 * The import command's work: a module file's declarations inserted into the
 * active notebook as cells, below the active cell. Nothing runs: the user runs
 * the cells when ready.
 */
import { InputDialog, Notification, showErrorMessage } from '@jupyterlab/apputils';
import type { NotebookPanel } from '@jupyterlab/notebook';
import type { Contents } from '@jupyterlab/services';

import { ContentsError, Existing, readExisting } from './contents';

/** How an import ended; the command resolves to it. */
export interface ImportOutcome {
  status: 'inserted' | 'cancelled' | 'failed';
  path?: string;
  /** How many cells were inserted. */
  cells: number;
}

const TITLE = 'Import Module into Notebook';

/** Asks for a module path, proposing `suggested` (the file browser's selection). */
export async function askModulePath(suggested: string | undefined): Promise<string | undefined> {
  const answer = await InputDialog.getText({
    title: TITLE,
    label: 'Module file (from the server root):',
    text: suggested ?? '',
    placeholder: 'pipelines/orders.ts',
    okLabel: 'Import'
  });
  const path = answer.value?.trim();
  return answer.button.accept && path ? path.replace(/^\/+/, '') : undefined;
}

/** Inserts the module's declarations into the notebook as cells. */
export async function importModule(panel: NotebookPanel, path: string, contents: Contents.IManager): Promise<ImportOutcome> {
  const { moduleToCells } = await import('dagcells/export');
  let found: Existing;
  try {
    found = await readExisting(contents, path);
  } catch (error) {
    await showErrorMessage(TITLE, error instanceof ContentsError ? error.message : String(error));
    return { status: 'failed', path, cells: 0 };
  }
  if (found.kind !== 'file') {
    await showErrorMessage(TITLE, `${path}: no such file${found.kind === 'no-folder' ? ` (there is no folder ${found.folder})` : ''}.`);
    return { status: 'failed', path, cells: 0 };
  }
  const { cells, leftOut, problems } = moduleToCells(found.text);
  if (problems.length > 0) {
    const list = problems.map(p => `line ${p.line}: ${p.message}`).join('; ');
    await showErrorMessage(TITLE, `${path} does not parse, so nothing was imported: ${list}`);
    return { status: 'failed', path, cells: 0 };
  }
  const notebook = panel.content;
  const shared = notebook.model?.sharedModel;
  if (!shared) {
    return { status: 'failed', path, cells: 0 };
  }
  const at = Math.min(notebook.activeCellIndex + 1, shared.cells.length);
  shared.transact(() => {
    shared.insertCells(
      at,
      cells.map(cell => ({ cell_type: 'code', source: cell.source, metadata: {} }))
    );
  });
  notebook.activeCellIndex = at;
  const skipped = leftOut.length > 0 ? ` Left out: ${leftOut.map(l => `line ${l.line} (${l.text})`).join(', ')}.` : '';
  Notification.success(`Imported ${cells.length} cells from ${path}.${skipped}`, { autoClose: 5000 });
  return { status: 'inserted', path, cells: cells.length };
}

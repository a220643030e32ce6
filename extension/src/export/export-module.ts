/**
 * The export command's work: read the notebook's cells (never changing its
 * model), show what the module will hold, ask where, ask again before
 * replacing a file that is not this notebook's untouched last export, and write
 * the module whole through the contents API.
 */
import { Dialog, Notification, showDialog, showErrorMessage } from '@jupyterlab/apputils';
import type { Contents } from '@jupyterlab/services';
import type { NotebookPanel } from '@jupyterlab/notebook';
import type { CommandRegistry } from '@lumino/commands';
import type { GraphProblem } from 'dagcells/notebook';
import type { NotebookCell, NotebookExport } from 'dagcells/export';

import { ContentsError, readExisting, writeText } from './contents';
import { ExportBody } from './dialog';
import type { ExportHistory } from './history';
import { decideWrite } from './safety';
import type { ExportRecord } from './safety';
import { isBlocked, summarize } from './summary';
import { normalizeTarget, notebookFromTarget, targetFor, targetProblem } from './target';

/** How an export ended; the command resolves to it. */
export interface ExportOutcome {
  status: 'written' | 'unchanged' | 'cancelled' | 'refused' | 'failed';
  /** The module path, once chosen. */
  path?: string;
}

export interface ExportContext {
  contents: Contents.IManager;
  commands: CommandRegistry;
  history: ExportHistory;
  /** The module path pattern from the settings. */
  pattern: () => string;
}

const TITLE = 'Export Dataflow to Module';

/** The notebook's cells as the export reads them: a copy, the model is never touched. */
export function cellsOf(panel: NotebookPanel): NotebookCell[] {
  const cells: NotebookCell[] = [];
  const model = panel.content.model;
  if (!model) {
    return cells;
  }
  for (const cell of model.cells) {
    const tags = cell.getMetadata('tags');
    cells.push({
      type: cell.type === 'code' || cell.type === 'markdown' ? cell.type : 'raw',
      source: cell.sharedModel.getSource(),
      id: cell.id,
      ...(Array.isArray(tags) ? { tags: tags.filter((t): t is string => typeof t === 'string') } : {})
    });
  }
  return cells;
}

/**
 * The dataflow's own problems (cycles, type mismatches, names defined twice,
 * invalid functions), from the same graph the panel draws, built over the
 * cells the module keeps.
 */
async function dataflowProblems(cells: NotebookCell[]): Promise<readonly GraphProblem[]> {
  const { NotebookGraph } = await import('dagcells/notebook');
  const graph = new NotebookGraph();
  const ids = cells.map((cell, i) => cell.id ?? `cell-${i}`);
  graph.setOrder(ids);
  cells.forEach((cell, i) => {
    if (cell.type === 'code' && !(cell.tags ?? []).includes('dagcells-skip')) {
      graph.setCell(ids[i], cell.source);
    }
  });
  return graph.snapshot().problems;
}

/** Exports a notebook's dataflow to a module file, asking the user where and before replacing anything. */
export async function exportModule(panel: NotebookPanel, context: ExportContext): Promise<ExportOutcome> {
  // The compiler behind the export is large: it loads when first needed, not with JupyterLab.
  const { exportNotebook } = await import('dagcells/export');
  const notebookPath = panel.context.path;
  const cells = cellsOf(panel);
  const run = (target: string): NotebookExport => exportNotebook(cells, notebookFromTarget(notebookPath, target));
  const record = await context.history.get(notebookPath);
  const graphProblems = await dataflowProblems(cells);

  let target = record?.target ?? targetFor(notebookPath, context.pattern());
  let result = run(target);
  let pathProblem: string | undefined;
  for (;;) {
    const blocked = isBlocked(result);
    const body = new ExportBody({ target, sections: summarize(result, graphProblems), pathProblem, blocked });
    // With problems listed, writing the module anyway is the user's deliberate choice.
    const accept =
      result.problems.length > 0 || graphProblems.length > 0 ? Dialog.warnButton({ label: 'Export Anyway' }) : Dialog.okButton({ label: 'Export' });
    const answer = await showDialog({
      title: blocked ? 'The notebook cannot be exported' : TITLE,
      body,
      buttons: blocked ? [Dialog.cancelButton({ label: 'Close' })] : [Dialog.cancelButton(), accept],
      focusNodeSelector: 'input'
    });
    if (!answer.button.accept || blocked) {
      return { status: blocked ? 'refused' : 'cancelled' };
    }
    pathProblem = targetProblem(answer.value ?? '');
    const chosen = pathProblem ? (answer.value ?? '') : normalizeTarget(answer.value ?? '');
    if (!pathProblem) {
      target = chosen;
      result = run(target);
      break;
    }
    target = chosen;
  }

  try {
    return await writeModule(context, notebookPath, target, result.text as string, record);
  } catch (error) {
    await showErrorMessage(TITLE, error instanceof ContentsError ? error.message : String(error));
    return { status: 'failed', path: target };
  }
}

/**
 * Writes a notebook's module whole, asking first when the file is not this
 * notebook's untouched last export, and tells the user. Throws a
 * ContentsError when the server cannot read or write it.
 */
export async function writeModule(
  context: ExportContext,
  notebookPath: string,
  target: string,
  text: string,
  record: ExportRecord | undefined,
  quiet = false
): Promise<ExportOutcome> {
  const { readHeader, hashText } = await import('dagcells/export');
  const found = await readExisting(context.contents, target);
  if (found.kind === 'no-folder') {
    throw new ContentsError(`Could not write ${target}: there is no folder ${found.folder} (${found.reason})`);
  }
  const existing = found.kind === 'file' ? found.text : undefined;
  const decision = decideWrite({
    target,
    text,
    existing,
    record,
    generatedFrom: existing !== undefined ? readHeader(existing)?.notebook : undefined,
    hash: hashText
  });
  if (decision.action === 'ask') {
    const answer = await showDialog({
      title: decision.reason === 'edited' ? 'The module changed on disk' : 'The file exists',
      body: decision.message,
      buttons: [Dialog.cancelButton(), Dialog.warnButton({ label: 'Overwrite' })],
      defaultButton: 0 // Enter keeps the file: replacing someone's edits takes a deliberate click
    });
    if (!answer.button.accept) {
      return { status: 'cancelled', path: target };
    }
  }
  if (decision.action !== 'unchanged') {
    await writeText(context.contents, target, text);
  }
  await context.history.set(notebookPath, { target, hash: hashText(text) });
  if (!quiet) {
    const done = decision.action === 'unchanged' ? `${target} is up to date.` : `Exported the dataflow to ${target}.`;
    Notification.success(done, {
      autoClose: 5000,
      actions: [{ label: 'Open', callback: () => void context.commands.execute('docmanager:open', { path: target }) }]
    });
  }
  return { status: decision.action === 'unchanged' ? 'unchanged' : 'written', path: target };
}

/**
 * Export to Airflow: the notebook's module (as Export writes it, with the same
 * safety) and an Airflow DAG file for the tasks drawn in the panel, both beside
 * the notebook. The DAG is made by the library from the module's graph and a
 * recipe, as `dagcells airflow` makes it, so `dagcells airflow --check` on the
 * file says it is up to date. The tasks and config come from the notebook's
 * metadata, where the panel keeps them. The kernel, if one runs, is asked
 * where dagcells is installed (a fixed piece of code with the folder as a JSON
 * string): that is the command workers run.
 */
import { Dialog, Notification, showDialog, showErrorMessage } from '@jupyterlab/apputils';
import { PathExt } from '@jupyterlab/coreutils';
import type { NotebookPanel } from '@jupyterlab/notebook';
import type { Kernel, KernelMessage } from '@jupyterlab/services';
import { Widget } from '@lumino/widgets';
import type { AirflowDag, DagPath, DagRecipe, TaskAssignment } from 'dagcells/notebook';

import { ContentsError, readExisting, writeText } from './contents';
import { cellsOf, ExportContext, writeModule } from './export-module';
import { isBlocked } from './summary';
import { notebookFromTarget, targetFor } from './target';

const TITLE = 'Export Airflow DAG';

export interface AirflowExportOutcome {
  status: 'written' | 'unchanged' | 'cancelled' | 'refused' | 'failed';
  /** The DAG file, once chosen. */
  path?: string;
  /** The module written with it. */
  module?: string;
}

/** Where the kernel runs and how workers run dagcells for a folder, as the kernel sees it. */
interface KernelPlace {
  /** The notebook's folder, absolute (the kernel's working folder). */
  cwd: string;
  command: (string | DagPath)[];
}

/** What the dialog asks. */
interface DagChoice {
  dagId: string;
  file: string;
  command: string;
  artifacts: string;
}

export async function exportAirflow(panel: NotebookPanel, context: ExportContext): Promise<AirflowExportOutcome> {
  const { exportNotebook } = await import('dagcells/export');
  const library = await import('dagcells/notebook');
  const notebookPath = panel.context.path;
  const folder = PathExt.dirname(notebookPath);
  const stem = PathExt.basename(notebookPath, PathExt.extname(notebookPath));
  const cells = cellsOf(panel);
  const record = await context.history.get(notebookPath);
  const moduleTarget = record?.target ?? targetFor(notebookPath, context.pattern());
  const moduleExport = exportNotebook(cells, notebookFromTarget(notebookPath, moduleTarget));
  const metadata = (panel.content.model?.getMetadata('dagcells') ?? {}) as { tasks?: unknown; config?: unknown };
  const tasks = tasksOf(metadata.tasks);
  const config = configOf(metadata.config);

  // What stops any DAG: a module that cannot be written. (A dataflow a run would stop on, under the
  // config chosen, is among the problems of the DAG itself: see moduleDag.)
  const blocking: string[] = [];
  if (isBlocked(moduleExport) || moduleExport.text === undefined) {
    blocking.push(...moduleExport.problems.map(p => `cell ${p.cell}, line ${p.line}: ${p.message}`));
  }

  const kernel = panel.sessionContext.session?.kernel ?? null;
  const place = await kernelPlace(kernel, '.');
  let choice: DagChoice = {
    dagId: stem.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 250) || 'dataflow',
    file: PathExt.join(folder, `${stem}_dag.py`),
    command: place ? wordsOf(place.command) : 'npx --no-install dagcells',
    artifacts: 'dagcells-artifacts'
  };
  const defaultCommand = choice.command;

  /** The DAG for a choice, or every problem with it. */
  const attempt = async (chosen: DagChoice): Promise<{ dag?: AirflowDag; recipe?: DagRecipe; problems: string[] }> => {
    if (moduleExport.text === undefined || blocking.length > 0) {
      return { problems: blocking };
    }
    const dagFolder = PathExt.dirname(PathExt.normalize(chosen.file.trim().replace(/^\/+/, '')));
    // How workers run dagcells depends on where the DAG file is: asked again for another folder.
    const here = dagFolder === folder || !place ? place : await kernelPlace(kernel, PathExt.relative(folder, dagFolder) || '.');
    const made = makeRecipe(chosen, { place: here, root: place ? serverRoot(place.cwd, folder) : undefined, defaultCommand, moduleTarget, tasks, config, library });
    if (!made.recipe) {
      return { problems: [made.problem as string] };
    }
    const dag = library.moduleDag(moduleExport.text, made.recipe);
    return { dag, recipe: made.recipe, problems: dag.problems.map(p => capitalized(p.message)) };
  };

  let shown = await attempt(choice);
  for (;;) {
    const blocked = blocking.length > 0;
    const body = new AirflowBody(choice, shown.dag, tasks, shown.problems, moduleTarget, place === undefined);
    const answer = await showDialog({
      title: blocked ? 'The notebook cannot be exported to Airflow' : TITLE,
      body,
      buttons: blocked ? [Dialog.cancelButton({ label: 'Close' })] : [Dialog.cancelButton(), Dialog.okButton({ label: 'Export' })],
      focusNodeSelector: 'input'
    });
    if (!answer.button.accept || blocked) {
      return { status: blocked ? 'refused' : 'cancelled' };
    }
    choice = answer.value as DagChoice;
    shown = await attempt(choice);
    if (shown.problems.length === 0 && shown.dag?.text !== undefined) {
      break;
    }
  }
  const { dag, recipe } = shown;

  const file = choice.file;
  try {
    const moduleOutcome = await writeModule(context, notebookPath, moduleTarget, moduleExport.text as string, record, true);
    if (moduleOutcome.status === 'cancelled') {
      return { status: 'cancelled', path: file, module: moduleTarget };
    }
    const text = dag?.text as string;
    const found = await readExisting(context.contents, file);
    if (found.kind === 'no-folder') {
      throw new ContentsError(`Could not write ${file}: there is no folder ${found.folder} (${found.reason})`);
    }
    const existing = found.kind === 'file' ? found.text : undefined;
    if (existing !== undefined && existing !== text) {
      const header = library.readDagHeader(existing);
      const question = !header
        ? `${file} exists and was not written by dagcells. Overwrite it with the DAG?`
        : !header.intact
          ? `${file} was edited since dagcells wrote it. Overwrite the edits with the new DAG?`
          : undefined;
      if (question) {
        const answer = await showDialog({
          title: 'The file exists',
          body: question,
          buttons: [Dialog.cancelButton(), Dialog.warnButton({ label: 'Overwrite' })],
          defaultButton: 0
        });
        if (!answer.button.accept) {
          return { status: 'cancelled', path: file, module: moduleTarget };
        }
      }
    }
    if (existing !== text) {
      await writeText(context.contents, file, text);
    }
    const taskCount = dag?.tasks.length ?? 0;
    Notification.success(
      existing === text
        ? `${file} is up to date with ${moduleTarget}.`
        : `Wrote the Airflow DAG ${recipe?.dagId} (${taskCount} task${taskCount === 1 ? '' : 's'}) to ${file}, with the module ${moduleTarget}.`,
      {
        autoClose: 6000,
        actions: [{ label: 'Open', callback: () => void context.commands.execute('docmanager:open', { path: file }) }]
      }
    );
    return { status: existing === text ? 'unchanged' : 'written', path: file, module: moduleTarget };
  } catch (error) {
    await showErrorMessage(TITLE, error instanceof ContentsError ? error.message : String(error));
    return { status: 'failed', path: file, module: moduleTarget };
  }
}

/** The recipe for what the user chose, or what is wrong with the choice. */
function makeRecipe(
  choice: DagChoice,
  given: {
    place: KernelPlace | undefined;
    /** The server's root as an absolute path, when a kernel told it. */
    root: string | undefined;
    defaultCommand: string;
    moduleTarget: string;
    tasks: TaskAssignment[];
    config: Record<string, unknown> | undefined;
    library: typeof import('dagcells/notebook');
  }
): { recipe?: DagRecipe; problem?: string } {
  const file = PathExt.normalize(choice.file.trim().replace(/^\/+/, ''));
  if (!file.endsWith('.py') || file === '..' || file.startsWith('../')) {
    return { problem: `The DAG file ${JSON.stringify(choice.file)} must be a .py file inside the folder the server serves.` };
  }
  const dagFolder = PathExt.dirname(file);
  const source = PathExt.relative(dagFolder, given.moduleTarget);
  // Paths workers see: relative to the DAG file when inside its folder, else absolute (which needs the kernel's folder).
  const root = given.root;
  const pathFrom = (serverPath: string): DagPath | string => {
    const rel = PathExt.relative(dagFolder, serverPath);
    if (rel !== '..' && !rel.startsWith('../')) {
      return { from: 'dag-folder', path: rel || '.' };
    }
    return root !== undefined
      ? { from: 'absolute', path: PathExt.join(root, serverPath).replace(/^\/?/, '/') }
      : `${serverPath} is outside the DAG file's folder, and without a running kernel its absolute path is unknown: start the kernel, or keep it beside the DAG file.`;
  };
  const module = pathFrom(given.moduleTarget);
  if (typeof module === 'string') {
    return { problem: `The module ${module}` };
  }
  const artifactsText = choice.artifacts.trim();
  if (artifactsText === '') {
    return { problem: 'Give the artifacts folder: where tasks hand values over (relative to the DAG file, or absolute).' };
  }
  const artifacts: DagPath | string = artifactsText.startsWith('/')
    ? { from: 'absolute', path: PathExt.normalize(artifactsText).replace(/^\/?/, '/') }
    : pathFrom(PathExt.join(dagFolder, artifactsText));
  if (typeof artifacts === 'string') {
    return { problem: `The artifacts folder ${artifacts}` };
  }
  const words = choice.command.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) {
    return { problem: 'Give the command workers run dagcells with, e.g. node /opt/dagcells/dist/cli/bin.js.' };
  }
  // The kernel's answer is kept as paths (relative to the DAG file where it can be); typed words are taken as they are.
  const command = given.place && choice.command === given.defaultCommand ? given.place.command : words;
  if (!given.library.AIRFLOW_ID.test(choice.dagId)) {
    return { problem: `The DAG id ${JSON.stringify(choice.dagId)} is not one Airflow accepts: use letters, digits, _, . and - (at most 250).` };
  }
  return {
    recipe: given.library.makeRecipe({
      source,
      dagId: choice.dagId,
      ...(given.tasks.length > 0 ? { tasks: given.tasks } : {}),
      ...(given.config !== undefined ? { config: given.config } : {}),
      module,
      command,
      artifacts
    })
  };
}

/** The server's root as an absolute path, from the kernel's folder (the notebook's, `folder` from the root). */
function serverRoot(cwd: string, folder: string): string | undefined {
  const base = cwd.replace(/\/+$/, '');
  if (folder === '' || folder === '.') {
    return base;
  }
  return base.endsWith(`/${folder}`) ? base.slice(0, base.length - folder.length - 1) || '/' : undefined;
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * Asks the kernel, if one runs, for its folder and how workers would run
 * dagcells for the DAG's folder. The code is fixed; the folder goes in as a
 * JSON string. No kernel, or no dagcells in it: undefined.
 */
async function kernelPlace(kernel: Kernel.IKernelConnection | null, dagFolder: string): Promise<KernelPlace | undefined> {
  if (!kernel) {
    return undefined;
  }
  const marker = 'dagcells-kernel-place ';
  const code = [
    '{',
    '  const dagcellsLibrary = require("dagcells");',
    '  const dagcellsPath = require("path");',
    `  const dagcellsFolder = dagcellsPath.resolve(${JSON.stringify(dagFolder)});`,
    `  console.log(${JSON.stringify(marker)} + JSON.stringify({ cwd: process.cwd(), command: dagcellsLibrary.airflowWorkerCommand(dagcellsFolder) }));`,
    '}'
  ].join('\n');
  let out = '';
  try {
    const future = kernel.requestExecute({ code, silent: false, store_history: false, stop_on_error: false });
    future.onIOPub = (message: KernelMessage.IIOPubMessage) => {
      if (message.header.msg_type === 'stream') {
        out += (message as KernelMessage.IStreamMsg).content.text;
      }
    };
    await Promise.race([future.done, new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 15000))]);
  } catch {
    return undefined;
  }
  const line = out.split('\n').find(l => l.startsWith(marker));
  if (!line) {
    return undefined;
  }
  try {
    const place = JSON.parse(line.slice(marker.length)) as KernelPlace;
    return typeof place.cwd === 'string' && Array.isArray(place.command) ? { cwd: place.cwd, command: place.command } : undefined;
  } catch {
    return undefined;
  }
}

/** A command as the dialog shows it: words, paths as written in the file. */
function wordsOf(command: (string | DagPath)[]): string {
  return command.map(w => (typeof w === 'string' ? w : w.path)).join(' ');
}

/** The tasks kept in the notebook's metadata, each a name and its outputs. */
function tasksOf(value: unknown): TaskAssignment[] {
  if (!Array.isArray(value)) {
    return [];
  }
  return value
    .filter((t): t is { name: string; outputs: unknown[] } => typeof t === 'object' && t !== null && typeof t.name === 'string' && Array.isArray(t.outputs))
    .map(t => ({ name: t.name, outputs: t.outputs.filter((o): o is string => typeof o === 'string') }));
}

/** The config fields kept in the metadata, as the panel reads them (JSON, else the text); none: undefined. */
function configOf(value: unknown): Record<string, unknown> | undefined {
  if (typeof value !== 'object' || value === null) {
    return undefined;
  }
  const config: Record<string, unknown> = {};
  for (const [key, text] of Object.entries(value as Record<string, unknown>)) {
    if (typeof text !== 'string' || text === '') {
      continue;
    }
    try {
      config[key] = JSON.parse(text);
    } catch {
      config[key] = text;
    }
  }
  return Object.keys(config).length > 0 ? config : undefined;
}

/** The dialog: the DAG's id and file, how workers run dagcells, the artifacts folder, the tasks, the problems. */
class AirflowBody extends Widget implements Dialog.IBodyWidget<DagChoice> {
  private readonly fields = new Map<keyof DagChoice, HTMLInputElement>();

  constructor(choice: DagChoice, dag: AirflowDag | undefined, tasks: TaskAssignment[], problems: string[], moduleTarget: string, noKernel: boolean) {
    super();
    this.addClass('jp-DagcellsExport-body');
    this.node.dataset.dagcellsDialog = 'export-airflow';
    const field = (key: keyof DagChoice, label: string, title: string) => {
      const wrap = document.createElement('label');
      wrap.className = 'jp-DagcellsExport-path';
      wrap.textContent = label;
      const input = document.createElement('input');
      input.className = 'jp-mod-styled';
      input.value = choice[key];
      input.spellcheck = false;
      input.title = title;
      input.dataset.dagcellsAirflow = key;
      wrap.append(input);
      this.node.append(wrap);
      this.fields.set(key, input);
    };
    field('dagId', 'DAG id', 'The id of the DAG in Airflow: letters, digits, _, . and -');
    field('file', 'DAG file', 'Where the DAG file goes (a .py file, from the server root)');
    field('command', 'Workers run dagcells with', 'The command each task runs; a path relative to the DAG file stays relative');
    field('artifacts', 'Artifacts folder', 'Where tasks hand values over, relative to the DAG file or absolute: storage every worker shares');
    const note = document.createElement('p');
    note.className = 'jp-DagcellsExport-note';
    note.textContent =
      `The module ${moduleTarget} is written too (as Export does): the DAG's tasks run it.` +
      (noKernel ? ' No kernel answered, so where dagcells is installed is not known: say how workers run it.' : '');
    this.node.append(note);
    if (problems.length > 0) {
      this.node.append(section('problems', 'Problems', problems, true));
    }
    if (dag && dag.problems.length === 0) {
      const lines = dag.tasks.map(t => `${t.id}: ${t.outputs.join(', ')}${t.reads.length ? ` (after ${t.reads.map(r => r.task).join(', ')})` : ''}`);
      this.node.append(section('tasks', tasks.length > 0 ? 'Tasks' : 'Tasks (none drawn: one task for everything)', lines, false));
      if (dag.params.length > 0) {
        this.node.append(section('params', 'Params', dag.params.map(p => `${p.name} (${p.kind}${p.hasValue ? `, default ${JSON.stringify(p.value)}` : ', required'})`), false));
      }
      if (dag.undelivered.length > 0) {
        this.node.append(section('undelivered', 'Delivered by no task', dag.undelivered, false));
      }
    }
  }

  getValue(): DagChoice {
    const value = (key: keyof DagChoice) => this.fields.get(key)?.value ?? '';
    return { dagId: value('dagId').trim(), file: value('file').trim(), command: value('command'), artifacts: value('artifacts') };
  }
}

function section(id: string, title: string, items: string[], problem: boolean): HTMLElement {
  const node = document.createElement('section');
  node.className = 'jp-DagcellsExport-section';
  node.classList.toggle('jp-mod-problem', problem);
  node.dataset.dagcellsExportSection = id;
  const heading = document.createElement('h3');
  heading.textContent = `${title} (${items.length})`;
  const list = document.createElement('ul');
  for (const item of items) {
    const entry = document.createElement('li');
    entry.textContent = item;
    list.append(entry);
  }
  node.append(heading, list);
  return node;
}

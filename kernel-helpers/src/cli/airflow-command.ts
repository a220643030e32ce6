/**
 * `dagcells airflow MODULE.ts --dag-id ID [--task NAME=OUT1,OUT2]...`: an
 * Airflow DAG file for the module, and `dagcells airflow --check FILE.py`,
 * which says whether a generated file is still what its module gives. The
 * file is written whole or not at all, never over a file dagcells did not
 * write or that was edited since (unless --force), and not at all when any
 * problem is found: every problem is listed in one paragraph.
 */
import { accessSync, constants, existsSync, readFileSync, statSync } from 'fs';
import { basename, dirname, extname, isAbsolute, join, relative, resolve, sep } from 'path';

import { dagFromRecipe, makeRecipe, readDagHeader } from '../airflow';
import type { AirflowDag, DagPath, DagRecipe, TaskAssignment } from '../airflow';
import { Driver } from '../driver';
import { configArgument, jsonObjectArgument, parseFlags } from './args';
import type { Output } from './commands';
import { loadModule, ModuleLoadError } from './load';
import { AIRFLOW_HELP } from './airflow-help';
import { cannotReplace, findModuleFile, readModuleFile, replaceModuleFile } from './module-file';
import { UsageError } from './usage';
import { workerCommand } from './worker-command';
import { fileProblem } from './write-whole';

/** Why no DAG file was written: one paragraph, exit 1. */
export class AirflowRefused extends ModuleLoadError {}

type Recipe = DagRecipe;

export async function airflowCommand(argv: string[]): Promise<Output> {
  const { values, positionals } = parseFlags(argv, {
    'dag-id': { type: 'string' },
    task: { type: 'string', multiple: true },
    'task-per-node': { type: 'boolean' },
    config: { type: 'string' },
    inputs: { type: 'string' },
    artifacts: { type: 'string' },
    cache: { type: 'string' },
    output: { type: 'string', short: 'o' },
    module: { type: 'string' },
    dagcells: { type: 'string' },
    force: { type: 'boolean' },
    check: { type: 'string' },
    verbose: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' }
  });
  if (values.help) {
    return { stdout: AIRFLOW_HELP + '\n' };
  }
  if (values.check !== undefined) {
    const others = Object.keys(values).filter(k => k !== 'check' && k !== 'verbose');
    if (positionals.length > 0 || others.length > 0) {
      throw new UsageError(`--check FILE.py takes nothing else: the file records how it was made (got ${[...positionals, ...others.map(o => `--${o}`)].join(' ')}).`);
    }
    return check(values.check as string);
  }
  if (positionals.length !== 1) {
    throw new UsageError(positionals.length === 0 ? 'MODULE is required: the .ts file whose dataflow the DAG runs.' : `airflow takes one MODULE, got ${positionals.length}: ${positionals.join(' ')}.`);
  }
  const dagId = values['dag-id'] as string | undefined;
  if (dagId === undefined) {
    throw new UsageError('--dag-id is required: the id of the DAG in Airflow (letters, digits, _, . and -).');
  }
  const tasks = ((values.task as string[] | undefined) ?? []).map(taskArgument);
  if (values['task-per-node'] && tasks.length > 0) {
    throw new UsageError('--task and --task-per-node: choose one (--task-per-node makes one task per function).');
  }
  const modulePath = positionals[0];
  const toStdout = values.output === '-';
  const target = toStdout ? undefined : ((values.output as string | undefined) ?? join(dirname(modulePath), `${basename(modulePath, extname(modulePath))}_dag.py`));
  const dagFolder = dirname(resolve(target ?? join(dirname(modulePath), 'dag.py')));
  if (values.force && toStdout) {
    throw new UsageError('-o - prints the DAG; --force needs a file.');
  }
  const artifacts = resolve((values.artifacts as string | undefined) ?? join(dagFolder, 'dagcells-artifacts'));
  checkWritableFolder(artifacts);
  const cache = values.cache !== undefined ? resolve(values.cache as string) : undefined;
  if (cache !== undefined) {
    checkWritableFolder(cache, '--cache', 'tasks could not keep values there');
  }
  const recipe: Recipe = makeRecipe({
    source: posix(relative(dagFolder, resolve(modulePath))),
    dagId,
    ...(tasks.length > 0 ? { tasks } : {}),
    ...(values['task-per-node'] ? { taskPerNode: true } : {}),
    ...optional('config', configArgument(values.config as string | undefined)),
    ...optional('inputs', jsonObjectArgument('--inputs', values.inputs as string | undefined)),
    module: values.module !== undefined ? givenPath(values.module as string) : pathFrom(dagFolder, resolve(modulePath)),
    command: values.dagcells !== undefined ? commandArgument(values.dagcells as string) : workerCommand(dagFolder),
    artifacts: pathFrom(dagFolder, artifacts),
    ...(cache !== undefined ? { cache: pathFrom(dagFolder, cache) } : {})
  });
  const dag = await generate(modulePath, recipe);
  const text = dag.text as string;
  if (toStdout) {
    return { stdout: text };
  }
  const file = target as string;
  // Written as a module is: only a regular file, through a symlink, whole, with its mode kept.
  const written = findModuleFile(file);
  const existing = readModuleFile(written);
  const refusal = existing !== text ? cannotReplace(written) : undefined;
  if (refusal) {
    throw new AirflowRefused(refusal);
  }
  if (existing !== undefined && existing !== text && !values.force) {
    const header = readDagHeader(existing);
    if (!header) {
      throw new AirflowRefused(`${file} exists and was not written by dagcells; nothing written. Use --force to replace it, or -o to write elsewhere.`);
    }
    if (!header.intact) {
      throw new AirflowRefused(`${file} was edited since dagcells wrote it (its checksum no longer matches); nothing written. Use --force to replace the edits.`);
    }
  }
  if (existing !== text) {
    replaceModuleFile(written, text);
  }
  return { stdout: summary(file, modulePath, dag, recipe, existing === text) };
}

/** Loads the module, builds its graph with the config, and generates; refuses with every problem. */
async function generate(label: string, recipe: Recipe): Promise<AirflowDag> {
  const { module, analysis, file } = await loadModule(label);
  const driver = Driver.fromModule(module, { analysis, file, config: recipe.config });
  const graphProblems = driver.graph.problems;
  if (graphProblems.length > 0) {
    throw new AirflowRefused(`${label}: the dataflow has problems a run would stop on, so no DAG was written: ${graphProblems.map(p => p.message.replace(/\.$/, '')).join('; ')}.`);
  }
  const dag = dagFromRecipe(driver.toJSON(), analysis.types, recipe);
  if (dag.problems.length > 0) {
    throw new AirflowRefused(`no DAG written for ${label}: ${dag.problems.map(p => p.message.replace(/\.$/, '')).join('; ')}.`);
  }
  return dag;
}

/** `--check FILE.py`: makes the file again from its recipe and compares. */
async function check(file: string): Promise<Output> {
  const text = readIfExists(file);
  if (text === undefined) {
    throw new AirflowRefused(`${file}: no such file.`);
  }
  const header = readDagHeader(text);
  if (!header?.recipe) {
    throw new AirflowRefused(`${file} was not generated by dagcells airflow (it has no dagcells header), so there is nothing to check it against.`);
  }
  let recipe: Recipe;
  try {
    recipe = JSON.parse(header.recipe) as Recipe;
  } catch {
    throw new AirflowRefused(`${file}: its dagcells-recipe line is damaged; generate the file again.`);
  }
  const modulePath = join(dirname(file), recipe.source);
  let dag: AirflowDag;
  try {
    dag = await generate(modulePath, recipe);
  } catch (error) {
    throw new AirflowRefused(`${file} is out of date: generating it again from ${recipe.source} fails: ${(error as Error).message}`);
  }
  if (dag.text !== text) {
    throw new AirflowRefused(
      `${file} is not what ${recipe.source} gives now${header.intact ? '' : ' (it was also edited by hand)'}; ` +
        `generate it again (dagcells airflow ${recipe.source} --dag-id ${recipe.dagId} ... -o ${basename(file)}, as its dagcells-recipe line records).`
    );
  }
  return { stdout: `${file} is up to date with ${recipe.source}.\n` };
}

/** `NAME=OUT1,OUT2`. */
function taskArgument(text: string): TaskAssignment {
  const at = text.indexOf('=');
  if (at <= 0) {
    throw new UsageError(`--task: '${text}' is not NAME=OUT1,OUT2 (a task name, =, and the outputs it delivers).`);
  }
  return { name: text.slice(0, at).trim(), outputs: text.slice(at + 1).split(',').map(s => s.trim()).filter(Boolean) };
}

/** Words separated by spaces, or a JSON array of words (for paths with spaces). */
function commandArgument(text: string): string[] {
  if (text.trimStart().startsWith('[')) {
    let words: unknown;
    try {
      words = JSON.parse(text);
    } catch (error) {
      throw new UsageError(`--dagcells: not a valid JSON array (${(error as Error).message}).`);
    }
    if (!Array.isArray(words) || words.length === 0 || !words.every(w => typeof w === 'string' && w.length > 0)) {
      throw new UsageError('--dagcells: give the command as words, e.g. --dagcells "node /opt/dagcells/dist/cli/bin.js" or a JSON array of strings.');
    }
    return words as string[];
  }
  const words = text.split(/\s+/).filter(Boolean);
  if (words.length === 0) {
    throw new UsageError('--dagcells: the command is empty.');
  }
  return words;
}

/** A path relative to the DAG file's folder when it is inside it, else absolute. */
function pathFrom(dagFolder: string, absolute: string): DagPath {
  const rel = relative(dagFolder, absolute);
  return rel.startsWith('..') || isAbsolute(rel) ? { from: 'absolute', path: posix(absolute) } : { from: 'dag-folder', path: posix(rel) || '.' };
}

/** `--module`: as workers see it; relative means relative to the DAG file. */
function givenPath(path: string): DagPath {
  if (path === '') {
    throw new UsageError('--module needs a PATH: the module as workers reach it.');
  }
  return isAbsolute(path) ? { from: 'absolute', path: posix(path) } : { from: 'dag-folder', path: posix(path) };
}

/** The artifacts folder exists and can be written, or could be made where it is meant to be. */
function checkWritableFolder(folder: string, flag = '--artifacts', consequence = 'tasks could not hand values over there'): void {
  let existing = folder;
  while (!existsSync(existing)) {
    existing = dirname(existing);
  }
  const problem = !statSync(existing).isDirectory()
    ? `${existing} is a file, not a folder`
    : (() => {
        try {
          accessSync(existing, constants.W_OK | constants.X_OK);
          return undefined;
        } catch (error) {
          return `${existing} cannot be written (${fileProblem(error)})`;
        }
      })();
  if (problem) {
    throw new AirflowRefused(`${flag} ${folder}: ${problem}, so ${consequence}; nothing written. Give a folder every worker can write.`);
  }
}

function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return undefined;
    }
    throw new AirflowRefused(`cannot read ${path} (${fileProblem(error)}).`);
  }
}

function summary(file: string, modulePath: string, dag: AirflowDag, recipe: Recipe, unchanged: boolean): string {
  const lines = [unchanged ? `${file} is up to date with ${modulePath}; nothing written.` : `Wrote ${file} (DAG ${recipe.dagId}) from ${modulePath}.`];
  for (const task of dag.tasks) {
    const reads = task.reads.map(r => r.task);
    lines.push(`  task ${task.id}: ${task.outputs.join(', ')}${reads.length ? ` (after ${reads.join(', ')})` : ''}`);
  }
  if (dag.params.length > 0) {
    lines.push(`  params: ${dag.params.map(p => `${p.name}${p.hasValue ? '' : ' (required)'}`).join(', ')}`);
  }
  if (dag.undelivered.length > 0) {
    lines.push(`  delivered by no task: ${dag.undelivered.join(', ')}`);
  }
  if (recipe.cache) {
    lines.push('  cache: each task reuses what did not change (dagcells run --cache)');
  }
  for (const [what, path] of [['module', recipe.module], ['artifacts', recipe.artifacts], ['cache', recipe.cache]] as const) {
    if (path?.from === 'absolute') {
      lines.push(`  note: the ${what} path is absolute (${path.path}); every worker must see it there${what === 'module' ? ' (or give --module)' : ''}.`);
    }
  }
  return lines.join('\n') + '\n';
}

function optional<K extends string>(key: K, value: Record<string, unknown> | undefined): Partial<Record<K, Record<string, unknown>>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, Record<string, unknown>>);
}

function posix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

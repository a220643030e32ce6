/**
 * `dagcells export NOTEBOOK.ipynb`: the notebook's dataflow as a module file,
 * without a browser (a CI job, an Airflow deployment), with the same pure logic
 * as the JupyterLab command. It refuses rather than writing a module known not
 * to work, and it overwrites only a file that dagcells wrote and nobody edited
 * since (the header's checksum says so), unless `--force`.
 */
import { existsSync, readFileSync, realpathSync, statSync } from 'fs';
import { basename, dirname, extname, join, relative, resolve, sep } from 'path';

import { exportNotebook, readHeader, readNotebook } from '../export';
import { NotebookFileError } from '../export/notebook-file';
import type { NotebookExport } from '../export';
import { parseFlags } from './args';
import type { Output } from './commands';
import { ModuleLoadError } from './load';
import { cannotReplace, findModuleFile, readModuleFile, reason, removeStaleTemporaries, replaceModuleFile } from './module-file';
import { UsageError } from './usage';

/** Why the export did not happen; reported like a file that cannot be loaded: one paragraph, exit 1. */
export class ExportRefused extends ModuleLoadError {}

export const EXPORT_HELP = `Usage: dagcells export NOTEBOOK.ipynb [-o MODULE.ts] [--force] [--check]

Writes the notebook's dataflow as a module: the imports, types, constants and
functions of its code cells in cell order, functions exported (\`_\` helpers kept
private). Exploration (calls, console.log, bare expressions, top-level awaits)
and cells tagged dagcells-skip are left out; a name defined in several cells
keeps its last definition, as in the kernel. The module runs with
'dagcells run MODULE.ts --outputs ...'.

Nothing is written when a cell does not parse, or when kept code uses a value
only exploration computes (the module would not work); the message names the
cell and the fix.

Nothing is replaced without --force that dagcells did not write, that was
edited since (the header's checksum covers the whole file), or that is the
module of another notebook. Whatever --force says, only a regular file is
written: through a symlink to its target, whole (written beside it, then
renamed over it), with the mode and owner it had. A device, a FIFO or a
folder is refused at once; so is a read-only file (mode 444, also for root)
and a file with several hard links (replacing it would split them: write it
in place with '-o - > FILE'). An export that was killed leaves a temporary
.NAME.dagcells-PID.tmp file; the next export to that file removes it.

Options:
  -o, --output FILE   where to write (default: NOTEBOOK.ts beside the notebook); - for stdout
  --force             overwrite FILE even if dagcells did not write it, it was edited since,
                      or it is another notebook's module
  --check             write nothing; exit 1 when FILE is not what the export would write (for CI)
  --verbose           print stack traces of failures
  -h, --help          this help

Exit status: 0 on success, 1 when the export is refused or fails, 2 when the
command is used wrongly.`;

export async function exportCommand(argv: string[]): Promise<Output> {
  const { values, positionals } = parseFlags(argv, {
    output: { type: 'string', short: 'o' },
    force: { type: 'boolean' },
    check: { type: 'boolean' },
    verbose: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' }
  });
  if (values.help) {
    return { stdout: EXPORT_HELP + '\n' };
  }
  if (positionals.length !== 1) {
    throw new UsageError(
      positionals.length === 0
        ? 'NOTEBOOK is required: the .ipynb file to export.'
        : `export takes one NOTEBOOK, got ${positionals.length}: ${positionals.join(' ')}.`
    );
  }
  const notebookPath = positionals[0];
  const toStdout = values.output === '-';
  if (toStdout && (values.check || values.force)) {
    throw new UsageError(`-o - prints the module; --${values.check ? 'check' : 'force'} needs a file.`);
  }
  const output = toStdout ? undefined : ((values.output as string | undefined) ?? defaultOutput(notebookPath));
  if (output !== undefined && resolve(output) === resolve(notebookPath)) {
    throw new UsageError(`the output ${output} is the notebook itself; give a .ts file with -o.`);
  }

  if (toStdout) {
    return { stdout: exportFrom(notebookPath, defaultOutput(notebookPath)).text as string };
  }
  const target = findModuleFile(output as string);
  if (existsSync(notebookPath) && target.real === realpathSync(notebookPath)) {
    throw new UsageError(`the output ${output} is the notebook itself; give a .ts file with -o.`);
  }
  const result = exportFrom(notebookPath, target.real);
  const text = result.text as string;
  const existing = readModuleFile(target);
  const shown = target.path;
  if (values.check) {
    if (existing === text) {
      return { stdout: `${shown} is up to date with ${notebookPath}.\n` };
    }
    throw new ExportRefused(
      existing === undefined
        ? `${shown} does not exist; run 'dagcells export ${notebookPath}${values.output ? ` -o ${shown}` : ''}' to write it.`
        : `${shown} is not what exporting ${notebookPath} gives now; export again and commit the result.`
    );
  }
  removeStaleTemporaries(target);
  if (existing === text) {
    return { stdout: `${shown} is up to date with ${notebookPath}; nothing written.\n` };
  }
  const refusal = cannotReplace(target);
  if (refusal) {
    throw new ExportRefused(refusal);
  }
  if (existing !== undefined && !values.force) {
    const header = readHeader(existing);
    if (!header) {
      throw new ExportRefused(`${shown} exists and was not written by dagcells; nothing written. Use --force to overwrite it, or -o to write elsewhere.`);
    }
    if (!header.intact) {
      throw new ExportRefused(`${shown} was edited since dagcells wrote it (its checksum no longer matches); nothing written. Use --force to overwrite the edits.`);
    }
    const notebook = notebookAsSeenFrom(target.real, notebookPath);
    if (header.notebook !== notebook) {
      throw new ExportRefused(
        `${shown} is the module of another notebook (${header.notebook}), not of ${notebook}; nothing written. ` +
          `Use --force to replace it, or -o to write elsewhere.`
      );
    }
  }
  replaceModuleFile(target, text);
  return { stdout: summary(shown, notebookPath, result) };
}

/** NOTEBOOK.ts beside the notebook. */
function defaultOutput(notebookPath: string): string {
  return join(dirname(notebookPath), `${basename(notebookPath, extname(notebookPath))}.ts`);
}

/** Reads and exports the notebook; refuses when the module would not work. */
function exportFrom(notebookPath: string, output: string): NotebookExport {
  if (!existsSync(notebookPath)) {
    throw new ExportRefused(`${notebookPath}: no such file.`);
  }
  if (!statSync(notebookPath).isFile()) {
    throw new ExportRefused(`${notebookPath} is not a file; give the path of an .ipynb notebook.`);
  }
  let text: string;
  try {
    text = readFileSync(notebookPath, 'utf8');
  } catch (error) {
    throw new ExportRefused(`cannot read ${notebookPath} (${reason(error)}).`);
  }
  let cells;
  try {
    cells = readNotebook(text, notebookPath);
  } catch (error) {
    throw error instanceof NotebookFileError ? new ExportRefused(error.message) : error;
  }
  const result = exportNotebook(cells, {
    notebook: notebookAsSeenFrom(output, notebookPath),
    notebookDir: posix(relative(dirname(resolve(output)), dirname(resolve(notebookPath)))) || '.'
  });
  if (result.problems.length > 0) {
    const list = result.problems.map(p => p.message.replace(/\.$/, '')).join('; ');
    throw new ExportRefused(
      result.text === undefined
        ? `${notebookPath} cannot be exported: ${list}.`
        : `${notebookPath}: the module would not give the notebook's results, so nothing was written: ${list}.`
    );
  }
  return result;
}

function summary(target: string, notebookPath: string, result: NotebookExport): string {
  const lines = [`Wrote ${target} from ${notebookPath}.`];
  const list = (label: string, names: string[]): void => {
    if (names.length > 0) {
      lines.push(`  ${label}: ${names.join(', ')}`);
    }
  };
  list('functions (exported)', result.functions);
  list('helpers (kept, not exported)', result.helpers);
  list('types', result.types);
  list('constants and classes', result.values);
  list('imports', result.imports);
  list(
    'later definitions kept',
    result.redefinitions.map(r => `${r.name} (cell ${r.kept.cell}, over ${r.replaced.map(p => `cell ${p.cell}`).join(', ')})`)
  );
  list('cells tagged dagcells-skip', result.skippedCells.map(String));
  const counts = new Map<string, number>();
  for (const item of result.leftOut) {
    counts.set(item.reason, (counts.get(item.reason) ?? 0) + 1);
  }
  const words: Record<string, string> = {
    replaced: 'replaced by later definitions',
    exploration: 'exploration',
    'duplicate-import': 'repeated import',
    'unused-import': 'unused import',
    'export-statement': 'export statement',
    'module-cell-import': 'import from a module cell'
  };
  list('statements left out', [...counts].map(([why, n]) => `${n} ${words[why] ?? why}`));
  return lines.join('\n') + '\n';
}

/** The notebook's path as the module's folder sees it: what the header names. */
function notebookAsSeenFrom(module: string, notebookPath: string): string {
  return posix(relative(dirname(resolve(module)), resolve(notebookPath)));
}

function posix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

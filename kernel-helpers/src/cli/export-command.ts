/**
 * `dagcells export NOTEBOOK.ipynb`: the notebook's dataflow as a module file,
 * without a browser (a CI job, an Airflow deployment), with the same pure logic
 * as the JupyterLab command. It refuses rather than writing a module known not
 * to work, and it overwrites only a file that dagcells wrote and nobody edited
 * since (the header's checksum says so), unless `--force`.
 */
import { existsSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'fs';
import { basename, dirname, extname, join, relative, resolve, sep } from 'path';

import { exportNotebook, readHeader, readNotebook } from '../export';
import { NotebookFileError } from '../export/notebook-file';
import type { NotebookExport } from '../export';
import { parseFlags } from './args';
import type { Output } from './commands';
import { ModuleLoadError } from './load';
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

Options:
  -o, --output FILE   where to write (default: NOTEBOOK.ts beside the notebook); - for stdout
  --force             overwrite FILE even if dagcells did not write it, or it was edited since
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

  const result = exportFrom(notebookPath, output ?? defaultOutput(notebookPath));
  const text = result.text as string;
  if (toStdout) {
    return { stdout: text };
  }
  const target = output as string;
  const existing = readIfExists(target);
  if (values.check) {
    if (existing === text) {
      return { stdout: `${target} is up to date with ${notebookPath}.\n` };
    }
    throw new ExportRefused(
      existing === undefined
        ? `${target} does not exist; run 'dagcells export ${notebookPath}${values.output ? ` -o ${target}` : ''}' to write it.`
        : `${target} is not what exporting ${notebookPath} gives now; export again and commit the result.`
    );
  }
  if (existing === text) {
    return { stdout: `${target} is up to date with ${notebookPath}; nothing written.\n` };
  }
  if (existing !== undefined && !values.force) {
    const header = readHeader(existing);
    if (!header) {
      throw new ExportRefused(`${target} exists and was not written by dagcells; nothing written. Use --force to overwrite it, or -o to write elsewhere.`);
    }
    if (!header.intact) {
      throw new ExportRefused(`${target} was edited since dagcells wrote it (its checksum no longer matches); nothing written. Use --force to overwrite the edits.`);
    }
  }
  writeWhole(target, text);
  return { stdout: summary(target, notebookPath, result) };
}

/** NOTEBOOK.ts beside the notebook. */
function defaultOutput(notebookPath: string): string {
  return join(dirname(notebookPath), `${basename(notebookPath, extname(notebookPath))}.ts`);
}

/** Reads and exports the notebook; refuses when the module would not work. */
function exportFrom(notebookPath: string, output: string): NotebookExport {
  if (!existsSync(notebookPath) || !statSync(notebookPath).isFile()) {
    throw new ExportRefused(`${notebookPath}: no such file.`);
  }
  let cells;
  try {
    cells = readNotebook(readFileSync(notebookPath, 'utf8'), notebookPath);
  } catch (error) {
    throw error instanceof NotebookFileError ? new ExportRefused(error.message) : error;
  }
  const moduleDir = dirname(resolve(output));
  const result = exportNotebook(cells, {
    notebook: posix(relative(moduleDir, resolve(notebookPath))),
    notebookDir: posix(relative(moduleDir, dirname(resolve(notebookPath)))) || '.'
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

function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return undefined;
    }
    throw new ExportRefused(`cannot read ${path} (${reason(error)}).`);
  }
}

/** Writes beside the target, then renames over it: readers see the old file or the new one, never a part. */
function writeWhole(path: string, text: string): void {
  const temporary = join(dirname(path), `.${basename(path)}.dagcells-${process.pid}.tmp`);
  try {
    writeFileSync(temporary, text, { encoding: 'utf8', flag: 'wx' });
    renameSync(temporary, path);
  } catch (error) {
    try {
      unlinkSync(temporary);
    } catch {
      // never created
    }
    throw new ExportRefused(`cannot write ${path} (${reason(error)}).`);
  }
}

function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  const messages: Record<string, string> = {
    ENOENT: 'no such folder',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EISDIR: 'it is a folder',
    ENOTDIR: 'a part of the path is not a folder',
    EROFS: 'read-only file system',
    ENOSPC: 'no space left on the device'
  };
  return code && messages[code] ? `${messages[code]}, ${code}` : (error as Error).message;
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

function posix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

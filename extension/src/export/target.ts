/**
 * Where a notebook's module goes: a pattern from the settings, relative to the
 * notebook's folder, and what the module's header and relative imports must
 * say from there. Paths are the server's (relative to its root, `/`-separated).
 */
import { PathExt } from '@jupyterlab/coreutils';

/** The default pattern: `NOTEBOOK_STEM.ts` beside the notebook. */
export const DEFAULT_PATTERN = '{stem}.ts';

/** Module files the export writes: TypeScript, which `dagcells run` compiles. */
const MODULE_EXTENSIONS = ['.ts', '.mts', '.cts'];

/**
 * The module path for a notebook. `{stem}` is the notebook's name without its
 * extension; a pattern starting with `/` is taken from the server's root.
 *
 * @example
 * ```ts
 * targetFor("work/orders.ipynb", "{stem}.ts");          // "work/orders.ts"
 * targetFor("work/orders.ipynb", "../pipelines/{stem}.ts"); // "pipelines/orders.ts"
 * ```
 */
export function targetFor(notebookPath: string, pattern: string): string {
  const stem = PathExt.basename(notebookPath, PathExt.extname(notebookPath));
  const filled = pattern.trim().split('{stem}').join(stem);
  return filled.startsWith('/')
    ? PathExt.normalize(filled.slice(1))
    : PathExt.normalize(PathExt.join(PathExt.dirname(notebookPath), filled));
}

/** What is wrong with a module path typed by the user, or `undefined` when it will do. */
export function targetProblem(path: string): string | undefined {
  const trimmed = path.trim();
  if (trimmed === '') {
    return 'Give a path for the module file.';
  }
  const normalized = PathExt.normalize(trimmed.replace(/^\/+/, ''));
  if (normalized === '..' || normalized.startsWith('../')) {
    return `${trimmed} is outside the folder the server serves.`;
  }
  if (trimmed.endsWith('/') || !MODULE_EXTENSIONS.includes(PathExt.extname(normalized))) {
    return `${trimmed}: the module is TypeScript; give a file name ending in .ts.`;
  }
  return undefined;
}

/** A path typed by the user as the server names it. */
export function normalizeTarget(path: string): string {
  return PathExt.normalize(path.trim().replace(/^\/+/, ''));
}

/**
 * The notebook as the module's folder sees it: the name its header gives, and the
 * folder its relative imports are written against.
 */
export function notebookFromTarget(notebookPath: string, target: string): { notebook: string; notebookDir: string } {
  const from = PathExt.dirname(target);
  const notebook = PathExt.relative(from, notebookPath) || PathExt.basename(notebookPath);
  const notebookDir = PathExt.relative(from, PathExt.dirname(notebookPath)) || '.';
  return { notebook, notebookDir };
}

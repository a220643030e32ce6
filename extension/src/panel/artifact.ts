/**
 * The file a saver wrote, as JupyterLab names it: a saver's result is
 * `{ path, format, bytes, rows? }` with the path on the kernel's machine
 * (absolute, or relative to the kernel's folder, which is the notebook's);
 * JupyterLab's documents and file browser name files relative to the folder
 * the server serves. Pure functions, so that the mapping is tested alone.
 */
import type { ValuePreview } from 'dagcells/kernel';

/** The file a saver's result names; undefined when the value names none. */
export function savedFile(preview: ValuePreview): { path: string; format: string } | undefined {
  let value: unknown;
  if (preview.json !== undefined) {
    try {
      value = JSON.parse(preview.json);
    } catch {
      value = undefined;
    }
  }
  const record = value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  if (!record || typeof record.path !== 'string' || record.path === '') {
    return undefined;
  }
  return { path: record.path, format: typeof record.format === 'string' ? record.format : '' };
}

/**
 * A path on the kernel's machine as the server's contents names it: relative
 * to the server root, `/`-separated. A relative path is taken from the
 * notebook's folder (the kernel's working folder). Undefined when the file
 * lies outside the folder the server serves.
 *
 * @example
 * ```ts
 * serverPath("/srv/lab/work/out/p.csv", "/srv/lab", "work/nb.ipynb"); // "work/out/p.csv"
 * serverPath("out/p.csv", "/srv/lab", "work/nb.ipynb");               // "work/out/p.csv"
 * ```
 */
export function serverPath(path: string, serverRoot: string, notebookPath: string): string | undefined {
  const file = path.replace(/\\/g, '/');
  if (!isAbsolute(file)) {
    const folder = notebookPath.replace(/\\/g, '/').split('/').slice(0, -1).join('/');
    return normalized(folder === '' ? file : `${folder}/${file}`);
  }
  const root = rootOf(serverRoot.replace(/\\/g, '/'), file);
  if (root === undefined) {
    return undefined;
  }
  const windows = /^[A-Za-z]:\//.test(file);
  const same = (a: string, b: string) => (windows ? a.toLowerCase() === b.toLowerCase() : a === b);
  const base = root.replace(/\/+$/, '');
  if (same(file, base)) {
    return '';
  }
  if (!same(file.slice(0, base.length + 1), `${base}/`)) {
    return undefined;
  }
  return normalized(file.slice(base.length + 1));
}

/** Whether JupyterLab opens a file of this format as a document; a parquet file is shown in the file browser instead. */
export function opensAsDocument(format: string): boolean {
  return format !== 'parquet';
}

function isAbsolute(path: string): boolean {
  return path.startsWith('/') || /^[A-Za-z]:\//.test(path);
}

/**
 * The server root as an absolute path. JupyterLab may give it with `~` for
 * the home folder, which the browser cannot expand: the home folder is then
 * read from the file's own path where it has the usual shape.
 */
function rootOf(root: string, file: string): string | undefined {
  if (!root.startsWith('~')) {
    return root === '' ? undefined : root;
  }
  const home = /^(\/home\/[^/]+|\/Users\/[^/]+|\/root|[A-Za-z]:\/Users\/[^/]+)(?=\/|$)/.exec(file)?.[1];
  return home === undefined ? undefined : home + root.slice(1);
}

/** `a/./b/../c` as `a/c`; undefined when it climbs above its start. */
function normalized(path: string): string | undefined {
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') {
      continue;
    }
    if (part === '..') {
      if (parts.length === 0) {
        return undefined;
      }
      parts.pop();
      continue;
    }
    parts.push(part);
  }
  return parts.join('/');
}

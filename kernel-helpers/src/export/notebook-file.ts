/** Reading the cells of an .ipynb file (nbformat 4) for an export without JupyterLab. */
import type { NotebookCell } from './types';

/** The file is not a notebook this export can read; the message says what is wrong and where. */
export class NotebookFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotebookFileError';
  }
}

/**
 * The cells of a notebook file's text. `name` is used in messages.
 *
 * @example
 * ```ts
 * const cells = readNotebook(readFileSync("hello_world.ipynb", "utf8"), "hello_world.ipynb");
 * ```
 */
export function readNotebook(text: string, name: string): NotebookCell[] {
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\ufeff/, '')); // editors on Windows may start the file with a byte order mark
  } catch (error) {
    throw new NotebookFileError(`${name} is not a notebook: it is not valid JSON (${(error as Error).message}).`);
  }
  if (!isObject(json) || !Array.isArray(json.cells)) {
    const old = isObject(json) && Array.isArray(json.worksheets);
    throw new NotebookFileError(
      old
        ? `${name} is an nbformat 3 notebook; open and save it in JupyterLab to upgrade it to nbformat 4.`
        : `${name} is not a notebook: it has no "cells" list.`
    );
  }
  const language = languageOf(json.metadata);
  if (language !== undefined && !SCRIPT_LANGUAGES.has(language.toLowerCase())) {
    throw new NotebookFileError(
      `${name} is a ${language} notebook${kernelOf(json.metadata)}; dagcells exports TypeScript notebooks (the tslab kernel). ` +
        `Change the notebook's kernel to TypeScript to write its dataflow as TypeScript functions.`
    );
  }
  return json.cells.map((cell, i) => readCell(cell, i + 1, name));
}

/** Languages of notebooks whose code cells are TypeScript or JavaScript (tslab's two kernels). */
const SCRIPT_LANGUAGES = new Set(['typescript', 'javascript', 'ts', 'js']);

/** The notebook's language, as its kernel's spec or language info says; `undefined` when it says nothing. */
function languageOf(metadata: unknown): string | undefined {
  if (!isObject(metadata)) {
    return undefined;
  }
  const spec = isObject(metadata.kernelspec) ? metadata.kernelspec : {};
  const info = isObject(metadata.language_info) ? metadata.language_info : {};
  const language = typeof spec.language === 'string' ? spec.language : info.name;
  return typeof language === 'string' && language.trim() !== '' ? language.trim() : undefined;
}

function kernelOf(metadata: unknown): string {
  const spec = isObject(metadata) && isObject(metadata.kernelspec) ? metadata.kernelspec : {};
  const name = typeof spec.display_name === 'string' ? spec.display_name : spec.name;
  return typeof name === 'string' && name.trim() !== '' ? ` (kernel ${JSON.stringify(name.trim())})` : '';
}

function readCell(cell: unknown, position: number, name: string): NotebookCell {
  if (!isObject(cell)) {
    throw new NotebookFileError(`${name}: cell ${position} is not an object.`);
  }
  const type = cell.cell_type;
  if (type !== 'code' && type !== 'markdown' && type !== 'raw') {
    throw new NotebookFileError(`${name}: cell ${position} has cell_type ${JSON.stringify(type)}; expected code, markdown or raw.`);
  }
  const source = Array.isArray(cell.source) ? cell.source : [cell.source ?? ''];
  if (!source.every(line => typeof line === 'string')) {
    throw new NotebookFileError(`${name}: the source of cell ${position} is not text.`);
  }
  const metadata = isObject(cell.metadata) ? cell.metadata : {};
  const tags = Array.isArray(metadata.tags) ? metadata.tags.filter((t): t is string => typeof t === 'string') : [];
  return {
    type,
    source: (source as string[]).join(''),
    ...(tags.length > 0 ? { tags } : {}),
    ...(typeof cell.id === 'string' ? { id: cell.id } : {})
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

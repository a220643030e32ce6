/**
 * Reading and writing files through the Jupyter contents API only, with errors
 * that name the path and give the server's reason.
 *
 * A module is written with one `save` request. jupyter_server writes files with
 * `atomic_writing` by default (FileContentsManager.use_atomic_writing = True):
 * it keeps a copy of the old file and puts it back if the write fails, so a
 * failed export never leaves half a module. A server configured without it
 * writes in place.
 */
import { PathExt } from '@jupyterlab/coreutils';
import type { Contents } from '@jupyterlab/services';
import { ServerConnection } from '@jupyterlab/services';

/** A file operation failed; the message names the path and the server's reason. */
export class ContentsError extends Error {}

/** What is at a path: a text file, nothing, or not even the folder. */
export type Existing =
  | { kind: 'file'; text: string }
  | { kind: 'none' }
  | { kind: 'no-folder'; folder: string; reason: string };

/**
 * What is at `path`. The folder is listed first: asking the server for a file
 * that does not exist answers 404, which the browser logs as an error, and a
 * missing file is the common case of a first export.
 */
export async function readExisting(contents: Contents.IManager, path: string): Promise<Existing> {
  const folder = PathExt.dirname(path);
  let listing: Contents.IModel;
  try {
    listing = await contents.get(folder, { type: 'directory', content: true });
  } catch (error) {
    if (error instanceof ServerConnection.ResponseError && error.response.status === 404) {
      return { kind: 'no-folder', folder, reason: reason(error) };
    }
    throw new ContentsError(`Could not look into the folder of ${path}: ${reason(error)}`);
  }
  const name = PathExt.basename(path);
  const entry = ((listing.content ?? []) as Contents.IModel[]).find(item => item.name === name);
  if (!entry) {
    return { kind: 'none' };
  }
  if (entry.type === 'directory') {
    throw new ContentsError(`${path} is a folder.`);
  }
  try {
    const model = await contents.get(path, { type: 'file', format: 'text', content: true });
    return { kind: 'file', text: typeof model.content === 'string' ? model.content : '' };
  } catch (error) {
    throw new ContentsError(`Could not read ${path}: ${reason(error)}`);
  }
}

/** Writes a text file whole, in one request. */
export async function writeText(contents: Contents.IManager, path: string, text: string): Promise<void> {
  try {
    await contents.save(path, { type: 'file', format: 'text', content: text });
  } catch (error) {
    throw new ContentsError(`Could not write ${path}: ${reason(error)}`);
  }
}

/** The server's words for what went wrong, with the HTTP status when it has one. */
function reason(error: unknown): string {
  if (error instanceof ServerConnection.ResponseError) {
    const message = error.message.trim() || error.response.statusText;
    return `${message.replace(/\.$/, '')} (HTTP ${error.response.status}).`;
  }
  return error instanceof Error ? error.message : String(error);
}

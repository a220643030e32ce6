/**
 * What each notebook's last export wrote (where, and a hash of the text), kept
 * in the state database under the notebook's path, so that the next export
 * proposes the same place and knows whether the file changed since.
 */
import type { IStateDB } from '@jupyterlab/statedb';
import type { ReadonlyPartialJSONObject } from '@lumino/coreutils';

import type { ExportRecord } from './safety';

const PREFIX = 'jupyterlab-dagcells:export:';

/** Export records by notebook path. Without a state database, they last as long as the page. */
export class ExportHistory {
  private readonly memory = new Map<string, ExportRecord>();

  constructor(private readonly state: IStateDB | null) {}

  async get(notebookPath: string): Promise<ExportRecord | undefined> {
    if (!this.state) {
      return this.memory.get(notebookPath);
    }
    const value = (await this.state.fetch(PREFIX + notebookPath)) as ReadonlyPartialJSONObject | undefined;
    return value && typeof value.target === 'string' && typeof value.hash === 'string'
      ? { target: value.target, hash: value.hash }
      : undefined;
  }

  async set(notebookPath: string, record: ExportRecord): Promise<void> {
    this.memory.set(notebookPath, record);
    if (this.state) {
      await this.state.save(PREFIX + notebookPath, { target: record.target, hash: record.hash });
    }
  }
}

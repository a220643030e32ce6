/**
 * Watching a notebook's cells: added, removed, moved, edited, retyped, tagged.
 * A keystroke only marks its cell dirty and restarts a timer; when typing
 * pauses, only the dirty cells go to the model, which analyses just those.
 */
import type { ICellModel } from '@jupyterlab/cells';
import type { INotebookModel } from '@jupyterlab/notebook';
import { IDisposable } from '@lumino/disposable';

import type { NotebookGraphModel } from '../model/graph-model';

/** Cells tagged with this are left out of the dataflow (and of exports). */
export const SKIP_TAG = 'dagcells-skip';

export namespace NotebookWatcher {
  export interface IOptions {
    notebook: INotebookModel;
    model: NotebookGraphModel;
    /** Pause in typing, in milliseconds, before the graph updates (default 16, a frame: a keystroke costs little, and even fast typing leaves 80 ms between keys). */
    debounce?: number;
  }
}

export class NotebookWatcher implements IDisposable {
  debounce: number;
  private readonly notebook: INotebookModel;
  private readonly model: NotebookGraphModel;
  private readonly dirty = new Set<string>();
  private readonly watched = new Map<string, ICellModel>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private orderChanged = true;
  private disposed = false;

  constructor(options: NotebookWatcher.IOptions) {
    this.notebook = options.notebook;
    this.model = options.model;
    this.debounce = options.debounce ?? 16;
    this.notebook.cells.changed.connect(this.onCellsChanged, this);
    for (const cell of this.notebook.cells) {
      this.watch(cell);
    }
    this.flush();
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** Sends pending changes now instead of after the pause. */
  flush(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.dirty.size === 0 && !this.orderChanged) {
      return;
    }
    const order = this.orderChanged ? this.order() : undefined;
    const changes = [...this.dirty].map(id => ({ id, source: this.sourceOf(this.watched.get(id)) }));
    this.dirty.clear();
    this.orderChanged = false;
    this.model.updateCells(changes, order);
  }

  dispose(): void {
    if (this.disposed) {
      return;
    }
    this.disposed = true;
    clearTimeout(this.timer);
    this.notebook.cells.changed.disconnect(this.onCellsChanged, this);
    for (const cell of this.watched.values()) {
      this.unwatch(cell);
    }
    this.watched.clear();
  }

  private order(): string[] {
    const ids: string[] = [];
    for (const cell of this.notebook.cells) {
      ids.push(cell.id);
    }
    return ids;
  }

  /** The code a cell contributes, or null when it contributes none. */
  private sourceOf(cell: ICellModel | undefined): string | null {
    if (!cell || cell.type !== 'code') {
      return null;
    }
    const tags = cell.sharedModel.getMetadata('tags');
    if (Array.isArray(tags) && tags.includes(SKIP_TAG)) {
      return null;
    }
    return cell.sharedModel.getSource();
  }

  /**
   * Cells added, removed, moved, cut, pasted, undone (a cell whose type changes
   * is replaced by a new model). What is gone is found by comparing the cells
   * watched with the cells present, whatever the event says it removed: a cut,
   * an undo or a move can report its cells differently, and a cell the graph
   * kept by mistake would still run.
   */
  private onCellsChanged(): void {
    const present = new Map<string, ICellModel>();
    for (const cell of this.notebook.cells) {
      present.set(cell.id, cell);
    }
    for (const [id, cell] of this.watched) {
      if (present.get(id) !== cell) {
        this.unwatch(cell);
        this.watched.delete(id);
        this.dirty.add(id);
      }
    }
    for (const cell of present.values()) {
      this.watch(cell);
    }
    this.orderChanged = true;
    this.schedule();
  }

  private watch(cell: ICellModel): void {
    if (this.watched.get(cell.id) === cell) {
      return;
    }
    this.watched.set(cell.id, cell);
    cell.contentChanged.connect(this.onCellChanged, this);
    cell.metadataChanged.connect(this.onCellChanged, this);
    this.dirty.add(cell.id);
  }

  private unwatch(cell: ICellModel): void {
    cell.contentChanged.disconnect(this.onCellChanged, this);
    cell.metadataChanged.disconnect(this.onCellChanged, this);
  }

  /** The per-keystroke path: mark and wait. */
  private onCellChanged(cell: ICellModel): void {
    this.dirty.add(cell.id);
    this.schedule();
  }

  private schedule(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
    }
    this.timer = setTimeout(() => this.flush(), this.debounce);
  }
}

/**
 * Layouts for the panel: the previous one extended when a few nodes came or
 * went (typing), a full one otherwise, in a worker when the graph is large.
 */
import { extendLayout } from './incremental';
import { sugiyamaLayout } from './sugiyama';
import type { Layout, LayoutInput } from './types';

export namespace LayoutEngine {
  export interface IOptions {
    /** From this many nodes, full layouts run in a worker (default 150). */
    workerThreshold?: number;
  }
}

interface Pending {
  resolve: (layout: Layout) => void;
  reject: (error: Error) => void;
}

export class LayoutEngine {
  workerThreshold: number;
  private worker: Worker | null | undefined;
  private readonly pending = new Map<number, Pending>();
  private counter = 0;

  constructor(options: LayoutEngine.IOptions = {}) {
    this.workerThreshold = options.workerThreshold ?? 150;
  }

  /** How the last layout was made, for benchmarks and tests. */
  lastKind: 'extended' | 'full-main' | 'full-worker' | undefined;

  /** A layout for the graph; `previous` is kept still when the change is small, unless `full`. */
  async layout(input: LayoutInput, previous: Layout | undefined, full = false): Promise<Layout> {
    if (!full) {
      const extended = extendLayout(previous, input);
      if (extended) {
        this.lastKind = 'extended';
        return extended;
      }
    }
    if (input.nodes.length >= this.workerThreshold) {
      const worker = this.getWorker();
      if (worker) {
        this.lastKind = 'full-worker';
        return this.inWorker(worker, input);
      }
    }
    this.lastKind = 'full-main';
    return sugiyamaLayout(input);
  }

  dispose(): void {
    this.worker?.terminate();
    this.worker = null;
    for (const { reject } of this.pending.values()) {
      reject(new Error('The layout engine was disposed.'));
    }
    this.pending.clear();
  }

  private inWorker(worker: Worker, input: LayoutInput): Promise<Layout> {
    const id = ++this.counter;
    return new Promise<Layout>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, input });
    });
  }

  /** The worker, started on first use; null when workers are unavailable (the main thread does it). */
  private getWorker(): Worker | null {
    if (this.worker === undefined) {
      try {
        this.worker = new Worker(new URL('./worker.js', import.meta.url));
        this.worker.onmessage = (event: MessageEvent<{ id: number; layout?: Layout; error?: string }>) => {
          const pending = this.pending.get(event.data.id);
          this.pending.delete(event.data.id);
          if (event.data.layout) {
            pending?.resolve(event.data.layout);
          } else {
            pending?.reject(new Error(`layout failed: ${event.data.error}`));
          }
        };
        this.worker.onerror = event => {
          // A worker that cannot run: finish what waits on the main thread instead.
          event.preventDefault();
          this.worker?.terminate();
          this.worker = null;
          for (const [id, pending] of this.pending) {
            this.pending.delete(id);
            pending.reject(new Error(event.message || 'the layout worker failed'));
          }
        };
      } catch {
        this.worker = null;
      }
    }
    return this.worker;
  }
}

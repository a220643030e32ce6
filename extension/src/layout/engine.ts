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

/** The size of the graph a warming layout lays out: enough for the layout code to be compiled and optimised. */
const WARM_NODES = 300;

interface Pending {
  resolve: (layout: Layout) => void;
  reject: (error: Error) => void;
}

export class LayoutEngine {
  workerThreshold: number;
  private worker: Worker | null | undefined;
  private readonly pending = new Map<number, Pending>();
  private counter = 0;
  private warmed = false;

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

  /**
   * Starts the worker and has it lay out a small graph, so that the first
   * large graph does not also wait for the worker's script to load and its
   * layout code to be compiled (about half of a cold first layout at 1,000
   * nodes). Once per engine; nothing happens where workers are unavailable.
   */
  warm(): void {
    if (this.warmed) {
      return;
    }
    this.warmed = true;
    const worker = this.getWorker();
    if (worker) {
      const nodes = Array.from({ length: WARM_NODES }, (_, i) => ({ name: `n${i}`, width: 80 }));
      const edges: [string, string][] = [];
      for (let i = 8; i < WARM_NODES; i++) {
        edges.push([`n${i - 8}`, `n${i}`]);
        if (i % 3 === 0) {
          edges.push([`n${i - 7 - (i % 5)}`, `n${i}`]);
        }
      }
      void this.inWorker(worker, { nodes, edges, orientation: 'TB', density: 'full', maxAcross: 800 }).catch(() => undefined);
    }
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

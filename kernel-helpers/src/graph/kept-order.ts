/**
 * A topological order of a changing graph, kept so that an edit can be judged
 * unable to make a cycle without searching: an edge from an earlier node to a
 * later one cannot close a cycle. Only an edit that adds an edge going
 * backward calls for the full search (Kahn's algorithm, then Tarjan's on what
 * is left), which gives a fresh order. In a notebook, functions mostly use
 * what earlier cells define, so most edits never search.
 */
import type { IndexedGraph } from './indexed';

export class KeptOrder {
  private position = new Map<string, number>();
  private next = 0;
  private backward = false;

  /** Notes an edge from a function to a function; one going backward makes the order stale. */
  edge(from: string, to: string): void {
    if (this.positionOf(from) >= this.positionOf(to)) {
      this.backward = true;
    }
  }

  /** True when an edge noted since the last {@link reset} went backward: a cycle is possible. */
  get stale(): boolean {
    return this.backward;
  }

  /** Takes the order of a full search (valid when it found no cycle). */
  reset(index: IndexedGraph): void {
    this.position = new Map();
    for (let p = 0; p < index.names.length; p++) {
      this.position.set(index.names[p], p);
    }
    this.next = index.names.length;
    this.backward = false;
  }

  /** A node's place; a node not seen before goes after every other. */
  private positionOf(name: string): number {
    let p = this.position.get(name);
    if (p === undefined) {
      p = this.next++;
      this.position.set(name, p);
    }
    return p;
  }
}

/**
 * Who consumes each name, for the incremental graph: the functions that take
 * it as a parameter, in the order of their definitions, and how many of them
 * declare each type for it. Kept up to date consumer by consumer, so that a
 * shared input (a `config` that half the functions take) is not gone through
 * whole on every edit: most edits leave its list alone, and judging its type
 * reads the counts.
 */
export class Consumers {
  private readonly lists = new Map<string, string[]>();
  /** For each name, the parameter types its consumers declare, with how many declare each. */
  private readonly declared = new Map<string, Map<string, number>>();
  private readonly changed = new Set<string>();

  /** `rankOf(consumer)` orders the consumers: cell order, then source order. */
  constructor(private readonly rankOf: (consumer: string) => number) {}

  /** The consumers of a name, in order. Live: copy it to keep it. */
  of(name: string): readonly string[] {
    return this.lists.get(name) ?? [];
  }

  /** How many consumers of a name declare each type for it (untyped ones are not counted). */
  declaredTypes(name: string): ReadonlyMap<string, number> | undefined {
    return this.declared.get(name);
  }

  /** True when the list of a name changed since {@link clearChanged}. */
  hasChanged(name: string): boolean {
    return this.changed.has(name);
  }

  clearChanged(): void {
    this.changed.clear();
  }

  /** Puts a consumer in its place (binary search: shared inputs have many consumers). */
  add(name: string, consumer: string, rank: number, type: string | undefined): void {
    let list = this.lists.get(name);
    if (!list) {
      list = [];
      this.lists.set(name, list);
    }
    this.changed.add(name);
    this.count(name, type, 1);
    // Cells usually arrive in notebook order: then the consumer goes last.
    if (list.length === 0 || this.rankOf(list[list.length - 1]) < rank) {
      list.push(consumer);
      return;
    }
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.rankOf(list[mid]) < rank) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    list.splice(lo, 0, consumer);
  }

  remove(name: string, consumer: string, type: string | undefined): void {
    const list = this.lists.get(name);
    const at = list ? list.indexOf(consumer) : -1;
    if (list && at >= 0) {
      list.splice(at, 1);
      this.changed.add(name);
      this.count(name, type, -1);
      if (list.length === 0) {
        this.lists.delete(name);
      }
    }
  }

  private count(name: string, type: string | undefined, by: 1 | -1): void {
    if (type === undefined) {
      return;
    }
    let counts = this.declared.get(name);
    if (!counts) {
      counts = new Map();
      this.declared.set(name, counts);
    }
    const n = (counts.get(type) ?? 0) + by;
    if (n > 0) {
      counts.set(type, n);
    } else {
      counts.delete(type);
      if (counts.size === 0) {
        this.declared.delete(name);
      }
    }
  }
}

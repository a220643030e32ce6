/**
 * Running a plan with a cache: each function node's value is looked up under
 * a key made of its name, its code version and the data versions of what it
 * is given (config included), and computed only when the key is new. The
 * plan's functions are wrapped; the run itself is the Driver's.
 */
import type { IndexedGraph } from '../graph/indexed';
import type { Plan } from '../driver/plan';
import { Role } from '../driver/plan';
import type { ExecutionEvent } from '../driver/run';
import { checksum, fingerprint, loadFingerprints } from './fingerprint';
import { CacheStore, MemoryStore } from './stores';

/** Where a Driver keeps values: `true` in memory, `{ dir }` on disk, `{ bytes }` a memory budget. */
export type CacheSetting = boolean | { dir?: string; bytes?: number; store?: CacheStore };

/**
 * What a run does with the cache, node by node (Hamilton's behaviours):
 * `recompute` computes and stores even when an entry exists (`true`: every node);
 * `disable` neither reads nor writes, and its consumers compute again;
 * `ignore` neither reads nor writes, and is left out of its consumers' keys.
 */
export interface CacheBehaviours {
  recompute?: readonly string[] | true;
  disable?: readonly string[];
  ignore?: readonly string[];
}

/** What the cache did with a node, told just before its `node-finished`. */
export type CacheEvent = {
  type: 'node-cache';
  node: string;
  /** `retrieved`: from the cache; `computed`: computed and stored; `uncached`: computed, not stored. */
  status: 'retrieved' | 'computed' | 'uncached';
  /** retrieved: how long computing it took when it was computed (the time saved). Otherwise the time it took. */
  ms: number;
  /** retrieved: when the run that computed it did so (ISO 8601). */
  computedAt?: string;
  /** uncached: why (disabled, ignored, a value that cannot be fingerprinted or stored). */
  reason?: string;
};

/** A cache that Driver runs share: a store and the code version of each node. */
export class NodeCache {
  readonly store: CacheStore;
  /** Entries found damaged since the cache was made: recomputed, never returned. */
  readonly damaged: { key: string; why: string }[] = [];

  /**
   * `disk` makes the store of a `{ dir }` setting (the Driver passes the disk
   * store's maker; the kernel runtime, which has no disk store, does not).
   */
  constructor(
    setting: Exclude<CacheSetting, false>,
    readonly codeVersionOf: (name: string, fn: unknown) => string | undefined,
    disk?: (dir: string, onDamaged: (key: string, why: string) => void) => CacheStore
  ) {
    const options = setting === true ? {} : setting;
    if (options.store) {
      this.store = options.store;
    } else if (options.dir !== undefined) {
      if (!disk) {
        throw new Error('A cache on disk ({ dir }) needs Node; here, use { bytes } (in memory).');
      }
      this.store = disk(options.dir, (key, why) => this.damaged.push({ key, why }));
    } else {
      this.store = new MemoryStore(options.bytes);
    }
  }

  clear(): void {
    this.store.clear();
  }
}

const now: () => number = typeof performance !== 'undefined' ? () => performance.now() : () => Date.now();

/** Loads what fingerprints need, then gives the plan whose functions consult the cache. */
export async function cachedPlan(
  plan: Plan,
  cache: NodeCache,
  behaviours: CacheBehaviours = {},
  onEvent?: (event: ExecutionEvent) => void,
  /** Nodes computed on every run and never stored (savers: writing the file is the point). */
  always: ReadonlySet<string> = new Set()
): Promise<Plan> {
  await loadFingerprints();
  const { index, role } = plan;
  const { names, producerStart, producers } = index;
  const recomputeAll = behaviours.recompute === true;
  const recompute = new Set(behaviours.recompute === true ? [] : behaviours.recompute ?? []);
  const disable = new Set(behaviours.disable ?? []);
  const ignore = new Set(behaviours.ignore ?? []);
  const runId = `${Date.now().toString(36)}.${Math.random().toString(36).slice(2)}`;

  // Data versions by position: computed nodes set theirs; given values are fingerprinted once, when first needed.
  const versions: (string | undefined)[] = new Array(names.length);
  const unversioned: (string | undefined)[] = new Array(names.length);
  const versionOf = (q: number, value: unknown): string | undefined => {
    if (versions[q] === undefined && unversioned[q] === undefined && role[q] !== Role.Computed) {
      const print = fingerprint(value);
      if (print.hash !== undefined) {
        versions[q] = print.hash;
      } else {
        unversioned[q] = print.reason;
      }
    }
    return versions[q];
  };
  const tell = (event: CacheEvent) => onEvent?.(event);

  const fns = index.fns.slice();
  for (const p of plan.compute) {
    const fn = index.fns[p] as (...args: unknown[]) => unknown;
    const name = names[p];
    const version = cache.codeVersionOf(name, fn);
    fns[p] = (...args: unknown[]) => {
      // Computes, stores when it may, and gives the node its data version.
      const compute = (key: string | undefined, why: string | undefined) => {
        const started = now();
        const settle = (value: unknown) => {
          const ms = now() - started;
          let reason = why;
          const print = disable.has(name) || ignore.has(name) ? undefined : fingerprint(value);
          if (print?.hash !== undefined) {
            versions[p] = print.hash;
          } else {
            // No data version: whatever takes it computes again.
            versions[p] = `${runId}.${name}`;
            if (print && print.hash === undefined && reason === undefined) {
              reason = `its value cannot be fingerprinted: ${print.reason}`;
            }
          }
          if (reason === undefined && key !== undefined && print?.hash !== undefined) {
            try {
              cache.store.set(key, { value, dataVersion: print.hash, ms, computedAt: new Date().toISOString(), bytes: print.bytes });
            } catch (error) {
              reason = `its value could not be stored: ${(error as Error).message}`;
            }
          }
          tell({ type: 'node-cache', node: name, status: reason === undefined ? 'computed' : 'uncached', ms, ...(reason !== undefined ? { reason } : {}) });
          return value;
        };
        const value = fn(...args);
        return isThenable(value) ? Promise.resolve(value).then(settle) : settle(value);
      };
      if (always.has(name)) {
        return compute(undefined, 'a saver writes its file on every run that asks for it');
      }
      if (disable.has(name)) {
        return compute(undefined, 'disabled');
      }
      if (ignore.has(name)) {
        return compute(undefined, 'ignored');
      }
      if (version === undefined) {
        return compute(undefined, 'its code version is unknown');
      }
      const parts = [name, version];
      const first = producerStart[p];
      for (let k = 0; k < args.length; k++) {
        const q = producers[first + k];
        if (q < 0) {
          parts.push('-');
          continue;
        }
        if (ignore.has(names[q])) {
          continue;
        }
        const dv = versionOf(q, args[k]);
        if (dv === undefined) {
          return compute(undefined, `its input ${names[q]} cannot be fingerprinted: ${unversioned[q]}`);
        }
        parts.push(`${names[q]}=${dv}`);
      }
      const key = checksum(parts.join('\n'));
      if (!recomputeAll && !recompute.has(name)) {
        const entry = cache.store.get(key);
        if (entry) {
          versions[p] = entry.dataVersion;
          tell({ type: 'node-cache', node: name, status: 'retrieved', ms: entry.ms, computedAt: entry.computedAt });
          return entry.value;
        }
      }
      return compute(key, undefined);
    };
  }
  const wrapped: IndexedGraph = Object.assign(Object.create(Object.getPrototypeOf(index)), index, { fns });
  return { ...plan, index: wrapped };
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

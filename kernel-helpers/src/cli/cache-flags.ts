/** `run --cache DIR` and its behaviour flags, and the summary a cached run writes to stderr. */
import type { CacheBehaviours, CacheEvent } from '../cache/cache';
import type { GraphSnapshot } from '../graph/types';
import { UsageError } from './usage';

/** The behaviours the flags name, checked against the graph; undefined without --cache. */
export function cacheBehaviours(
  dir: string | undefined,
  flags: { recompute?: string[]; disable?: string[]; ignore?: string[] },
  graph: GraphSnapshot
): CacheBehaviours | undefined {
  const lists: Record<string, string[]> = {};
  for (const flag of ['recompute', 'disable', 'ignore'] as const) {
    const names = (flags[flag] ?? []).flatMap(text => text.split(',')).map(n => n.trim()).filter(Boolean);
    if (flags[flag] !== undefined && dir === undefined) {
      throw new UsageError(`--${flag} says what a run does with its cache, and there is none: add --cache DIR.`);
    }
    if (flags[flag] !== undefined && names.length === 0) {
      throw new UsageError(`--${flag} needs node names, separated by commas (or 'all' for --recompute).`);
    }
    const unknown = names.filter(n => !(flag === 'recompute' && n === 'all') && graph.nodes.get(n)?.kind !== 'function');
    if (unknown.length > 0) {
      throw new UsageError(`--${flag}: ${unknown.join(', ')} ${unknown.length > 1 ? 'are not functions' : 'is not a function'} of the module.`);
    }
    lists[flag] = names;
  }
  if (dir === undefined) {
    return undefined;
  }
  if (dir === '') {
    throw new UsageError('--cache needs a DIR: the folder where cached values are kept.');
  }
  return {
    recompute: lists.recompute.includes('all') ? true : lists.recompute,
    disable: lists.disable,
    ignore: lists.ignore
  };
}

const seconds = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`);

/** Collects the cache events of a run and says what the cache did. */
export class CacheSummary {
  private readonly events: CacheEvent[] = [];
  constructor(private readonly write: (text: string) => void, private readonly verbose: boolean) {}

  readonly onEvent = (event: CacheEvent): void => {
    this.events.push(event);
    if (this.verbose) {
      const detail =
        event.status === 'retrieved'
          ? `retrieved, computed ${event.computedAt}, saved ${seconds(event.ms)}`
          : event.status === 'computed'
            ? `computed in ${seconds(event.ms)}, stored`
            : `computed in ${seconds(event.ms)}, not cached: ${event.reason}`;
      this.write(`cache: ${event.node} ${detail}\n`);
    }
  };

  end(damaged: number): void {
    const count = (s: CacheEvent['status']) => this.events.filter(e => e.status === s);
    const retrieved = count('retrieved');
    const saved = retrieved.reduce((sum, e) => sum + e.ms, 0);
    const uncached = count('uncached').length;
    this.write(
      `cache: ${count('computed').length + uncached} computed, ${retrieved.length} retrieved (saved ${seconds(saved)})` +
        (uncached > 0 ? `, ${uncached} not cached` : '') +
        (damaged > 0 ? `, ${damaged} damaged ${damaged > 1 ? 'entries' : 'entry'} recomputed` : '') +
        '\n'
    );
  }
}

/**
 * What the command is doing at this moment: loading a module, running nodes,
 * or done. When the process ends early (a promise nothing will settle, the
 * module calling `process.exit`, Ctrl-C, `--timeout`), the message says what
 * was going on from this. One command runs per process, so one record.
 */

export type Phase = 'starting' | 'loading' | 'running' | 'finishing' | 'done';

const now = () => performance.now();

class Activity {
  phase: Phase = 'starting';
  /** The module being loaded or run, as the user named it. */
  module?: string;
  /** Nodes started and not finished, with when they started. */
  readonly running = new Map<string, number>();
  /** Called when the set of running nodes changes (the timeout watchdog listens). */
  onChange?: (running: string[]) => void;

  loading(module: string): void {
    this.phase = 'loading';
    this.module = module;
  }

  runningNodes(): void {
    this.phase = 'running';
  }

  started(node: string): void {
    this.running.set(node, now());
    this.onChange?.([...this.running.keys()]);
  }

  ended(node: string): void {
    this.running.delete(node);
    this.onChange?.([...this.running.keys()]);
  }

  /** The nodes ran; the result is not out yet. */
  finishing(): void {
    this.phase = 'finishing';
    this.running.clear();
  }

  done(): void {
    if (this.phase !== 'done') {
      this.phase = 'done';
      this.doneAt = now();
    }
    this.running.clear();
  }

  /** When the command finished, if it did. */
  doneAt?: number;

  /** "while running spend (for 2.1 s)", "while loading marketing.ts", or "". */
  describe(): string {
    if (this.phase === 'loading') {
      return ` while loading ${this.module}`;
    }
    if (this.phase === 'running') {
      return this.running.size > 0 ? ` while running ${runningList(this.running)}` : ' while running the dataflow';
    }
    if (this.phase === 'finishing') {
      return ' after the nodes ran';
    }
    return '';
  }
}

/** "spend (for 2.1 s)" or "a (for 1.0 s), b"; the first ten, then a count. */
function runningList(running: ReadonlyMap<string, number>): string {
  const t = now();
  const entries = [...running].slice(0, 10).map(([node, since]) => {
    const seconds = (t - since) / 1000;
    return seconds >= 0.1 ? `${node} (for ${seconds.toFixed(1)} s)` : node;
  });
  return entries.join(', ') + (running.size > 10 ? ` and ${running.size - 10} more` : '');
}

/** What this process's command is doing. */
export const activity = new Activity();

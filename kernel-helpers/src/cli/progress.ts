/**
 * `dagcells run --progress`: a log a person can read in an orchestrator's task
 * log. On stderr (stdout stays the result alone): what the run computes, which
 * values came from upstream runs, each node as it starts and finishes with its
 * time, and for a failure the node, its message and the shapes of its inputs.
 */
import type { ExecutionEvent } from '../driver';
import { describeShape } from '../values/shape';

const PREFIX = '[dagcells]';

/** What the reporter needs to know of the run. */
export interface ProgressContext {
  /** The parameters of each function node, to show a failing node's inputs. */
  dependenciesOf: (node: string) => readonly string[];
  /** Values given before the run (inputs, config, overrides, upstream values), by name. */
  given: Readonly<Record<string, unknown>>;
}

/** A reporter for one run: `onEvent` for the Driver, and lines for the run's beginning and end. */
export class Progress {
  private readonly shapes = new Map<string, string>();
  private readonly startedAt = new Map<string, number>();
  private readonly began = Date.now();

  constructor(
    private readonly write: (text: string) => void,
    private readonly context: ProgressContext
  ) {}

  /** A line of its own, prefixed. */
  line(text: string): void {
    this.write(`${PREFIX} ${text.replace(/[\r\n\u2028\u2029]+/g, ' ')}\n`);
  }

  /** The run's opening lines: the module, the outputs, and what upstream runs delivered. */
  begin(module: string, outputs: readonly string[], upstream: ReadonlyMap<string, string>): void {
    this.line(`run ${module}: ${outputs.join(', ')}`);
    const byFile = new Map<string, string[]>();
    for (const [name, file] of upstream) {
      byFile.set(file, [...(byFile.get(file) ?? []), name]);
    }
    for (const [file, names] of byFile) {
      this.line(`from upstream ${file}: ${names.join(', ')} (not computed again)`);
    }
  }

  readonly onEvent = (event: ExecutionEvent): void => {
    const time = new Date().toISOString().slice(11, 23);
    switch (event.type) {
      case 'node-started':
        this.startedAt.set(event.node, Date.now());
        this.line(`${time} start  ${event.node}`);
        break;
      case 'node-finished': {
        const shape = describeShape(event.value);
        this.shapes.set(event.node, shape);
        this.line(`${time} finish ${event.node} in ${ms(event.ms)}: ${shape}`);
        break;
      }
      case 'node-failed':
        this.line(`${time} FAILED ${event.node} after ${ms(event.ms)}: ${messageOf(event.error)}`);
        this.line(`  its inputs: ${this.inputsOf(event.node)}`);
        break;
    }
  };

  /** The closing line: what was delivered, where, and how long the process took. */
  end(delivered: readonly string[], file: string | undefined, bytes: number): void {
    const where = file ? ` to ${file} (${size(bytes)})` : '';
    this.line(
      `delivered ${delivered.join(', ')}${where} in ${ms(Date.now() - this.began)} ` +
        `(the process ran ${ms(process.uptime() * 1000)}, Node start-up included)`
    );
  }

  private inputsOf(node: string): string {
    const names = this.context.dependenciesOf(node);
    if (names.length === 0) {
      return 'none';
    }
    return names
      .map(name => {
        const given = Object.prototype.hasOwnProperty.call(this.context.given, name);
        const shape = this.shapes.get(name) ?? (given ? describeShape(this.context.given[name]) : 'not given (optional)');
        return `${name} = ${shape}`;
      })
      .join('; ');
  }
}

function ms(value: number): string {
  return value < 10 ? `${value.toFixed(2)} ms` : value < 10000 ? `${Math.round(value)} ms` : `${(value / 1000).toFixed(1)} s`;
}

function size(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} kB` : `${(bytes / 1048576).toFixed(1)} MB`;
}

function messageOf(error: unknown): string {
  if (error instanceof Error) {
    return error.message;
  }
  return typeof error === 'string' ? error : String(error);
}

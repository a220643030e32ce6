/** The `run` and `graph` commands. */
import type { SourceAnalysis } from '../analysis/types';
import { Driver } from '../driver';
import type { ExecutionEvent } from '../driver/run';
import { activity } from './activity';
import { namesArgument, parseFlags, secondsArgument } from './args';
import { readAssignments, resolveAssignments } from './assignments';
import { limitTime } from './guard';
import { deliver, deliveredText, readUpstream } from './handover';
import { cacheBehaviours, CacheSummary } from './cache-flags';
import { callNodeInterruptibly } from './interruptible';
import { loadModule } from './load';
import { Progress } from './progress';
import { GRAPH_HELP, RUN_HELP, UsageError } from './usage';
import { outputsToJSON } from './values';

/** What a command writes; the entry point prints it. */
export interface Output {
  stdout: string;
}

export async function runCommand(argv: string[]): Promise<Output> {
  const { values, positionals } = parseFlags(argv, {
    outputs: { type: 'string', multiple: true },
    inputs: { type: 'string', multiple: true },
    config: { type: 'string', multiple: true },
    overrides: { type: 'string', multiple: true },
    from: { type: 'string', multiple: true },
    deliver: { type: 'string' },
    progress: { type: 'boolean' },
    timeout: { type: 'string' },
    strict: { type: 'boolean' },
    verbose: { type: 'boolean' },
    cache: { type: 'string' },
    recompute: { type: 'string', multiple: true },
    disable: { type: 'string', multiple: true },
    ignore: { type: 'string', multiple: true },
    help: { type: 'boolean', short: 'h' }
  });
  if (values.help) {
    return { stdout: RUN_HELP + '\n' };
  }
  tooManyPositionals(positionals, 'run');
  const outputs = namesArgument('--outputs', values.outputs as string[] | undefined);
  const givenInputs = readAssignments('--inputs', values.inputs as string[] | undefined);
  const givenOverrides = readAssignments('--overrides', values.overrides as string[] | undefined);
  const givenConfig = readAssignments('--config', values.config as string[] | undefined);
  const timeout = secondsArgument('--timeout', values.timeout as string | undefined);
  const deliverTo = values.deliver as string | undefined;
  if (deliverTo === '') {
    throw new UsageError('--deliver needs a FILE: where to write the delivered outputs.');
  }
  if (timeout !== undefined) {
    limitTime(timeout);
  }
  const upstream = readUpstream((values.from as string[] | undefined) ?? []);
  for (const name of givenOverrides?.keys() ?? []) {
    if (upstream.source.has(name)) {
      throw new UsageError(`${name} is given by --overrides and by --from ${upstream.source.get(name)}; give it once.`);
    }
  }
  const { module, analysis, file } = await loadModule(positionals[0], { strict: values.strict as boolean | undefined });
  // key=value texts are read knowing the types the module declares (region=123 is "123" for a string).
  const types = declaredTypes(analysis);
  const inputs = resolveAssignments(givenInputs, types.parameter);
  const given = resolveAssignments(givenOverrides, types.returned);
  const config = resolveAssignments(givenConfig, types.parameter);
  const overrides = upstream.source.size > 0 ? { ...upstream.values, ...given } : given;
  const cacheDir = values.cache as string | undefined;
  const driver = Driver.fromModule(module, { analysis, file, config, ...(cacheDir ? { cache: { dir: cacheDir } } : {}) });
  const behaviours = cacheBehaviours(cacheDir, values as { recompute?: string[]; disable?: string[]; ignore?: string[] }, driver.graph);
  const summary = behaviours ? new CacheSummary(text => process.stderr.write(text), Boolean(values.verbose)) : undefined;
  const progress = values.progress
    ? new Progress(text => process.stderr.write(text), {
        dependenciesOf: node => driver.graph.nodes.get(node)?.dependencies.map(d => d.name) ?? [],
        given: { ...config, ...inputs, ...overrides }
      })
    : undefined;
  progress?.begin(positionals[0] ?? file, outputs, upstream.source);
  activity.runningNodes();
  const track = (event: ExecutionEvent) => {
    if (event.type === 'node-warning') {
      // A `warn` check: the run goes on, and the warning goes to stderr with the node.
      process.stderr.write(`warning: ${event.message}\n`);
    } else if (event.type === 'node-started') {
      activity.started(event.node);
    } else if (event.type === 'node-cache') {
      summary?.onEvent(event);
    } else {
      activity.ended(event.node);
    }
  };
  const result = await driver.execute(outputs, {
    inputs,
    overrides,
    callNode: callNodeInterruptibly,
    ...(behaviours ? { cache: behaviours } : {}),
    onEvent: progress
      ? event => {
          track(event);
          progress.onEvent(event);
        }
      : track
  });
  activity.finishing();
  summary?.end(driver.cache?.damaged.length ?? 0);
  // One turn of the event loop: a promise the nodes rejected without handling
  // it is reported now, before a result is printed (see guard.ts).
  await new Promise(resolve => setImmediate(resolve));
  if (deliverTo === undefined) {
    const text = JSON.stringify(outputsToJSON(result, outputs));
    progress?.end(outputs, undefined, 0);
    return { stdout: text + '\n' };
  }
  const text = deliveredText(result);
  deliver(deliverTo, text);
  progress?.end(outputs, deliverTo, Buffer.byteLength(text) + 1);
  return { stdout: text + '\n' };
}

export async function graphCommand(argv: string[]): Promise<Output> {
  const { values, positionals } = parseFlags(argv, {
    format: { type: 'string' },
    config: { type: 'string', multiple: true },
    verbose: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' }
  });
  if (values.help) {
    return { stdout: GRAPH_HELP + '\n' };
  }
  tooManyPositionals(positionals, 'graph');
  const format = (values.format as string | undefined) ?? 'dot';
  if (format !== 'dot' && format !== 'json') {
    throw new UsageError(`--format: '${format}' is not a format; use dot or json.`);
  }
  const givenConfig = readAssignments('--config', values.config as string[] | undefined);
  const { module, analysis, file } = await loadModule(positionals[0]);
  const driver = Driver.fromModule(module, {
    analysis,
    file,
    config: resolveAssignments(givenConfig, declaredTypes(analysis).parameter)
  });
  return { stdout: format === 'json' ? JSON.stringify(driver.toJSON(), null, 2) + '\n' : driver.toDot() };
}

/** The types the module declares: of the parameters named so (inputs, config), and of what a function returns (overrides). */
export function declaredTypes(analysis: SourceAnalysis) {
  const parameters = new Map<string, string[]>();
  const returns = new Map<string, string[]>();
  for (const fn of analysis.functions) {
    if (fn.valueType) {
      returns.set(fn.name, [...(returns.get(fn.name) ?? []), fn.valueType]);
    }
    for (const param of fn.params) {
      if (param.type && !param.pattern) {
        parameters.set(param.name, [...(parameters.get(param.name) ?? []), param.type]);
      }
    }
  }
  return {
    parameter: (key: string) => parameters.get(key) ?? [],
    returned: (key: string) => returns.get(key) ?? []
  };
}

function tooManyPositionals(positionals: string[], command: string): void {
  if (positionals.length > 1) {
    throw new UsageError(`${command} takes one MODULE, got ${positionals.length}: ${positionals.join(' ')}.`);
  }
}

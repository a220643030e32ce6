/** The `run` and `graph` commands. */
import { Driver } from '../driver';
import { configArgument, jsonObjectArgument, namesArgument, parseFlags } from './args';
import { deliver, deliveredText, readUpstream } from './handover';
import { loadModule } from './load';
import { Progress } from './progress';
import { GRAPH_HELP, RUN_HELP, UsageError } from './usage';
import { toJSONValue } from './values';

/** What a command writes; the entry point prints it. */
export interface Output {
  stdout: string;
}

export async function runCommand(argv: string[]): Promise<Output> {
  const { values, positionals } = parseFlags(argv, {
    outputs: { type: 'string' },
    inputs: { type: 'string' },
    config: { type: 'string' },
    overrides: { type: 'string' },
    from: { type: 'string', multiple: true },
    deliver: { type: 'string' },
    progress: { type: 'boolean' },
    verbose: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' }
  });
  if (values.help) {
    return { stdout: RUN_HELP + '\n' };
  }
  tooManyPositionals(positionals, 'run');
  const outputs = namesArgument('--outputs', values.outputs as string | undefined);
  const inputs = jsonObjectArgument('--inputs', values.inputs as string | undefined);
  const given = jsonObjectArgument('--overrides', values.overrides as string | undefined);
  const config = configArgument(values.config as string | undefined);
  const deliverTo = values.deliver as string | undefined;
  if (deliverTo === '') {
    throw new UsageError('--deliver needs a FILE: where to write the delivered outputs.');
  }
  const upstream = readUpstream((values.from as string[] | undefined) ?? []);
  for (const name of Object.keys(given ?? {})) {
    if (upstream.source.has(name)) {
      throw new UsageError(`${name} is given by --overrides and by --from ${upstream.source.get(name)}; give it once.`);
    }
  }
  const overrides = upstream.source.size > 0 ? { ...upstream.values, ...given } : given;
  const { module, analysis, file } = await loadModule(positionals[0]);
  const driver = Driver.fromModule(module, { analysis, file, config });
  const progress = values.progress
    ? new Progress(text => process.stderr.write(text), {
        dependenciesOf: node => driver.graph.nodes.get(node)?.dependencies.map(d => d.name) ?? [],
        given: { ...config, ...inputs, ...overrides }
      })
    : undefined;
  progress?.begin(positionals[0] ?? file, outputs, upstream.source);
  const result = await driver.execute(outputs, { inputs, overrides, onEvent: progress?.onEvent });
  if (deliverTo === undefined) {
    progress?.end(outputs, undefined, 0);
    return { stdout: JSON.stringify(toJSONValue(result)) + '\n' };
  }
  const text = deliveredText(result);
  deliver(deliverTo, text);
  progress?.end(outputs, deliverTo, Buffer.byteLength(text) + 1);
  return { stdout: text + '\n' };
}

export async function graphCommand(argv: string[]): Promise<Output> {
  const { values, positionals } = parseFlags(argv, {
    format: { type: 'string' },
    config: { type: 'string' },
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
  const { module, analysis, file } = await loadModule(positionals[0]);
  const driver = Driver.fromModule(module, { analysis, file, config: configArgument(values.config as string | undefined) });
  return { stdout: format === 'json' ? JSON.stringify(driver.toJSON(), null, 2) + '\n' : driver.toDot() };
}

function tooManyPositionals(positionals: string[], command: string): void {
  if (positionals.length > 1) {
    throw new UsageError(`${command} takes one MODULE, got ${positionals.length}: ${positionals.join(' ')}.`);
  }
}

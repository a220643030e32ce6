/** The `run` and `graph` commands. */
import { Driver } from '../driver';
import { configArgument, jsonObjectArgument, namesArgument, parseFlags } from './args';
import { loadModule } from './load';
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
    verbose: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' }
  });
  if (values.help) {
    return { stdout: RUN_HELP + '\n' };
  }
  tooManyPositionals(positionals, 'run');
  const outputs = namesArgument('--outputs', values.outputs as string | undefined);
  const inputs = jsonObjectArgument('--inputs', values.inputs as string | undefined);
  const overrides = jsonObjectArgument('--overrides', values.overrides as string | undefined);
  const config = configArgument(values.config as string | undefined);
  const { module, analysis, file } = await loadModule(positionals[0]);
  const driver = Driver.fromModule(module, { analysis, file, config });
  const result = await driver.execute(outputs, { inputs, overrides });
  return { stdout: JSON.stringify(toJSONValue(result)) + '\n' };
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

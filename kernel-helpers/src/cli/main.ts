/**
 * The command line: `dagcells run`, `dagcells graph`, `dagcells export`.
 * Results go to stdout alone (whatever the module logs goes to stderr, so
 * stdout stays one JSON object); failures are one paragraph on stderr naming
 * the node or argument at fault, exit 1; usage errors exit 2; Ctrl-C exits 130.
 */
import { isDagError } from '../errors';
import { activity } from './activity';
import { graphCommand, runCommand, Output } from './commands';
import { timeoutSeconds } from './timeout';
import { Failure, MAIN_HELP, UsageError } from './usage';

type Command = (argv: string[]) => Promise<Output>;

const COMMANDS: Record<string, Command> = {
  run: runCommand,
  graph: graphCommand
};

/** Registers another subcommand (the notebook export adds `export`). */
export function addCommand(name: string, command: Command): void {
  COMMANDS[name] = command;
}

interface Streams {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** Runs the command line; resolves to the exit status. */
export async function main(argv: string[], streams: Streams): Promise<number> {
  const [name, ...rest] = argv;
  const verbose = rest.includes('--verbose');
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    (name ? streams.stdout : streams.stderr)(MAIN_HELP + '\n');
    return name ? 0 : 2;
  }
  const command = Object.prototype.hasOwnProperty.call(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    streams.stderr(`dagcells: '${name}' is not a command.\n\n${MAIN_HELP}\n`);
    return 2;
  }
  let output: Output;
  try {
    output = await command(rest);
  } catch (error) {
    const stopped = stopCause(error); // before done(): it says what was going on
    activity.done();
    if (error instanceof UsageError) {
      streams.stderr(`dagcells ${name}: ${error.message}\nRun 'dagcells ${name} --help' for usage.\n`);
      return 2;
    }
    streams.stderr(`dagcells ${name}: ${stopped ? stopped.message : describe(error)}\n`);
    if (verbose) {
      streams.stderr(stackOf(error));
    }
    return stopped ? stopped.code : 1;
  }
  activity.done();
  streams.stdout(output.stdout);
  return 0;
}

function describe(error: unknown): string {
  if (isDagError(error) || error instanceof Failure) {
    return error.message.replace(/\n\s*/g, ' ');
  }
  const message = error instanceof Error ? error.message || error.name : String(error);
  return `unexpected error: ${message} (run with --verbose for details)`;
}

/** A node (or the module's loading) stopped by Ctrl-C or `--timeout`, said as such. */
function stopCause(error: unknown): { message: string; code: number } | undefined {
  const cause = (error as { cause?: unknown })?.cause ?? error;
  const code = (cause as { code?: string })?.code;
  const where = isDagError(error) && error.nodes.length > 0 ? ` while running ${error.nodes.join(', ')}` : activity.describe();
  if (code === 'ERR_SCRIPT_EXECUTION_INTERRUPTED') {
    return { message: `interrupted (Ctrl-C)${where}; no result.`, code: 130 };
  }
  if (code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') {
    return { message: `timed out after ${timeoutSeconds()} s${where}; no result.`, code: 1 };
  }
  return undefined;
}

function stackOf(error: unknown): string {
  let text = '';
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    text += `${depth ? 'Caused by: ' : ''}${current instanceof Error ? current.stack : String(current)}\n`;
    current = (current as { cause?: unknown }).cause;
  }
  return text;
}

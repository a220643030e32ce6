/**
 * The command line: `dagcells run`, `dagcells graph`. Results go to stdout
 * alone (whatever the module logs goes to stderr, so stdout stays one JSON
 * object); failures are one paragraph on stderr naming the node or argument at
 * fault, exit 1; usage errors exit 2.
 */
import { isDagError } from '../errors';
import { graphCommand, runCommand, Output } from './commands';
import { ModuleLoadError } from './load';
import { MAIN_HELP, UsageError } from './usage';

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
  const command = COMMANDS[name];
  if (!command) {
    streams.stderr(`dagcells: '${name}' is not a command.\n\n${MAIN_HELP}\n`);
    return 2;
  }
  const restore = logToStderr(streams.stderr);
  try {
    const output = await command(rest);
    restore();
    streams.stdout(output.stdout);
    return 0;
  } catch (error) {
    restore();
    if (error instanceof UsageError) {
      streams.stderr(`dagcells ${name}: ${error.message}\nRun 'dagcells ${name} --help' for usage.\n`);
      return 2;
    }
    streams.stderr(`dagcells ${name}: ${describe(error)}\n`);
    if (verbose) {
      streams.stderr(stackOf(error));
    }
    return 1;
  }
}

function describe(error: unknown): string {
  if (isDagError(error) || error instanceof ModuleLoadError) {
    return error.message.replace(/\n\s*/g, ' ');
  }
  return `unexpected error: ${error instanceof Error ? error.message : String(error)} (run with --verbose for details)`;
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

/** While a module runs, what it logs goes to stderr: stdout carries only the result. */
function logToStderr(stderr: (text: string) => void): () => void {
  const saved = { log: console.log, info: console.info, debug: console.debug };
  const redirect = (...args: unknown[]) => {
    const { format } = require('util') as typeof import('util');
    stderr(format(...args) + '\n');
  };
  console.log = console.info = console.debug = redirect;
  return () => Object.assign(console, saved);
}

/**
 * The command line's guard over the whole process, so that it never ends with
 * exit 0 and no result, and stdout carries the result alone:
 * - stdout is taken over: whatever the module writes (`console.log`,
 *   `console.dir`, `process.stdout.write`) goes to stderr, and only the command's
 *   own output reaches stdout;
 * - the event loop running empty while the command waits means a promise that
 *   nothing will ever settle: the message names the nodes that returned it, or
 *   the module whose top-level await never settled;
 * - `process.exit` called by the module (while loading or in a node) ends the
 *   process with exit 1 and a message saying what was running;
 * - Ctrl-C (SIGINT) prints what was running, exit 130;
 * - a rejection nothing handled, or an exception thrown from a callback, is one
 *   paragraph (its stack only with `--verbose`), exit 1.
 */
import { writeSync } from 'fs';

import { activity } from './activity';
import { startTimeout } from './timeout';

export interface Guard {
  /** Writes to the real stdout. */
  stdout: (text: string) => void;
  /** Writes to stderr. */
  stderr: (text: string) => void;
}

/** Ends the command early with a message; set while a guard is installed. */
let end: ((message: string, code: number, exitNow: boolean) => void) | undefined;

/** Installs the guard for a command (`undefined`: no command was named); returns the streams to write with. */
export function guardProcess(command: string | undefined, verbose: boolean): Guard {
  const prefix = command ? `dagcells ${command}: ` : 'dagcells: ';
  const stderr = (text: string) => writeAll(2, text);
  const stdout = takeOverStdout(stderr);
  let ended = false;
  /** Reports once. */
  end = (message: string, code: number, exitNow: boolean) => {
    if (ended) {
      return;
    }
    ended = true;
    stderr(prefix + message + '\n');
    process.exitCode = code;
    if (exitNow) {
      process.exit(code);
    }
  };

  process.on('beforeExit', () => {
    if (activity.phase !== 'done') {
      end?.(neverSettled(), 1, false);
    }
  });
  process.on('exit', code => {
    if (activity.phase !== 'done' && !ended) {
      ended = true;
      stderr(`${prefix}the module ended the process (process.exit(${code}))${activity.describe()}; no result.\n`);
      process.exitCode = 1;
    }
  });
  process.on('SIGINT', () => end?.(`interrupted (Ctrl-C)${activity.describe()}; no result.`, 130, true));
  const stray = (what: string) => (error: unknown) => {
    const message = (error instanceof Error ? error.message || error.name : String(error)).replace(/\.$/, '');
    const stack = verbose && error instanceof Error && error.stack ? `\n${error.stack}` : '';
    const result = activity.phase === 'done' ? ' The result was printed before it.' : ' No result.';
    end?.(`${what}${activity.describe()}: ${message}.${result}${stack}`, 1, true);
  };
  process.on('unhandledRejection', stray('a promise was rejected and nothing handled the rejection'));
  process.on('uncaughtException', stray('a callback threw and nothing caught it'));

  timeoutPrefix = prefix;
  return { stdout, stderr };
}

let timeoutPrefix = 'dagcells: ';

/** `--timeout SECONDS`: ends the command at the deadline, naming what was running. */
export function limitTime(seconds: number): void {
  startTimeout(seconds, timeoutPrefix, () => {
    if (activity.phase === 'done') {
      // The command's outcome is out; what keeps the process is the module's (a timer, an open handle).
      // Just finished: the process was ending anyway, and has nothing to add.
      const code = Number(process.exitCode ?? 0);
      const lingered = performance.now() - (activity.doneAt ?? 0) > 100;
      if (lingered) {
        end?.(`the command finished, but the module kept the process running past --timeout ${seconds}; exiting.`, code, true);
      }
      process.exit(code);
    } else {
      end?.(`timed out after ${seconds} s${activity.describe()}; no result.`, 1, true);
    }
  });
}

/** Why the command cannot finish, when nothing is left to run. */
function neverSettled(): string {
  if (activity.phase === 'loading') {
    return `${activity.module} never finished loading: a top-level await in it waits for a promise that nothing will settle; no result.`;
  }
  const running = [...activity.running.keys()];
  if (running.length > 0) {
    const [first] = running;
    const names = running.length === 1 ? first : `${running.slice(0, -1).join(', ')} and ${running[running.length - 1]}`;
    return (
      `${names} never settled: ${running.length === 1 ? 'it returned a promise' : 'they returned promises'} ` +
      `that nothing will resolve (the process had nothing left to do); no result.`
    );
  }
  return 'the command stopped before it finished (the process had nothing left to do); no result.';
}

/**
 * Sends what the module writes to stdout to stderr instead, for the rest of the
 * process; returns a writer to the real stdout.
 */
function takeOverStdout(stderr: (text: string) => void): (text: string) => void {
  const stream = process.stdout;
  stream.write = ((chunk: unknown, encoding?: unknown, callback?: unknown) => {
    const done = typeof encoding === 'function' ? encoding : callback;
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString(typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
    stderr(text);
    if (typeof done === 'function') {
      process.nextTick(done as () => void);
    }
    return true;
  }) as typeof stream.write;
  return text => writeAll(1, text);
}

/** Writes all of `text` synchronously: the result must be out before the process ends, however it ends. */
function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  for (let at = 0; at < bytes.length; ) {
    try {
      at += writeSync(fd, bytes, at, bytes.length - at);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EAGAIN') {
        continue; // a non-blocking pipe that is full: try again
      }
      if ((error as NodeJS.ErrnoException).code === 'EPIPE') {
        return; // the reader went away (| head): nothing more to write
      }
      throw error;
    }
  }
}

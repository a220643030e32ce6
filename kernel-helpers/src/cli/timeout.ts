/**
 * `--timeout SECONDS`: the whole command (loading the module, running nodes)
 * is bounded. Three layers, because a busy node can hold the event loop:
 * - a timer (unref'd, so it never keeps the process alive by itself) ends the
 *   command with a message naming what was running;
 * - a synchronous call into the module is given what is left as a `vm`
 *   timeout (see interruptible.ts), so a loop that never ends is stopped;
 * - a watchdog thread, for what neither can stop (a busy loop after an
 *   `await`, outside any call dagcells makes): past the deadline and a grace
 *   second, it writes the message itself and kills the process (SIGKILL).
 */
import { writeSync } from 'fs';

import { activity } from './activity';

let deadline: number | undefined;
let seconds: number | undefined;

const GRACE_MS = 1000;

/** Milliseconds left before `--timeout`; `undefined` without one. */
export function remainingMs(): number | undefined {
  return deadline === undefined ? undefined : deadline - performance.now();
}

/** The `--timeout` given, in seconds, if any. */
export function timeoutSeconds(): number | undefined {
  return seconds;
}

/** Starts the bound: `expire` is called at the deadline (unless the process ended first). */
export function startTimeout(limit: number, prefix: string, expire: () => void): void {
  seconds = limit;
  const ms = limit * 1000;
  deadline = performance.now() + ms;
  setTimeout(expire, ms).unref();
  startWatchdog(ms + GRACE_MS, `${prefix}timed out after ${limit} s`);
}

/** The thread that ends a process whose event loop stays blocked past the deadline. */
function startWatchdog(ms: number, message: string): void {
  // Loaded only with --timeout: a thread costs some milliseconds to start.
  const { Worker } = require('worker_threads') as typeof import('worker_threads');
  const code = `
    const { parentPort, workerData } = require('worker_threads');
    const { writeSync } = require('fs');
    let running = [];
    parentPort.on('message', names => { running = names; });
    setTimeout(() => {
      const what = running.length ? ' while running ' + running.join(', ') : '';
      writeSync(2, workerData.message + what + ', with the event loop blocked, so the process was killed; no result.\\n');
      process.kill(workerData.pid, 'SIGKILL');
    }, workerData.ms);`;
  try {
    const worker = new Worker(code, { eval: true, workerData: { ms, message, pid: process.pid } });
    worker.unref();
    activity.onChange = names => worker.postMessage(names);
  } catch (error) {
    writeSync(2, `${message.replace(/timed out.*$/, '')}warning: no watchdog thread (${(error as Error).message}); a node that blocks the event loop is not bounded.\n`);
  }
}

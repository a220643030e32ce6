/**
 * What every benchmark shares: a clock, summary statistics, the machine's
 * description, the runtime under test, and markdown tables for BENCHMARKS.md.
 */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root folder. */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Requires a module as the dagcells package resolves it: the built runtime
 * (`kernel-helpers/dist`, as users load it) and its own `typescript`, so a
 * floor measured with TypeScript uses the very parser the analysis uses.
 */
export const requireRuntime = createRequire(join(ROOT, 'kernel-helpers', 'package.json'));

/** Milliseconds, with sub-microsecond resolution. */
export function now() {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** A full collection when Node runs with --expose-gc, so one measurement does not pay for another's garbage. */
export function collect() {
  if (typeof globalThis.gc === 'function') {
    globalThis.gc();
  }
}

/** The value at quantile q (0..1) of some numbers, by the nearest-rank method. */
export function quantile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[rank - 1];
}

export function median(values) {
  return quantile(values, 0.5);
}

/** Fixed-point text for a table cell; small figures keep more digits. */
export function fmt(value, digits) {
  if (!Number.isFinite(value)) {
    return String(value);
  }
  const places = digits ?? (Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : Math.abs(value) >= 1 ? 2 : 3);
  return value.toFixed(places);
}

/** A markdown table: a header row and rows of cells. */
export function table(header, rows) {
  const line = cells => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** One line naming the machine and the runtimes, for the heading of a result. */
export function machine() {
  const cpus = os.cpus();
  const git = (...args) => {
    try {
      return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      return 'unknown';
    }
  };
  return (
    `${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${cpus.length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GB, ` +
    `${os.type()} ${os.release()}; Node ${process.versions.node}; ` +
    `TypeScript ${requireRuntime('typescript').version}; commit ${git('rev-parse', '--short', 'HEAD')}` +
    (git('status', '--porcelain', '--', 'kernel-helpers/src') ? ' (runtime sources modified)' : '')
  );
}

/**
 * Numeric options (`--runs 7`): each flag of `defaults` takes a positive
 * number; anything else is an error naming the script whose top explains them.
 */
export function numericOptions(argv, defaults, script) {
  const parsed = { ...defaults };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], Number(argv[i + 1])];
    if (!flag.startsWith('--') || !(flag.slice(2) in defaults) || !(value > 0)) {
      throw new Error(`unknown option or bad value: ${argv.slice(i, i + 2).join(' ')}; see the top of ${script}.`);
    }
    parsed[flag.slice(2)] = value;
  }
  return parsed;
}

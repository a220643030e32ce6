/**
 * Handing values over between runs in separate processes (the tasks of an
 * orchestrator): `dagcells run --from FILE` reads what an upstream run
 * delivered, `--deliver FILE` writes what this one computes. Both files hold
 * one object `{ output: value }` in the faithful value codec (../values), so
 * NaN, Dates, Maps, typed arrays and BigInts arrive as they left.
 */
import { readFileSync } from 'fs';

import { parseRecord, stringifyRecord, ValueCodecError } from '../values';
import { ModuleLoadError } from './load';
import { fileProblem, writeWhole } from './write-whole';

/** A hand-over file that cannot be read or written, or a value that cannot be handed over: exit 1. */
export class HandOverError extends ModuleLoadError {}

/** Values read from upstream runs, and the file each came from. */
export interface Upstream {
  values: Record<string, unknown>;
  source: Map<string, string>;
}

/** Reads every `--from` file; a name two files both deliver is refused (which one would be meant?). */
export function readUpstream(files: readonly string[]): Upstream {
  const values: Record<string, unknown> = {};
  const source = new Map<string, string>();
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new HandOverError(
        `--from ${file}: cannot read it (${fileProblem(error)}). It holds what an upstream run delivered; ` +
          'run that first (in Airflow: its upstream task, for the same run id).'
      );
    }
    let record: Record<string, unknown>;
    try {
      record = parseRecord(text, file);
    } catch (error) {
      if (!(error instanceof ValueCodecError)) {
        throw error;
      }
      // The file is named once: a problem of the file as a whole has the file as its path.
      const problem = error.path === file ? error.message.slice(file.length + 2) : error.message;
      throw new HandOverError(`--from ${file}: ${problem}.`);
    }
    for (const name of Object.keys(record)) {
      const earlier = source.get(name);
      if (earlier !== undefined) {
        throw new HandOverError(`--from: ${name} is delivered by both ${earlier} and ${file}; give each value from one file only.`);
      }
      source.set(name, file);
      Object.defineProperty(values, name, { value: record[name], enumerable: true, writable: true, configurable: true });
    }
  }
  return { values, source };
}

/**
 * The delivered object as one line of text: what `--deliver` writes, and what
 * the run prints on stdout, so an orchestrator's record of stdout (Airflow's
 * XCom) holds what the file holds.
 */
export function deliveredText(result: Record<string, unknown>): string {
  try {
    return stringifyRecord(result);
  } catch (error) {
    if (error instanceof ValueCodecError) {
      throw new HandOverError(
        `cannot deliver ${error.message}. Compute its consumers in the same run (the same Airflow task), ` +
          'or make it a plain value (JSON, Date, Map, Set, typed arrays, BigInt) before handing it over.'
      );
    }
    throw error;
  }
}

/** Writes the delivered text to `file`, whole or not at all, making its folder. */
export function deliver(file: string, text: string): void {
  try {
    writeWhole(file, text + '\n', { makeFolder: true });
  } catch (error) {
    throw new HandOverError(`--deliver ${file}: cannot write it (${fileProblem(error)}); nothing was delivered.`);
  }
}

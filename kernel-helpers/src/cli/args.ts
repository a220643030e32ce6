/** Reading the command line: flags, with usage errors that name the flag. */
import { parseArgs } from 'util';

import { readAssignments, readJsonObject, resolveAssignments } from './assignments';
import { UsageError } from './usage';

type Options = Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>;

/**
 * Parses flags strictly: an unknown flag or a missing value is a usage error
 * naming it, and so is a flag given twice unless it is `multiple` (whose
 * repeats are merged by the command).
 */
export function parseFlags(argv: string[], options: Options) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true, tokens: true });
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/\. To specify a positional argument.*$/s, '.'));
  }
  const seen = new Set<string>();
  for (const token of parsed.tokens) {
    if (token.kind !== 'option') {
      continue;
    }
    if (seen.has(token.name) && !options[token.name]?.multiple) {
      throw new UsageError(`--${token.name} is given twice; give it once.`);
    }
    seen.add(token.name);
  }
  return { values: parsed.values, positionals: parsed.positionals };
}

/** `a,b` as names (every repeat of the flag), without blanks; a usage error when empty or repeated. */
export function namesArgument(flag: string, texts: readonly string[] | undefined): string[] {
  const names = (texts ?? []).flatMap(text => text.split(',')).map(n => n.trim()).filter(Boolean);
  if (names.length === 0) {
    throw new UsageError(`${flag} is required: the nodes to compute, separated by commas (e.g. ${flag} spend_mean,spend_std_dev).`);
  }
  const repeated = names.find((name, i) => names.indexOf(name) !== i);
  if (repeated !== undefined) {
    throw new UsageError(`${flag}: ${repeated} is given twice; give each name once.`);
  }
  return names;
}

/** `--timeout SECONDS`: a positive number of seconds. */
export function secondsArgument(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) {
    return undefined;
  }
  const seconds = Number(text.trim());
  if (text.trim() === '' || !Number.isFinite(seconds) || seconds <= 0) {
    throw new UsageError(`${flag}: '${text}' is not a number of seconds; give a positive number, e.g. ${flag} 60.`);
  }
  return seconds;
}

/** A JSON object given inline or as `@path` (`flag` names it in messages); `undefined` when not given. */
export function jsonObjectArgument(flag: string, text: string | undefined): Record<string, unknown> | undefined {
  return text === undefined ? undefined : readJsonObject(flag, text.trim());
}

/** `--config` VALUES (see assignments.ts), read without knowing the module's types. */
export function configArgument(text: string | undefined): Record<string, unknown> | undefined {
  return resolveAssignments(readAssignments('--config', text === undefined ? undefined : [text]), () => []);
}

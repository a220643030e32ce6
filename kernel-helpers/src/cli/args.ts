/** Reading the command line: flags, JSON arguments and @files, with usage errors that name the flag. */
import { readFileSync } from 'fs';
import { parseArgs } from 'util';

import { UsageError } from './usage';

type Options = Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>;

/** Parses flags strictly: an unknown flag or a missing value is a usage error naming it. */
export function parseFlags(argv: string[], options: Options) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/\. To specify a positional argument.*$/s, '.'));
  }
}

/** A JSON object given inline or as `@path`; `flag` names it in messages. */
export function jsonObjectArgument(flag: string, text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) {
    return undefined;
  }
  let json = text;
  if (text.startsWith('@')) {
    const path = text.slice(1);
    try {
      json = readFileSync(path, 'utf8');
    } catch (error) {
      throw new UsageError(`${flag}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
    }
  }
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new UsageError(`${flag}: not valid JSON (${(error as Error).message}). Give a JSON object, e.g. ${flag} '{"raw_spend": [1, 2]}', or @file.json.`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new UsageError(`${flag}: expected a JSON object of name: value, got ${Array.isArray(value) ? 'an array' : JSON.stringify(value)}.`);
  }
  return value as Record<string, unknown>;
}

/** Config as JSON (or @file) or as `key=value,key=value` with values parsed as JSON when they can be. */
export function configArgument(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined || text.trimStart().startsWith('{') || text.startsWith('@')) {
    return jsonObjectArgument('--config', text);
  }
  const config: Record<string, unknown> = {};
  for (const pair of text.split(',')) {
    const at = pair.indexOf('=');
    if (at <= 0) {
      throw new UsageError(`--config: '${pair}' is not key=value. Give key=value pairs separated by commas, or a JSON object.`);
    }
    const key = pair.slice(0, at).trim();
    const raw = pair.slice(at + 1);
    try {
      config[key] = JSON.parse(raw);
    } catch {
      config[key] = raw;
    }
  }
  return config;
}

/** `a,b` as names, without blanks; a usage error when empty. */
export function namesArgument(flag: string, text: string | undefined): string[] {
  const names = (text ?? '').split(',').map(n => n.trim()).filter(Boolean);
  if (names.length === 0) {
    throw new UsageError(`${flag} is required: the nodes to compute, separated by commas (e.g. ${flag} spend_mean,spend_std_dev).`);
  }
  return names;
}

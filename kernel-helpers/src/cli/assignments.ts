/**
 * Values given on the command line (`--inputs`, `--config`, `--overrides`):
 * a JSON object, `@file.json`, or `key=value` pairs. The rules, which the `run`
 * help states too:
 * - Pairs are separated by commas, except inside brackets, braces and double
 *   quotes: `flags=[1,2],region="US,EU",limits={"a":1,"b":2}`.
 * - Keys and values are trimmed. A value is JSON when it reads as JSON
 *   (`n=3`, `on=true`, `xs=[1,2]`, `name="A B"`), else the text itself
 *   (`region=US`), except where the module declares the parameter a string
 *   (`region: string`, `"US" | "EU"`): then it is the text (`region=123` is "123").
 * - A flag may be repeated (`--config a=1 --config b=2`): the values are merged.
 *   A key given twice, in one flag or across repeats, is a usage error.
 * - A file may start with a byte order mark (Windows editors write one).
 */
import { readFileSync } from 'fs';

import { valueMatchesType } from '../driver/value-types';
import { UsageError } from './usage';

/** One key's value as given: JSON already read, or the text of a `key=value` pair. */
export type GivenValue = { json: unknown } | { text: string };

/** Every key given to one flag (all its repeats), in order. */
export type Given = Map<string, GivenValue>;

/** Reads every repeat of a flag; `undefined` when it was not given. */
export function readAssignments(flag: string, texts: readonly string[] | undefined): Given | undefined {
  if (texts === undefined || texts.length === 0) {
    return undefined;
  }
  const given: Given = new Map();
  const add = (key: string, value: GivenValue) => {
    if (given.has(key)) {
      throw new UsageError(`${flag}: ${key} is given twice; give each name once.`);
    }
    given.set(key, value);
  };
  for (const text of texts) {
    const trimmed = text.trim();
    if (trimmed.startsWith('{') || trimmed.startsWith('@') || trimmed.startsWith('[') || (!text.includes('=') && isJSON(trimmed))) {
      for (const [key, value] of Object.entries(readJsonObject(flag, trimmed))) {
        add(key, { json: value });
      }
      continue;
    }
    for (const pair of splitPairs(flag, text)) {
      const at = pair.indexOf('=');
      const key = at > 0 ? pair.slice(0, at).trim() : '';
      if (key === '') {
        throw new UsageError(
          `${flag}: '${pair.trim()}' is not key=value. Give key=value pairs separated by commas, or a JSON object.`
        );
      }
      add(key, { text: pair.slice(at + 1).trim() });
    }
  }
  return given;
}

/**
 * The values, with `key=value` texts read by the rules above; `declared`
 * gives the types the module declares for a key (none when unknown).
 */
export function resolveAssignments(given: Given | undefined, declared: (key: string) => readonly string[]): Record<string, unknown> | undefined {
  if (!given) {
    return undefined;
  }
  const values: Record<string, unknown> = {};
  for (const [key, value] of given) {
    const resolved = 'json' in value ? value.json : readText(value.text, declared(key));
    // defineProperty: a key named __proto__ stays a key.
    Object.defineProperty(values, key, { value: resolved, enumerable: true, writable: true, configurable: true });
  }
  return values;
}

/** A JSON object given inline or as `@path`; `flag` names it in messages. */
export function readJsonObject(flag: string, text: string): Record<string, unknown> {
  let json = text;
  if (text.startsWith('@')) {
    const path = text.slice(1);
    try {
      json = readFileSync(path, 'utf8').replace(/^\ufeff/, '');
    } catch (error) {
      throw new UsageError(`${flag}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
    }
  }
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    const where = text.startsWith('@') ? ` in ${text.slice(1)}` : '';
    throw new UsageError(
      `${flag}: not valid JSON${where} (${(error as Error).message}). Give a JSON object, e.g. ${flag} '{"raw_spend": [1, 2]}', @file.json, or key=value pairs.`
    );
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new UsageError(`${flag}: expected a JSON object of name: value, got ${Array.isArray(value) ? 'an array' : JSON.stringify(value)}.`);
  }
  return value as Record<string, unknown>;
}

function isJSON(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** `a=1,b=[1,2],c="x,y"` as its pairs: commas inside brackets, braces and double quotes do not split. */
function splitPairs(flag: string, text: string): string[] {
  const pairs: string[] = [];
  const closing: string[] = [];
  let inString = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (inString) {
      if (char === '\\') {
        i++;
      } else if (char === '"') {
        inString = false;
      }
    } else if (char === '"') {
      inString = true;
    } else if (char === '[' || char === '{') {
      closing.push(char === '[' ? ']' : '}');
    } else if ((char === ']' || char === '}') && closing[closing.length - 1] === char) {
      closing.pop();
    } else if (char === ',' && closing.length === 0) {
      pairs.push(text.slice(start, i));
      start = i + 1;
    }
  }
  if (inString || closing.length > 0) {
    throw new UsageError(
      `${flag}: ${inString ? 'a double quote' : `'${closing[0] === ']' ? '[' : '{'}'`} is not closed in '${text}'. ` +
        `Quote the whole argument for the shell, e.g. ${flag} 'region="US,EU"'.`
    );
  }
  pairs.push(text.slice(start));
  return pairs.filter(p => p.trim() !== '');
}

/** A `key=value` text as a value, by the rules of this module's comment. */
function readText(text: string, types: readonly string[]): unknown {
  let parsed: { value: unknown } | undefined;
  try {
    parsed = { value: JSON.parse(text) };
  } catch {
    parsed = undefined;
  }
  if (parsed && typeof parsed.value === 'string') {
    return parsed.value; // "US,EU": quoted, a string whatever the type
  }
  if (types.length > 0 && types.every(wantsString)) {
    return text;
  }
  if (!parsed) {
    return text;
  }
  if (types.length > 0 && !types.every(t => valueMatchesType(parsed?.value, t)) && types.every(t => valueMatchesType(text, t))) {
    return text;
  }
  return parsed.value;
}

/** `string`, a string literal type, or a union of them: a type only text can be. */
function wantsString(type: string): boolean {
  return type
    .split('|')
    .map(member => member.trim())
    .every(member => member === 'string' || /^(["'`]).*\1$/.test(member));
}

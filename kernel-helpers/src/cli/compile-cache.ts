/**
 * Compiled modules kept between runs, so that a run of an unchanged module
 * never loads the TypeScript compiler: loading it is most of a cold
 * `dagcells run` (about 0.4 s of 0.8 s), and an orchestrator starts one process
 * per task.
 *
 * Each source file gets one entry: its compiled JavaScript and, for the module
 * a command names, the analysis of its source (types, docs). An entry is used
 * only when the file's text, this package's version and TypeScript's version
 * are the ones it was made from. Entries live under `$XDG_CACHE_HOME/dagcells`
 * (`~/.cache/dagcells`), one folder per user; when that folder cannot be
 * written, runs compile every time and work the same.
 */
import { createHash } from 'crypto';
import { mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'fs';
import { homedir } from 'os';
import { join } from 'path';

import type { SourceAnalysis } from '../analysis/types';

/** A syntax error the compiler found, 1-based; no line when it gave up on the whole file. */
export interface SyntaxProblem {
  line?: number;
  column?: number;
  message: string;
}

/** What compiling a file gives. */
export interface Compiled {
  /** CommonJS, with an inline source map back to the TypeScript. */
  js: string;
  /** The analysis of the source, when it was asked for. */
  analysis?: SourceAnalysis;
  /**
   * The file's syntax errors, if any: its JavaScript is then the compiler's
   * guess at a repair, which must not run (the loader refuses the file).
   */
  syntax?: SyntaxProblem[];
}

/** Bumped whenever what an entry holds, or how it is compiled, changes. */
const FORMAT = 2;

let versions: string | undefined;
let folder: string | null | undefined;
const memo = new Map<string, Compiled>();

/**
 * The compiled form of a file (and its analysis when `analyse`), from the cache
 * when it holds this text, else compiled now and kept.
 */
export function compileCached(file: string, source: string, analyse: boolean): Compiled {
  const key = hash(`${FORMAT}\0${versionsOf()}\0${file}\0${analyse}\0${source}`);
  const known = memo.get(key) ?? read(file, key);
  if (known) {
    memo.set(key, known);
    return known;
  }
  const compiled: Compiled = transpile(file, source);
  if (analyse) {
    const { analyzeSource } = require('../analysis/analyze') as typeof import('../analysis/analyze');
    compiled.analysis = analyzeSource(source, { fileName: file });
  }
  memo.set(key, compiled);
  write(file, key, compiled);
  return compiled;
}

function transpile(file: string, source: string): Compiled {
  const ts = require('typescript') as typeof import('typescript');
  let output: import('typescript').TranspileOutput;
  try {
    output = ts.transpileModule(source, {
      fileName: file,
      reportDiagnostics: true,
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2022,
        esModuleInterop: true,
        jsx: ts.JsxEmit.React,
        inlineSourceMap: true,
        inlineSources: true
      }
    });
  } catch (error) {
    if (error instanceof RangeError) {
      // The compiler is recursive: code nested deeply enough runs it out of stack.
      const message = "the code nests too deeply for TypeScript's compiler, which ran out of stack. Split the deepest expression into smaller named parts.";
      return { js: '', syntax: [{ message }] };
    }
    throw error;
  }
  const syntax = (output.diagnostics ?? [])
    .filter(d => d.category === ts.DiagnosticCategory.Error && d.file && d.start !== undefined)
    .map(d => {
      const { line, character } = (d.file as import('typescript').SourceFile).getLineAndCharacterOfPosition(d.start as number);
      return { line: line + 1, column: character + 1, message: ts.flattenDiagnosticMessageText(d.messageText, ' ') };
    });
  return { js: output.outputText, ...(syntax.length > 0 ? { syntax } : {}) };
}

function versionsOf(): string {
  if (versions === undefined) {
    // Reading the two package.json files costs far less than loading the compiler.
    const own = require('../../package.json') as { version: string };
    const ts = require('typescript/package.json') as { version: string };
    versions = `${own.version}\0${ts.version}`;
  }
  return versions;
}

/** The cache folder, made on first use; null when there is none to be had. */
function cacheFolder(): string | null {
  if (folder === undefined) {
    try {
      const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
      folder = join(base, 'dagcells', 'compiled');
      mkdirSync(folder, { recursive: true, mode: 0o700 });
    } catch {
      folder = null;
    }
  }
  return folder;
}

function entryPath(dir: string, file: string): string {
  return join(dir, `${hash(file).slice(0, 32)}.json`);
}

function read(file: string, key: string): Compiled | undefined {
  const dir = cacheFolder();
  if (!dir) {
    return undefined;
  }
  try {
    const entry = JSON.parse(readFileSync(entryPath(dir, file), 'utf8')) as { key?: string } & Compiled;
    return entry.key === key && typeof entry.js === 'string'
      ? { js: entry.js, analysis: entry.analysis, ...(entry.syntax ? { syntax: entry.syntax } : {}) }
      : undefined;
  } catch {
    return undefined; // none yet, or damaged: compile again
  }
}

/** Written beside, then renamed over: a reader sees a whole entry or none. */
function write(file: string, key: string, compiled: Compiled): void {
  const dir = cacheFolder();
  if (!dir) {
    return;
  }
  const target = entryPath(dir, file);
  const temporary = `${target}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    writeFileSync(temporary, JSON.stringify({ key, ...compiled }), { flag: 'wx', mode: 0o600 });
    renameSync(temporary, target);
  } catch {
    try {
      unlinkSync(temporary);
    } catch {
      // never made
    }
  }
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

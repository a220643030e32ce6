/**
 * Loading a module file and analysing its source for types and docs.
 *
 * TypeScript files are compiled with TypeScript's own transpiler, like tslab
 * compiles cells, through a require hook, so a module that imports other local
 * .ts files or Node built-ins just works. esbuild-based loaders are not usable
 * here: esbuild renames a parameter that shadows an exported name (`spend` in
 * `spend_mean(spend)` becomes `spend2`), and parameter names are the wiring.
 * Compiled files and the module's analysis are kept between runs
 * (compile-cache.ts): a run of an unchanged module loads no compiler.
 *
 * A file with syntax errors is refused with its file, line and column, before
 * any of it runs: the transpiler would otherwise guess at the missing pieces
 * and the module would run, giving wrong results. Type errors are not looked
 * for unless asked (`--strict`): the type checker takes seconds.
 */
import { existsSync, readFileSync, statSync } from 'fs';
import Module from 'module';
import { extname, join, relative, resolve } from 'path';
import { pathToFileURL } from 'url';

import type { Diagnostic, SourceAnalysis } from '../analysis/types';
import { activity } from './activity';
import { compileCached, SyntaxProblem } from './compile-cache';
import { interruptible } from './interruptible';
import { Failure, UsageError } from './usage';

export interface LoadedModule {
  module: Record<string, unknown>;
  analysis: SourceAnalysis;
  /** The path as the user wrote it, for messages. */
  file: string;
}

/** The module cannot be loaded or is refused (a syntax error): one paragraph, exit 1. */
export class ModuleLoadError extends Failure {}

/** A real dynamic import from this CommonJS package (TypeScript would compile `import()` to `require()`). */
const importESM = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<unknown>;

/** How many syntax or type errors a refusal lists. */
const SHOWN = 3;

export async function loadModule(path: string | undefined, options: { strict?: boolean } = {}): Promise<LoadedModule> {
  if (!path) {
    throw new UsageError('MODULE is required: the path of a .ts or .js file whose exported functions form the dataflow.');
  }
  const absolute = resolve(path);
  if (!existsSync(absolute)) {
    throw new ModuleLoadError(`${path}: no such file.`);
  }
  if (!statSync(absolute).isFile()) {
    throw new ModuleLoadError(`${path} is not a file; give the path of a .ts or .js module.`);
  }
  const file = relative(process.cwd(), absolute) || path;
  let source: string;
  try {
    source = readFileSync(absolute, 'utf8');
  } catch (error) {
    throw new ModuleLoadError(`cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
  }
  const compiled = compileCached(absolute, source, true);
  const analysis = compiled.analysis as SourceAnalysis;
  // The analysis says where the parser gave up on deep code; the compiler's own list is the fallback.
  const syntax = analysis.diagnostics.filter(d => d.node === undefined);
  if (syntax.length > 0) {
    throw new ModuleLoadError(refusal(file, syntax.map(d => located(file, d)), 'syntax error', 'does not parse'));
  }
  refuseSyntaxErrors(absolute, compiled.syntax);
  if (options.strict) {
    // The checker loads the whole compiler and the library's types: only when asked.
    const { typeErrors } = require('./type-check') as typeof import('./type-check');
    const errors = typeErrors(absolute);
    if (errors.length > 0) {
      throw new ModuleLoadError(refusal(file, errors, 'type error', 'has type errors (--strict refuses them)'));
    }
  }
  entry = absolute;
  registerTypeScript();
  activity.loading(file);
  let module: Record<string, unknown>;
  try {
    module =
      extname(absolute) === '.mjs'
        ? ((await importESM(pathToFileURL(absolute).href)) as Record<string, unknown>)
        : (interruptible(() => require(absolute)) as Record<string, unknown>);
  } catch (error) {
    if (error instanceof ModuleLoadError || isStopped(error)) {
      throw error;
    }
    const err = new ModuleLoadError(`${file}: could not be loaded: ${loadFailure(error, file)}`);
    (err as Error & { cause?: unknown }).cause = error;
    throw err;
  }
  return { module, analysis, file };
}

/** "m.ts does not parse, so nothing of it was run: m.ts:3:5: '}' expected; ... (and 2 more syntax errors)." */
function refusal(file: string, errors: string[], kind: string, what: string): string {
  const more = errors.length > SHOWN ? ` (and ${errors.length - SHOWN} more ${kind}s)` : '';
  return `${file} ${what}, so nothing of it was run: ${errors.slice(0, SHOWN).join('; ')}${more}.`;
}

function located(file: string, diagnostic: Diagnostic): string {
  const where = diagnostic.range ? `${file}:${diagnostic.range.line}:${diagnostic.range.column}` : file;
  return `${where}: ${diagnostic.message.replace(/\.$/, '')}`;
}

/** Refuses a file the compiler found syntax errors in (a local file the module imports, say). */
function refuseSyntaxErrors(filename: string, problems: readonly SyntaxProblem[] | undefined): void {
  if (problems && problems.length > 0) {
    const shown = relative(process.cwd(), filename) || filename;
    const places = problems.map(p => `${shown}${p.line ? `:${p.line}:${p.column}` : ''}: ${p.message.replace(/\.$/, '')}`);
    throw new ModuleLoadError(refusal(shown, places, 'syntax error', 'does not parse'));
  }
}

/** A run stopped by Ctrl-C or `--timeout` while the module loaded: reported as such, not as a broken module. */
function isStopped(error: unknown): boolean {
  const code = (error as { code?: string })?.code;
  return code === 'ERR_SCRIPT_EXECUTION_INTERRUPTED' || code === 'ERR_SCRIPT_EXECUTION_TIMEOUT';
}

/** What went wrong loading, in a line: Node's require stack and internals left out. */
function loadFailure(error: unknown, file: string): string {
  if (!(error instanceof Error)) {
    return `it threw ${typeof error === 'string' ? error : String(error)}`;
  }
  const code = (error as NodeJS.ErrnoException).code;
  const first = error.message.split('\n')[0].trim();
  if (code === 'MODULE_NOT_FOUND') {
    const stack = (error as { requireStack?: string[] }).requireStack ?? [];
    const importer = stack[0] ? relative(process.cwd(), stack[0]) : file;
    return `${first.replace(/^Cannot find module/, 'cannot find module')} (imported by ${importer}). Install it or fix the import.`;
  }
  if (code === 'ERR_REQUIRE_ASYNC_MODULE' || /top-level await/i.test(first)) {
    return 'it uses a top-level await, which a .ts or .js module loaded with require cannot; move the await into an async function (a node), or write the module as .mjs.';
  }
  if (error instanceof SyntaxError) {
    // V8 starts the stack of a syntax error with "FILE:LINE", then the line and a caret.
    const at = /^(\/[^\n:]+):(\d+)\n/.exec(error.stack ?? '');
    return at ? `${relative(process.cwd(), at[1])}:${at[2]}: ${first}` : first;
  }
  return first || error.name;
}

const TYPESCRIPT_EXTENSIONS = ['.ts', '.cts', '.mts', '.tsx'];
let registered = false;
/** The module a command names: its entry is kept with its analysis, found again by the same key. */
let entry: string | undefined;

/** Lets `require` load TypeScript files, compiled to CommonJS with inline source maps. */
function registerTypeScript(): void {
  if (registered) {
    return;
  }
  registered = true;
  process.setSourceMapsEnabled(true);
  const extensions = (Module as unknown as { _extensions: Record<string, (m: NodeModule, file: string) => void> })
    ._extensions;
  for (const extension of TYPESCRIPT_EXTENSIONS) {
    extensions[extension] = (module, filename) => {
      const { js, syntax } = compileCached(filename, readFileSync(filename, 'utf8'), filename === entry);
      refuseSyntaxErrors(filename, syntax);
      (module as unknown as { _compile: (code: string, file: string) => void })._compile(js, filename);
    };
  }
  resolveDagcellsToSelf();
}

/**
 * A module that imports "dagcells" (its modifiers, say) runs where dagcells is
 * not installed beside it: the import resolves to this copy, the one running it.
 * A copy installed beside the module still wins.
 */
function resolveDagcellsToSelf(): void {
  const M = Module as unknown as { _resolveFilename: (request: string, parent: unknown, ...rest: unknown[]) => string };
  const original = M._resolveFilename;
  const self = resolve(__dirname, '..');
  M._resolveFilename = function (request: string, parent: unknown, ...rest: unknown[]) {
    try {
      return original.call(this, request, parent, ...rest);
    } catch (error) {
      if (request === 'dagcells') {
        return original.call(this, join(self, 'index'), parent, ...rest);
      }
      if (request.startsWith('dagcells/') && /^dagcells\/[a-z]+$/.test(request)) {
        return original.call(this, join(self, request.slice('dagcells/'.length), 'index'), parent, ...rest);
      }
      throw error;
    }
  };
}

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
 */
import { existsSync, readFileSync, statSync } from 'fs';
import Module from 'module';
import { extname, relative, resolve } from 'path';
import { pathToFileURL } from 'url';

import type { SourceAnalysis } from '../analysis/types';
import { compileCached } from './compile-cache';
import { UsageError } from './usage';

export interface LoadedModule {
  module: Record<string, unknown>;
  analysis: SourceAnalysis;
  /** The path as the user wrote it, for messages. */
  file: string;
}

export class ModuleLoadError extends Error {}

/** A real dynamic import from this CommonJS package (TypeScript would compile `import()` to `require()`). */
const importESM = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<unknown>;

export async function loadModule(path: string | undefined): Promise<LoadedModule> {
  if (!path) {
    throw new UsageError('MODULE is required: the path of a .ts or .js file whose exported functions form the dataflow.');
  }
  const absolute = resolve(path);
  if (!existsSync(absolute) || !statSync(absolute).isFile()) {
    throw new ModuleLoadError(`${path}: no such file.`);
  }
  const source = readFileSync(absolute, 'utf8');
  const analysis = compileCached(absolute, source, true).analysis as SourceAnalysis;
  entry = absolute;
  registerTypeScript();
  let module: Record<string, unknown>;
  try {
    module =
      extname(absolute) === '.mjs'
        ? ((await importESM(pathToFileURL(absolute).href)) as Record<string, unknown>)
        : (require(absolute) as Record<string, unknown>);
  } catch (error) {
    const err = new ModuleLoadError(`${path}: could not be loaded: ${(error as Error).message ?? error}`);
    (err as Error & { cause?: unknown }).cause = error;
    throw err;
  }
  return { module, analysis, file: relative(process.cwd(), absolute) || path };
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
      const { js } = compileCached(filename, readFileSync(filename, 'utf8'), filename === entry);
      (module as unknown as { _compile: (code: string, file: string) => void })._compile(js, filename);
    };
  }
}

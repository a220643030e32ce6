/**
 * The functions a running tslab kernel's cells defined. tslab keeps every
 * top-level binding of the cells, imported ones included, on
 * `globalThis.__tslab__.exports`; an imported function (`import { join } from
 * "path"`) is not a node, so functions that some loaded module exports are left
 * out, as are classes and `_` helpers.
 */

interface Tslab {
  exports?: Record<string, unknown>;
  require?: NodeJS.Require;
}

/** Node's core modules a notebook commonly imports from; loading them has no side effect. */
const CORE_MODULES = [
  'assert', 'buffer', 'child_process', 'crypto', 'dns', 'events', 'fs', 'fs/promises', 'http', 'https',
  'net', 'os', 'path', 'perf_hooks', 'querystring', 'readline', 'stream', 'string_decoder', 'timers',
  'timers/promises', 'url', 'util', 'worker_threads', 'zlib'
];

/** The kernel's tslab handle, or undefined outside a tslab kernel. */
export function tslabOf(scope: unknown = globalThis): Tslab | undefined {
  const tslab = (scope as { __tslab__?: Tslab }).__tslab__;
  return tslab && tslab.exports ? tslab : undefined;
}

/** Function values that a loaded module (or a core module) exports. */
function importedFunctions(requireFn: NodeJS.Require | undefined): Set<unknown> {
  const found = new Set<unknown>();
  const collect = (exported: unknown) => {
    if (typeof exported === 'function') {
      found.add(exported);
    }
    if (exported && (typeof exported === 'object' || typeof exported === 'function')) {
      for (const key of Object.keys(exported as object)) {
        try {
          const value = (exported as Record<string, unknown>)[key];
          if (typeof value === 'function') {
            found.add(value);
          }
        } catch {
          // a getter that throws: not a function we could confuse with a cell's
        }
      }
    }
  };
  if (!requireFn) {
    return found;
  }
  for (const module of Object.values(requireFn.cache ?? {})) {
    collect(module?.exports);
  }
  for (const name of CORE_MODULES) {
    try {
      collect(requireFn(name));
    } catch {
      // not available in this Node
    }
  }
  return found;
}

/** The cells' own top-level functions, by name. */
export function notebookFunctions(tslab: Tslab): Record<string, unknown> {
  const exports = tslab.exports ?? {};
  const imported = importedFunctions(tslab.require);
  const fns: Record<string, unknown> = {};
  for (const key of Object.keys(exports)) {
    const value = exports[key];
    if (
      typeof value === 'function' &&
      !key.startsWith('_') &&
      !imported.has(value) &&
      !/^class[\s{]/.test(Function.prototype.toString.call(value))
    ) {
      fns[key] = value;
    }
  }
  return fns;
}

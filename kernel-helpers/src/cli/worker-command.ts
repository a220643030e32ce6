/**
 * How Airflow workers run dagcells for a DAG file in a folder: `node` on this
 * package's command, by a path relative to the DAG file when the package is
 * installed in a node_modules folder above it (so the folder can move to
 * storage the workers share), else by its absolute path. The command line and
 * the notebook panel (asking its kernel) make the same choice.
 */
import { realpathSync } from 'fs';
import { dirname, join, relative, sep } from 'path';

import type { DagPath } from '../airflow';

export function workerCommand(dagFolder: string): (string | DagPath)[] {
  const packageRoot = realpathSync(join(__dirname, '..', '..'));
  const bin = join('dist', 'cli', 'bin.js');
  for (let folder = dagFolder; ; folder = dirname(folder)) {
    const installed = join(folder, 'node_modules', 'dagcells');
    try {
      if (realpathSync(installed) === packageRoot) {
        return ['node', { from: 'dag-folder', path: posix(relative(dagFolder, join(installed, bin))) }];
      }
    } catch {
      // not installed here
    }
    if (dirname(folder) === folder) {
      return ['node', { from: 'absolute', path: posix(join(packageRoot, bin)) }];
    }
  }
}

function posix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

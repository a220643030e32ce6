/**
 * `dagcells lineage FILE [--module MODULE.ts] [--config VALUES]`: the lineage a
 * saver recorded beside FILE and, given a module and config, whether the file
 * is still current (which upstream nodes' code changed since it was written).
 */
import { readArtifactRecord } from '../artifacts/record';
import { Driver } from '../driver';
import { checkLineage, incomparableLineage, Lineage } from '../modifiers/lineage';
import { parseFlags } from './args';
import { readAssignments, resolveAssignments } from './assignments';
import { declaredTypes } from './commands';
import { loadModule } from './load';
import { Failure, UsageError } from './usage';
import type { Output } from './commands';

export const LINEAGE_HELP = `Usage: dagcells lineage FILE [--module MODULE.ts] [--config VALUES]

Prints the lineage a dagcells saver recorded beside FILE (in FILE.dagcells.json):
the saver, its upstream nodes with the code version of each, the config, the
data versions of the external inputs, the dagcells version and the time, as one
JSON object. With --module, also says whether FILE is still current for that
module and config: "current", and the nodes whose code changed, that are gone
or new upstream, and the config keys that differ. Exit 0 when current (or no
module given); when not, a message on stderr naming what changed, exit 1.
A record written by an older dagcells, whose code versions this one cannot
compare, is printed with a note saying so; with --module, exit 1 saying so.`;

export async function lineageCommand(argv: string[]): Promise<Output> {
  const { values, positionals } = parseFlags(argv, {
    module: { type: 'string' },
    config: { type: 'string', multiple: true },
    verbose: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' }
  });
  if (values.help) {
    return { stdout: LINEAGE_HELP + '\n' };
  }
  const file = positionals[0];
  if (!file || positionals.length > 1) {
    throw new UsageError('lineage takes one FILE: the artifact a saver wrote.');
  }
  const record = await readArtifactRecord(file);
  if (!record) {
    throw new Failure(`${file}: no dagcells record beside it (${file}.dagcells.json); only files a saver wrote have a lineage.`);
  }
  const lineage = record.lineage as Lineage | undefined;
  if (!lineage || typeof lineage !== 'object' || !Array.isArray(lineage.upstream)) {
    throw new Failure(`${file}: its record has no lineage (it was written by writeArtifact directly, not by a saver node).`);
  }
  const out: Record<string, unknown> = { file, owner: record.owner, writtenAt: record.writtenAt, ...lineage };
  const incomparable = incomparableLineage(lineage);
  if (incomparable !== undefined) {
    out.note = `${incomparable}.`;
  }
  const module = values.module as string | undefined;
  if (incomparable !== undefined && module !== undefined) {
    throw new Failure(`${file}: cannot say whether it is current for ${module}: ${incomparable}.`);
  }
  if (module === undefined) {
    return { stdout: JSON.stringify(out, null, 2) + '\n' };
  }
  const loaded = await loadModule(module);
  const config =
    resolveAssignments(readAssignments('--config', values.config as string[] | undefined), declaredTypes(loaded.analysis).parameter) ?? {};
  const driver = Driver.fromModule(loaded.module, { analysis: loaded.analysis, file: loaded.file, config });
  const check = checkLineage(lineage, driver.graph, config, name => driver.codeVersion(name));
  out.check = { module, ...check };
  const text = JSON.stringify(out, null, 2) + '\n';
  if (!check.current) {
    const why = [
      check.changed.length ? `code changed: ${check.changed.join(', ')}` : '',
      check.missing.length ? `gone: ${check.missing.join(', ')}` : '',
      check.added.length ? `new upstream: ${check.added.join(', ')}` : '',
      check.configChanged.length ? `config differs: ${check.configChanged.join(', ')}` : ''
    ].filter(Boolean);
    throw new Failure(`${file} is not current for ${module}: ${why.join('; ')}.`);
  }
  return { stdout: text };
}

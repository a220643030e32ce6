/** A mistake in how the command was called: exit 2, with the usage. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const MAIN_HELP = `dagcells: run and inspect dataflows of plain TypeScript functions.

Usage:
  dagcells run MODULE.ts --outputs a,b [--inputs JSON|@file.json] [--config JSON|k=v,...]
                         [--overrides JSON|@file.json] [--from FILE]... [--deliver FILE]
                         [--progress] [--verbose]
  dagcells graph MODULE.ts [--format dot|json]
  dagcells export NOTEBOOK.ipynb [-o MODULE.ts] [--force] [--check]
  dagcells airflow MODULE.ts --dag-id ID [--task NAME=OUT1,OUT2]... [-o FILE.py] [...]
  dagcells airflow --check FILE.py

A module's exported functions are the nodes: a function's name is what it
computes, its parameter names are what it needs.

Run 'dagcells COMMAND --help' for the options of a command.`;

export const RUN_HELP = `Usage: dagcells run MODULE.ts --outputs a,b [options]

Computes the requested outputs of the module's dataflow, and only what they
need, and prints them as one JSON object: { "a": ..., "b": ... }.

Options:
  --outputs a,b            the nodes to compute (required)
  --inputs JSON|@file      values of external inputs, a JSON object or @path to a JSON file
  --config JSON|k=v,...    config values, a JSON object or key=value pairs (values parsed as JSON when they can be)
  --overrides JSON|@file   values that replace nodes; what only they needed is skipped
  --from FILE              values an upstream run delivered with --deliver (repeatable): each
                           replaces the node it names, which is not computed again
  --deliver FILE           write the outputs to FILE as well, whole or not at all (its folder is
                           made when missing), in the faithful format below; stdout then prints
                           that same object, so that a record of stdout holds what FILE holds
  --progress               log to stderr each node as it starts and finishes, with its time, the
                           values taken from --from files, and for a failure the node's inputs'
                           shapes (stdout stays the result alone)
  --verbose                print stack traces of failures
  -h, --help               this help

Without --deliver, values JSON cannot hold are written as: NaN, Infinity and
-Infinity as strings; typed arrays and Sets as arrays; Maps as objects (or
[key, value] pairs when a key is not a string); BigInt as a string; Date as an
ISO string; undefined as null.

With --deliver (and in --from files) they are kept exactly, as tagged JSON:
plain JSON stands for itself, and {"$number": "NaN"} ("Infinity", "-Infinity",
"-0"), {"$undefined": true}, {"$bigint": "123"}, {"$date": "ISO"},
{"$map": [[k, v], ...]}, {"$set": [...]}, {"$regexp": [source, flags]} and
{"$Float64Array": "base64"} (any typed array, ArrayBuffer, DataView; bytes
little-endian) stand for the rest. A value that is not data (a function, a
class instance) is refused, naming where it is.

Exit status: 0 on success, 1 when the dataflow fails (the message names the
node or input at fault), 2 when the command is used wrongly.`;

export const GRAPH_HELP = `Usage: dagcells graph MODULE.ts [--format dot|json]

Prints the module's dataflow: Graphviz DOT (default; inputs dashed, config as
notes, a legend) or JSON (nodes with types, dependencies, tags, docs and source
versions, and edges).

Options:
  --format dot|json   output format (default dot)
  --verbose           print stack traces of failures
  -h, --help          this help`;

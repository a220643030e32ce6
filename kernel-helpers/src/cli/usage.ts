/** A failure the message says all about (a file that will not load, an output JSON cannot hold): one paragraph, exit 1. */
export class Failure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Failure';
  }
}

/** A mistake in how the command was called: exit 2, with the usage. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const MAIN_HELP = `dagcells: run and inspect dataflows of plain TypeScript functions.

Usage:
  dagcells run MODULE.ts --outputs a,b [--inputs VALUES] [--config VALUES] [--overrides VALUES]
                         [--from FILE]... [--deliver FILE] [--progress] [--timeout SECONDS]
                         [--strict] [--verbose] [--cache DIR [--recompute a,b|all] [--disable a,b] [--ignore a,b]]
  dagcells graph MODULE.ts [--format dot|json] [--config VALUES]
  dagcells export NOTEBOOK.ipynb [-o MODULE.ts] [--force] [--check]
  dagcells airflow MODULE.ts --dag-id ID [--task NAME=OUT1,OUT2]... [-o FILE.py] [...]
  dagcells airflow --check FILE.py
  dagcells lineage FILE [--module MODULE.ts] [--config VALUES]

A module's exported functions are the nodes: a function's name is what it
computes, its parameter names are what it needs.

Run 'dagcells COMMAND --help' for the options of a command.`;

export const RUN_HELP = `Usage: dagcells run MODULE.ts --outputs a,b [options]

Computes the requested outputs of the module's dataflow, and only what they
need, and prints them as one JSON object: { "a": ..., "b": ... }. Nothing else
goes to stdout: what the module writes (console, process.stdout) goes to stderr.

Options:
  --outputs a,b            the nodes to compute (required)
  --inputs VALUES          values of external inputs
  --config VALUES          config values (the Driver keeps a frozen copy)
  --overrides VALUES       values that replace nodes; what only they needed is skipped
  --from FILE              values an upstream run delivered with --deliver (repeatable): each
                           replaces the node it names, which is not computed again
  --deliver FILE           write the outputs to FILE as well, whole or not at all (its folder is
                           made when missing), in the faithful format below; stdout then prints
                           that same object, so that a record of stdout holds what FILE holds
  --progress               log to stderr each node as it starts and finishes, with its time, the
                           values taken from --from files, and for a failure the node's inputs'
                           shapes (stdout stays the result alone)
  --timeout SECONDS        fail when the command (loading included) takes longer
  --strict                 type-check the module with TypeScript first; refuse it on a type error
  --verbose                print stack traces of failures (and, with --cache, what each node did)
  --cache DIR              keep computed values in DIR and reuse them while a node's code (its
                           own, and the helpers and constants it uses) and its inputs are the
                           same; a summary of what was computed and retrieved goes to stderr.
                           Several runs may share DIR at once
  --recompute a,b|all      with --cache: compute these again, and store them
  --disable a,b            with --cache: neither read nor store these; what takes them computes again
  --ignore a,b             with --cache: neither read nor store these, and leave them out of the
                           keys of what takes them
  -h, --help               this help

VALUES is a JSON object ('{"region": "US"}'), @file.json, or key=value pairs:
  - pairs are separated by commas, except inside [], {} and double quotes:
    flags=[1,2],region="US,EU"
  - keys and values are trimmed; a value is read as JSON when it can be
    (n=3, on=true, xs=[1,2], name="A B"), else taken as text (region=US),
    except for a parameter the module declares a string (region: string, or
    "US" | "EU"): its value is the text (region=123 gives "123")
  - a flag may be repeated; the values are merged, and a name given twice is
    a usage error. A file may start with a byte order mark.

The module is refused, with file, line and column, when it (or a local file it
imports) has a syntax error: nothing of it runs. Types are not checked by
default (the checker takes seconds; run tsc in CI, or pass --strict).

Without --deliver, values JSON cannot hold are written as: NaN, Infinity and
-Infinity as strings; typed arrays, Sets, ArrayBuffers and DataViews as arrays
(of bytes for the last two); Maps as objects (or [key, value] pairs when a key
is not a string); BigInt as a string; Date as an ISO string; RegExp and Symbol
as their text; undefined as null. Functions inside objects are left out, as
JSON does. An output that is a function, holds a Promise, a WeakMap or a
cycle, or whose toJSON or getter throws fails the run, naming the output and
where in it.

With --deliver (and in --from files) they are kept exactly, as tagged JSON:
plain JSON stands for itself, and {"$number": "NaN"} ("Infinity", "-Infinity",
"-0"), {"$undefined": true}, {"$bigint": "123"}, {"$date": "ISO"},
{"$map": [[k, v], ...]}, {"$set": [...]}, {"$regexp": [source, flags]} and
{"$Float64Array": "base64"} (any typed array, ArrayBuffer, DataView; bytes
little-endian) stand for the rest. A value that is not data (a function, a
class instance) is refused, naming where it is.

Exit status: 0 on success with the whole result printed; 1 when the dataflow
fails or cannot finish (the message names the node, input or file at fault: a
promise that never settles, the module calling process.exit, --timeout); 2
when the command is used wrongly; 130 on Ctrl-C (the message says what was
running). A node that blocks the event loop past --timeout is killed
(SIGKILL) after the message.`;

export const GRAPH_HELP = `Usage: dagcells graph MODULE.ts [--format dot|json]

Prints the module's dataflow: Graphviz DOT (default; inputs dashed, config as
notes, a legend) or JSON (nodes with types, dependencies, tags, docs and source
versions, and edges).

Options:
  --format dot|json   output format (default dot)
  --config VALUES     config values, as for 'dagcells run' (they pick the graph's variants)
  --verbose           print stack traces of failures
  -h, --help          this help`;

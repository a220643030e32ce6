/** The help of `dagcells airflow`. */
export const AIRFLOW_HELP = `Usage: dagcells airflow MODULE.ts --dag-id ID [--task NAME=OUT1,OUT2]... [options]
       dagcells airflow --check FILE.py

Writes an Airflow 3 DAG file (Python, airflow.sdk) that runs the module's
dataflow as Airflow tasks, one BashOperator each running 'dagcells run' for
the outputs the task delivers. Without --task: one task for every output no
other node needs. Tasks run in the order the graph gives: a task that needs a
value another task delivers runs after it and reads that value from its
hand-over file, ARTIFACTS/RUN/TASK.json, instead of computing it again. A value
two tasks need and neither delivers is computed in each (the file says so).
The DAG's params are the module's config keys and external inputs, with the
defaults given here, so a run started with other params (--conf, the trigger
form) picks other variants and inputs without a change to the file.

Nothing is written when a problem is found (an unknown output, a node in two
tasks, an empty task, tasks that would wait for each other, a DAG id Airflow
rejects, a module that does not load, an artifacts folder that cannot be
written); the message lists them all.

Options:
  --dag-id ID              the DAG's id (required): letters, digits, _, . and -
  --task NAME=OUT1,OUT2    a task and the outputs it delivers (repeatable)
  --task-per-node          one task per function instead (the finest grain)
  --config JSON|k=v,...    config values: the defaults of the config params
  --inputs JSON|@file      values of external inputs: the defaults of the input params
  --artifacts DIR          where tasks hand values over (default: dagcells-artifacts beside
                           the DAG file); must be storage every worker shares
  --cache DIR              tasks reuse values whose code and inputs did not change, from DIR
                           (dagcells run --cache: a retry or a rerun computes only what changed);
                           shared storage too, safe for tasks running at once
  -o, --output FILE.py     where to write (default: MODULE_dag.py beside the module); - for stdout
  --module PATH            the module as workers reach it (default: the module, relative to
                           the DAG file when it is in the DAG file's folder); relative = to the DAG file
  --dagcells CMD           the dagcells command as workers run it, e.g. "node /opt/dagcells/dist/cli/bin.js"
                           (default: node on this package's command, relative to the DAG file when it
                           is installed in a node_modules folder above it)
  --force                  replace FILE even if dagcells did not write it, or it was edited since
  --check FILE.py          write nothing; exit 1 when FILE is not what its module gives now
                           (FILE records the options it was made with)
  --verbose                print stack traces of failures
  -h, --help               this help

Exit status: 0 on success, 1 when the DAG cannot be made or --check finds it
out of date, 2 when the command is used wrongly.`;

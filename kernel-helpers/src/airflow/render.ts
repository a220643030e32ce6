/**
 * The DAG file's text: an Airflow 3 DAG (`airflow.sdk`) with one BashOperator
 * per task, written as a person would write it, commented. Everything that
 * comes from outside (names, paths, types, docs, values) goes through
 * python.ts; the one Jinja template is fixed text, and the command it makes
 * at run time is quoted for the shell by Python's shlex, so neither a hostile
 * name nor a param typed into the trigger form can inject code.
 */
import { pyComment, pyIdentifiers, pyString, pyValue } from './python';
import { recipeLine, withDagHeader } from './header';
import type { AirflowDagOptions, DagPath, PlannedParam, PlannedTask } from './types';

/** Names the file defines or imports: task variables must not take them. */
const RESERVED = new Set([
  'annotations', 'json', 're', 'shlex', 'Path', 'BashOperator', 'DAG', 'Param', 'HERE', 'MODULE', 'DAGCELLS',
  'ARTIFACTS', 'CONFIG', 'OPTIONAL', 'TASKS', 'COMMAND', 'dagcells_command', 'dag'
]);

const DOCSTRING = `"""
An Airflow DAG that runs a dagcells dataflow (TypeScript functions wired by
their parameter names) as Airflow tasks.

Each task runs \`dagcells run\` for the outputs it delivers and writes them to
ARTIFACTS/RUN/TASK.json (RUN: the run id, with every character outside
[A-Za-z0-9._-] replaced by "_"), whole or not at all, in dagcells' faithful
JSON (NaN, dates, maps, typed arrays and big integers are kept); it prints the
same object as its last line of output, which Airflow keeps as its XCom. A task
reads what its upstream tasks delivered from their files instead of computing
it again. The module, the dagcells command and the artifacts folder must be
where every worker sees them (with Celery or Kubernetes workers: storage they
all share).
"""`;

const COMMAND_FUNCTION = `def dagcells_command(task_id, params, run_id):
    """The shell command of a task, for this run's params and hand-over folder."""
    task = TASKS[task_id]
    run = ARTIFACTS / re.sub(r"[^A-Za-z0-9._-]", "_", run_id)
    config = {name: params[name] for name in CONFIG}
    inputs = {
        name: params[name]
        for name in task["inputs"]
        if not (name in OPTIONAL and params[name] is None)
    }
    command = [
        *DAGCELLS, "run", str(MODULE),
        "--outputs", ",".join(task["outputs"]),
        "--config", json.dumps(config),
        "--inputs", json.dumps(inputs),
        "--deliver", str(run / f"{task_id}.json"),
        "--progress",
    ]
    if CACHE is not None:
        command += ["--cache", str(CACHE)]
    for upstream in task["reads"]:
        command += ["--from", str(run / f"{upstream}.json")]
    return shlex.join(command)`;

/** The whole file. */
export function renderDag(options: AirflowDagOptions, tasks: PlannedTask[], params: PlannedParam[], undelivered: string[]): string {
  const lines: string[] = [];
  const push = (...more: string[]) => lines.push(...more);
  const grain = tasks.length === 1 ? 'one task' : `${tasks.length} tasks`;
  push(
    ...pyComment('Generate it again rather than edit it: `dagcells airflow --check` on this file says whether it is still what the module gives.'),
    ...(options.recipe !== undefined ? [recipeLine(options.recipe)] : []),
    ...pyComment(`DAG ${options.dagId}: the dataflow of ${options.moduleLabel}, in ${grain}.`),
    DOCSTRING,
    'from __future__ import annotations',
    '',
    'import json',
    'import re',
    'import shlex',
    'from pathlib import Path',
    '',
    'from airflow.providers.standard.operators.bash import BashOperator',
    'from airflow.sdk import DAG, Param',
    '',
    'HERE = Path(__file__).resolve().parent',
    '',
    '# The dataflow module, as every worker reaches it.',
    `MODULE = ${pathExpression(options.module)}`,
    "# The dagcells command: node on the package's command (npx would cost seconds a task).",
    `DAGCELLS = [${options.command.map(word => (typeof word === 'string' ? pyString(word) : `str(${pathExpression(word)})`)).join(', ')}]`,
    '# Each run hands values over in a folder of its own under this one.',
    `ARTIFACTS = ${pathExpression(options.artifacts)}`,
    options.cache
      ? '# Tasks reuse values whose code and inputs did not change, from this cache folder (shared).'
      : '# No cache: each task computes what it delivers (dagcells airflow --cache DIR to keep one).',
    `CACHE = ${options.cache ? pathExpression(options.cache) : 'None'}`,
    '',
    '# The params that are config keys; the others are external inputs.',
    `CONFIG = ${pyValue(params.filter(p => p.kind === 'config').map(p => p.name))}`,
    '# Inputs that may be left out: None leaves them out, and their functions use their defaults.',
    `OPTIONAL = ${pyValue(params.filter(p => p.optional).map(p => p.name))}`,
    '',
    '# What each task computes: the outputs it delivers, the upstream tasks whose delivered',
    '# values it reads instead of computing them, and the external inputs it needs.',
    'TASKS = {',
    ...tasks.map(t => `    ${pyString(t.id)}: ${pyValue({ outputs: t.outputs, reads: t.reads.map(r => r.task), inputs: t.inputs })},`),
    '}',
    ...(undelivered.length > 0 ? pyComment(`No task delivers ${undelivered.join(', ')}, which no other node needs.`) : []),
    '',
    "# Each task's command, made when it runs (the template is this fixed text).",
    'COMMAND = "{{ dagcells_command(task.task_id, params, run_id) }}"',
    '',
    '',
    COMMAND_FUNCTION,
    '',
    '',
    'with DAG(',
    `    dag_id=${pyString(options.dagId)},`,
    `    description=${pyString(`The dataflow of ${options.moduleLabel}, run by dagcells in ${grain}.`)},`,
    '    schedule=None,',
    ...paramsBlock(params),
    '    user_defined_macros={"dagcells_command": dagcells_command},',
    '    tags=["dagcells"],',
    ') as dag:'
  );
  const variables = pyIdentifiers(tasks.map(t => t.id), RESERVED);
  tasks.forEach((task, i) => {
    if (i > 0) {
      push('');
    }
    push(...taskComment(task), `    ${variables.get(task.id)} = BashOperator(task_id=${pyString(task.id)}, bash_command=COMMAND)`);
  });
  const edges = tasks.filter(t => t.reads.length > 0);
  if (edges.length > 0) {
    push('');
    for (const task of edges) {
      const upstream = task.reads.map(r => variables.get(r.task) as string);
      push(`    ${upstream.length === 1 ? upstream[0] : `[${upstream.join(', ')}]`} >> ${variables.get(task.id)}`);
    }
  }
  return withDagHeader(lines.join('\n') + '\n', options.moduleLabel);
}

/** `HERE / "rel/path"` or `Path("/abs/path")`. */
function pathExpression(path: DagPath): string {
  return path.from === 'dag-folder' ? (path.path === '' || path.path === '.' ? 'HERE' : `HERE / ${pyString(path.path)}`) : `Path(${pyString(path.path)})`;
}

function paramsBlock(params: PlannedParam[]): string[] {
  if (params.length === 0) {
    return ['    params={},'];
  }
  const lines = ['    params={'];
  for (const param of params) {
    const args: string[] = [];
    if (param.hasValue) {
      args.push(pyValue(param.value));
    }
    for (const [key, value] of Object.entries(param.schema ?? {})) {
      args.push(`${key}=${pyValue(value)}`);
    }
    args.push(`description=${pyString(describeParam(param))}`);
    lines.push(`        ${pyString(param.name)}: Param(${args.join(', ')}),`);
  }
  lines.push('    },');
  return lines;
}

/** What the trigger form says of a param: config or input, its TypeScript type, who reads it. */
function describeParam(param: PlannedParam): string {
  const readers = param.readers.length > 4 ? `${param.readers.slice(0, 4).join(', ')} and ${param.readers.length - 4} more` : param.readers.join(', ');
  const kind = param.kind === 'config' ? 'config key' : param.optional ? 'optional external input (null leaves it out)' : 'external input';
  return `${kind}${param.type ? ` (${param.type})` : ''}${readers ? `, read by ${readers}` : ''}`;
}

function taskComment(task: PlannedTask): string[] {
  const parts = [`${task.id}: delivers ${task.outputs.join(', ')}.`];
  for (const read of task.reads) {
    parts.push(`Reads ${read.values.join(', ')} from ${read.task}.`);
  }
  const delivered = new Set(task.outputs);
  const shared = new Set(task.sharedComputes.map(s => s.node));
  const onTheWay = task.computes.filter(n => !delivered.has(n) && !shared.has(n));
  if (onTheWay.length > 0) {
    parts.push(`Computes on the way: ${onTheWay.join(', ')}.`);
  }
  for (const { node, alsoIn } of task.sharedComputes) {
    parts.push(`Also computes ${node}, which no task delivers and ${alsoIn.join(', ')} ${alsoIn.length === 1 ? 'computes' : 'compute'} too.`);
  }
  return pyComment(parts.join(' '), '    ');
}

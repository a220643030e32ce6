/**
 * Splitting a dataflow into Airflow tasks. Each task delivers the outputs
 * assigned to it; a value another task delivers is read from that task's
 * hand-over file, never computed again, which is what orders the tasks. What a
 * task needs that no task delivers it computes itself, and a value two tasks
 * need and neither delivers is computed in each. A split whose tasks would wait
 * for each other is refused, naming the tasks and the values between them.
 */
import { suggestion } from '../graph/lineage';
import type { AirflowProblem, DagNode, PlannedTask, TaskAssignment } from './types';

/** Airflow's rule for ids (letters, digits, `_`, `.`, `-`; at most 250), kept to ASCII. */
export const AIRFLOW_ID = /^[A-Za-z0-9_.-]{1,250}$/;

/** The task of the monolith: every output no other node needs. */
export const MONOLITH_TASK = 'dataflow';

export interface Split {
  tasks: PlannedTask[];
  problems: AirflowProblem[];
  /** Outputs no other node needs that no task delivers. */
  undelivered: string[];
}

/** Nodes a task computes: functions, and the savers and loaders modifiers make. */
export function isComputed(node: DagNode | undefined): boolean {
  return node !== undefined && (node.kind === 'function' || node.kind === 'saver' || node.kind === 'loader');
}

const problem = (message: string, tasks: string[] = [], nodes: string[] = []): AirflowProblem => ({ message, tasks, nodes });

/** Plans the tasks of a split; `assignments` undefined or empty: the monolith. */
export function splitTasks(nodes: readonly DagNode[], assignments: readonly TaskAssignment[] | undefined, perNode: boolean): Split {
  const byName = new Map(nodes.map(n => [n.name, n]));
  const order = dependencyOrder(nodes, byName);
  if (order.cycle.length > 0) {
    return {
      tasks: [],
      undelivered: [],
      problems: [problem(`the dataflow has a cycle (${order.cycle.join(', ')}): no task order can run it. Break the cycle first.`, [], order.cycle)]
    };
  }
  const functions = order.names.filter(n => isComputed(byName.get(n)));
  if (functions.length === 0) {
    return { tasks: [], undelivered: [], problems: [problem('the module has no functions: there is nothing for a task to compute.')] };
  }
  const needed = new Set(nodes.flatMap(n => [...n.dependencies, ...n.optionalDependencies]));
  // In the order the graph lists them (by name, as GraphJSON sorts), not the run's. Savers
  // are among them: what a scheduled pipeline delivers includes the files it writes.
  const finals = nodes.filter(n => isComputed(n) && !needed.has(n.name)).map(n => n.name);

  const problems: AirflowProblem[] = [];
  const wanted: TaskAssignment[] = perNode
    ? perNodeTasks(functions)
    : assignments && assignments.length > 0
      ? checkAssignments(assignments, byName, problems)
      : [{ name: MONOLITH_TASK, outputs: finals }];
  if (problems.length > 0) {
    return { tasks: [], problems, undelivered: [] };
  }

  const deliveredBy = new Map<string, string>();
  for (const task of wanted) {
    for (const output of task.outputs) {
      deliveredBy.set(output, task.name);
    }
  }
  const position = new Map(order.names.map((n, i) => [n, i]));
  const tasks = wanted.map(task => walkTask(task, byName, deliveredBy, position));
  markShared(tasks, deliveredBy);
  const cycles = taskCycles(tasks);
  if (cycles.length > 0) {
    return { tasks: [], problems: cycles, undelivered: [] };
  }
  return { tasks: taskOrder(tasks), problems: [], undelivered: finals.filter(n => !deliveredBy.has(n)) };
}

/** One task per function, its id the function's name made an Airflow id. */
function perNodeTasks(functions: string[]): TaskAssignment[] {
  const taken = new Set<string>();
  return functions.map(name => {
    const base = name.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 240) || 'node';
    let id = base;
    for (let i = 2; taken.has(id); i++) {
      id = `${base}_${i}`;
    }
    taken.add(id);
    return { name: id, outputs: [name] };
  });
}

/** Every problem of the assignments at once: bad names, empty tasks, unknown outputs, a node in two tasks. */
function checkAssignments(assignments: readonly TaskAssignment[], byName: Map<string, DagNode>, problems: AirflowProblem[]): TaskAssignment[] {
  const owner = new Map<string, string>();
  const names = new Set<string>();
  const functionNames = [...byName.values()].filter(isComputed).map(n => n.name);
  const tasks: TaskAssignment[] = [];
  for (const { name, outputs } of assignments) {
    if (!AIRFLOW_ID.test(name)) {
      problems.push(problem(`the task name ${JSON.stringify(name)} is not an Airflow task id: use letters, digits, _, . and - (at most 250).`, [name]));
    }
    if (names.has(name)) {
      problems.push(problem(`the task ${name} is given twice; give each task once, with all its outputs.`, [name]));
    }
    names.add(name);
    const unique = [...new Set(outputs)];
    if (unique.length === 0) {
      problems.push(problem(`the task ${name} has no outputs; give them as --task ${name}=OUT1,OUT2.`, [name]));
    }
    for (const output of unique) {
      const node = byName.get(output);
      if (!node) {
        problems.push(problem(`the task ${name} asks for ${output}, which is not a node of the module.${suggestion(functionNames, output)}`, [name], [output]));
      } else if (!isComputed(node)) {
        problems.push(problem(`the task ${name} asks for ${output}, which is ${node.kind === 'config' ? 'a config key' : 'an external input'}, not computed: it is a param of the DAG.`, [name], [output]));
      } else if (owner.has(output) && owner.get(output) !== name) {
        problems.push(problem(`${output} is assigned to two tasks, ${owner.get(output)} and ${name}; a node is delivered by one task.`, [owner.get(output) as string, name], [output]));
      } else {
        owner.set(output, name);
      }
    }
    tasks.push({ name, outputs: unique });
  }
  return tasks;
}

/** What a task computes and reads: its outputs' upstream, cut where another task delivers. */
function walkTask(task: TaskAssignment, byName: Map<string, DagNode>, deliveredBy: Map<string, string>, position: Map<string, number>): PlannedTask {
  const computes = new Set<string>();
  const reads = new Map<string, Set<string>>();
  const inputs = new Set<string>();
  const stack = [...task.outputs];
  while (stack.length > 0) {
    const name = stack.pop() as string;
    const node = byName.get(name);
    if (!node || computes.has(name)) {
      continue;
    }
    if (node.kind === 'input') {
      inputs.add(name);
      continue;
    }
    if (!isComputed(node)) {
      continue; // config: every task gets all of it
    }
    const from = deliveredBy.get(name);
    if (from !== undefined && from !== task.name) {
      reads.set(from, (reads.get(from) ?? new Set()).add(name));
      continue;
    }
    computes.add(name);
    stack.push(...node.dependencies, ...node.optionalDependencies);
  }
  const sorted = (names: Iterable<string>) => [...names].sort((a, b) => (position.get(a) ?? 0) - (position.get(b) ?? 0));
  return {
    id: task.name,
    outputs: [...task.outputs],
    reads: [...reads].map(([t, values]) => ({ task: t, values: sorted(values) })),
    computes: sorted(computes),
    sharedComputes: [],
    inputs: sorted(inputs)
  };
}

/** Notes, on each task, the values no task delivers that it computes along with others. */
function markShared(tasks: PlannedTask[], deliveredBy: Map<string, string>): void {
  const computedIn = new Map<string, string[]>();
  for (const task of tasks) {
    for (const node of task.computes) {
      if (!deliveredBy.has(node)) {
        computedIn.set(node, [...(computedIn.get(node) ?? []), task.id]);
      }
    }
  }
  for (const task of tasks) {
    task.sharedComputes = task.computes
      .filter(node => (computedIn.get(node)?.length ?? 0) > 1)
      .map(node => ({ node, alsoIn: (computedIn.get(node) as string[]).filter(t => t !== task.id) }));
  }
}

/** Groups of tasks that would wait for each other (strongly connected), each with the values between them. */
function taskCycles(tasks: PlannedTask[]): AirflowProblem[] {
  const ids = tasks.map(t => t.id);
  const upstream = new Map(tasks.map(t => [t.id, t.reads.map(r => r.task)]));
  const problems: AirflowProblem[] = [];
  for (const group of stronglyConnected(ids, id => upstream.get(id) ?? [])) {
    if (group.length < 2) {
      continue;
    }
    const inside = new Set(group);
    const edges: string[] = [];
    const nodes: string[] = [];
    for (const task of tasks.filter(t => inside.has(t.id))) {
      for (const read of task.reads.filter(r => inside.has(r.task))) {
        edges.push(`${task.id} reads ${read.values.join(', ')} from ${read.task}`);
        nodes.push(...read.values);
      }
    }
    problems.push(
      problem(
        `tasks ${listed(group)} would wait for each other: ${edges.join('; ')}. ` +
          'Move those nodes so that values flow one way between tasks (or put them in one task).',
        group,
        [...new Set(nodes)]
      )
    );
  }
  return problems;
}

/** Tasks so that each comes after those it reads from; ties keep the order given. */
function taskOrder(tasks: PlannedTask[]): PlannedTask[] {
  const done = new Set<string>();
  const out: PlannedTask[] = [];
  while (out.length < tasks.length) {
    const next = tasks.find(t => !done.has(t.id) && t.reads.every(r => done.has(r.task))) as PlannedTask;
    done.add(next.id);
    out.push(next);
  }
  return out;
}

/** Tarjan's algorithm, iterative over an explicit stack. */
function stronglyConnected(ids: string[], next: (id: string) => readonly string[]): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const groups: string[][] = [];
  let counter = 0;
  for (const root of ids) {
    if (index.has(root)) {
      continue;
    }
    const work: { id: string; i: number }[] = [{ id: root, i: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const edges = next(frame.id);
      if (frame.i < edges.length) {
        const to = edges[frame.i++];
        if (!index.has(to)) {
          index.set(to, counter);
          low.set(to, counter++);
          stack.push(to);
          onStack.add(to);
          work.push({ id: to, i: 0 });
        } else if (onStack.has(to)) {
          low.set(frame.id, Math.min(low.get(frame.id) as number, index.get(to) as number));
        }
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1].id;
        low.set(parent, Math.min(low.get(parent) as number, low.get(frame.id) as number));
      }
      if (low.get(frame.id) === index.get(frame.id)) {
        const group: string[] = [];
        let member: string;
        do {
          member = stack.pop() as string;
          onStack.delete(member);
          group.push(member);
        } while (member !== frame.id);
        groups.push(group.sort((a, b) => ids.indexOf(a) - ids.indexOf(b)));
      }
    }
  }
  return groups;
}

/** Nodes in dependency order (Kahn's), and those left on cycles. */
function dependencyOrder(nodes: readonly DagNode[], byName: Map<string, DagNode>): { names: string[]; cycle: string[] } {
  const waiting = new Map<string, number>();
  const dependents = new Map<string, string[]>();
  for (const node of nodes) {
    const deps = [...new Set([...node.dependencies, ...node.optionalDependencies])].filter(d => byName.has(d));
    waiting.set(node.name, deps.length);
    for (const dep of deps) {
      dependents.set(dep, [...(dependents.get(dep) ?? []), node.name]);
    }
  }
  const names = nodes.filter(n => waiting.get(n.name) === 0).map(n => n.name);
  for (let i = 0; i < names.length; i++) {
    for (const dependent of dependents.get(names[i]) ?? []) {
      const left = (waiting.get(dependent) as number) - 1;
      waiting.set(dependent, left);
      if (left === 0) {
        names.push(dependent);
      }
    }
  }
  const placed = new Set(names);
  return { names, cycle: nodes.filter(n => !placed.has(n.name)).map(n => n.name) };
}

function listed(names: string[]): string {
  return names.length <= 2 ? names.join(' and ') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** What a node's tooltip says: its type, kind and state, doc, last run, errors, problems and cells. */
import type { GraphNode } from 'dagcells/notebook';

import type { ModelView } from '../model/graph-model';

export function tooltipOf(node: GraphNode, view: ModelView): string {
  const lines = [`${node.name}${node.type ? `: ${node.type}` : ''}`, `${node.kind} · ${view.states.get(node.name) ?? 'unrun'}`];
  if (node.variant !== undefined && !node.variant.includes(',')) {
    lines.push(`config variant ${node.variant}, chosen by this config`);
  }
  if (node.doc) {
    lines.push(node.doc);
  }
  const task = view.taskOf.get(node.name);
  if (task !== undefined) {
    lines.push(`Airflow task: ${task}`);
  }
  const run = view.runs.get(node.name);
  if (run?.status === 'cached' && run.computedAt) {
    const when = new Date(run.computedAt);
    const at = Number.isNaN(when.getTime()) ? run.computedAt : when.toLocaleString();
    lines.push(`from the cache: computed ${at}${run.ms !== undefined ? ` in ${formatMs(run.ms)}` : ''}`);
  } else if (run?.ms !== undefined) {
    lines.push(`last run: ${formatMs(run.ms)}`);
  }
  if (run?.warning) {
    lines.push(`warning: ${run.warning}`);
  }
  const error = view.errors.get(node.name);
  if (error) {
    lines.push(error);
  }
  for (const problem of view.problemsOf.get(node.name) ?? []) {
    lines.push(problem.message);
  }
  // A node no variant defines with this config (an input now), and its consumers: which config would define it.
  for (const name of [node.name, ...node.dependencies.map(d => d.name)]) {
    const absent = view.absent.get(name);
    if (absent !== undefined) {
      lines.push(absent);
    }
  }
  if (node.origins.length > 0 && node.origins[0].cellIndex !== undefined) {
    lines.push(`defined in ${node.origins.map(o => `cell ${o.cellIndex}`).join(' and ')} (double-click to show)`);
  }
  return lines.join('\n');
}

/** A duration for a node's badge. */
export function formatMs(ms: number): string {
  if (ms < 1) {
    return '<1 ms';
  }
  if (ms < 1000) {
    return `${Math.round(ms)} ms`;
  }
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}

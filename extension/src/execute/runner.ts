/**
 * Execute: runs the selected outputs in the notebook's kernel. The run is
 * planned once, by the library, on the notebook's graph: what it computes,
 * which inputs it needs, what stops it. Everything that can be checked is
 * checked first; then whatever the run needs that the kernel lacks or holds in
 * an older version is defined (the functions with the imports, types,
 * constants and helpers they use, as the export would keep them), and the run
 * goes to the kernel as explicit nodes: names and dependencies as the analysis
 * found them. Its progress and outcome land in the model.
 */
import type { Kernel } from '@jupyterlab/services';
import type { ValuePreview } from 'dagcells/kernel';
import type { RunDescription } from 'dagcells/notebook';

import { KernelBridge } from '../kernel/bridge';
import type { NotebookGraphModel } from '../model/graph-model';
import { DeepCheck, inputValueProblem, parseInputValue } from '../model/plan';
import { defineNeeded } from './define';

const bridges = new WeakMap<Kernel.IKernelConnection, KernelBridge>();

/** The bridge of a kernel connection (one per connection, so installs are counted once). */
export function bridgeFor(kernel: Kernel.IKernelConnection): KernelBridge {
  let bridge = bridges.get(kernel);
  if (!bridge) {
    bridge = new KernelBridge(kernel);
    bridges.set(kernel, bridge);
  }
  return bridge;
}

/** What a panel run does with the kernel's cache: its memory budget (0: no cache) and per-node behaviours. */
export interface RunCache {
  bytes: number;
  recompute?: string[];
  disable?: string[];
  ignore?: string[];
}

/** Runs the model's selection (or the given outputs) in the kernel. */
export async function runSelection(
  model: NotebookGraphModel,
  kernel: Kernel.IKernelConnection | null | undefined,
  outputs?: string[],
  cache?: RunCache
): Promise<void> {
  if (outputs) {
    model.select(outputs);
  }
  const view = model.view;
  if (view.running) {
    return;
  }
  if (view.plan.outputs.length === 0) {
    model.setMessage({ kind: 'info', text: 'Pick the outputs to compute: click their nodes in the graph.' });
    return;
  }
  if (!kernel) {
    model.setMessage({ kind: 'error', text: 'The notebook has no running kernel: start one, then run again.' });
    return;
  }
  const checked = checkInputs(model);
  if (!checked) {
    return;
  }
  const { inputs, run } = checked;

  const bridge = bridgeFor(kernel);
  model.beginRun(run.functions);
  try {
    if (!(await defineNeeded(model, bridge, run.functions))) {
      return;
    }
    const graph = model.view.graph;
    const nodes = run.functions.map(name => ({
      name,
      dependencies: (graph.nodes.get(name)?.dependencies ?? []).map(d => ({ name: d.name, optional: d.optional }))
    }));
    // Outputs that finished keep their results when another one fails or the run is stopped.
    const finished: Record<string, ValuePreview> = {};
    // Code versions from the cells (a function with its helpers and constants, a modifier's node with its
    // declaration), as a Driver of the exported module computes them: the kernel's cache reuses a value
    // while they hold, and a saver records them in its file's lineage.
    const versions = model.analysis ? model.analysis.graphCodeVersions(model.cells(), graph, run.functions) : {};
    const cacheRequest =
      cache && cache.bytes > 0
        ? { bytes: cache.bytes, recompute: cache.recompute ?? [], disable: cache.disable ?? [], ignore: cache.ignore ?? [] }
        : undefined;
    const result = await bridge.run({ nodes, outputs: run.outputs, inputs, config: model.config(), versions, ...(cacheRequest ? { cache: cacheRequest } : {}) }, event => {
      if (event.type === 'node-finished' && run.outputs.includes(event.node)) {
        finished[event.node] = event.preview;
      }
      model.runEvent(event);
    });
    if (result.status === 'ok') {
      model.markUsed(run.inputs.filter(i => i.name in inputs).map(i => i.name));
      model.endRun({ results: result.results, message: { kind: 'info', text: `Done in ${Math.round(result.ms)} ms.` } });
    } else if (result.status === 'interrupted') {
      model.endRun({ results: finished, message: { kind: 'error', text: `${result.error?.message ?? 'Interrupted.'}${finishedNote(finished)}` } });
    } else if (result.status === 'restarted') {
      model.kernelReset(result.error?.message);
    } else {
      const errors: Record<string, string> = {};
      for (const name of result.error?.nodes ?? []) {
        errors[name] = result.error?.message ?? 'failed';
      }
      model.endRun({
        results: finished,
        message: { kind: 'error', text: `${result.error?.message ?? 'The run failed.'}${finishedNote(finished)}` },
        errors
      });
    }
  } catch (error) {
    model.endRun({ message: { kind: 'error', text: `The run could not start: ${(error as Error).message}` } });
  }
}

/**
 * The input values of the fields, planned into a run, or undefined when
 * something stops it (said in the model): a required input with no value, a
 * value its declared type cannot take, a problem of the graph. All are named
 * at once, before anything runs.
 */
function checkInputs(model: NotebookGraphModel): { inputs: Record<string, unknown>; run: RunDescription } | undefined {
  const view = model.view;
  const deep = deepCheckOf(model);
  const inputs: Record<string, unknown> = {};
  const unfit: Record<string, string> = {};
  for (const input of view.plan.inputs) {
    const text = view.inputText.get(input.name) ?? '';
    const parsed = parseInputValue(text);
    if (parsed) {
      inputs[input.name] = parsed.value;
      const problem = inputValueProblem(input, text, parsed.value, deep);
      if (problem) {
        unfit[input.name] = problem;
      }
    }
  }
  const run = model.describeRun(inputs);
  if (!run) {
    model.setMessage({ kind: 'info', text: 'The dataflow is still loading; try again in a moment.' });
    return undefined;
  }
  if (run.missing.length > 0) {
    const errors: Record<string, string> = {};
    for (const name of run.missing) {
      const needers = run.inputs.find(i => i.name === name)?.consumers ?? [];
      errors[name] = `${name} is required by ${needers.join(', ')}.`;
    }
    model.setMessage({ kind: 'error', text: `Missing input${run.missing.length === 1 ? '' : 's'}: ${run.missing.join(', ')}. Nothing ran.` }, errors);
    return undefined;
  }
  const unfitNames = Object.keys(unfit);
  if (unfitNames.length > 0) {
    model.setMessage(
      { kind: 'error', text: `Input${unfitNames.length === 1 ? '' : 's'} of the wrong type: ${unfitNames.join(', ')}. Nothing ran.` },
      unfit
    );
    return undefined;
  }
  if (run.problems.length > 0) {
    const errors: Record<string, string> = {};
    for (const problem of run.problems) {
      for (const name of problem.nodes) {
        errors[name] = errors[name] ? `${errors[name]}\n${problem.message}` : problem.message;
      }
    }
    model.setMessage(
      { kind: 'error', text: `The dataflow has ${run.problems.length === 1 ? 'a problem' : `${run.problems.length} problems`} to fix first: ${run.problems.map(p => p.message).join(' ')}` },
      errors
    );
    return undefined;
  }
  return { inputs, run };
}

/** The check in depth of inputs against their types, with the named types the notebook's cells declare. */
function deepCheckOf(model: NotebookGraphModel): DeepCheck | undefined {
  const analysis = model.analysis;
  if (!analysis) {
    return undefined;
  }
  const types = new Map<string, string | undefined>();
  for (const id of model.cellIds()) {
    for (const type of model.cellAnalysis(id)?.types ?? []) {
      types.set(type.name, type.definition); // a later cell's declaration wins, as in the kernel
    }
  }
  return (value, type) => analysis.inputValueFault(value, type, name => types.get(name));
}

/** What a failed or stopped run still computed, for its message. */
function finishedNote(finished: Record<string, ValuePreview>): string {
  const names = Object.keys(finished);
  return names.length === 0 ? '' : ` Computed: ${names.join(', ')} (results below).`;
}

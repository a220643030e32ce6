/**
 * Execute: runs the selected outputs in the notebook's kernel. Everything that
 * can be checked is checked first (outputs picked, inputs given, the graph's
 * problems), then the cells whose functions the kernel lacks or holds in an
 * older version are defined, then the run goes through the bridge and its
 * progress and outcome land in the model.
 */
import type { Kernel } from '@jupyterlab/services';
import type { ValuePreview } from 'dagcells/kernel';

import { KernelBridge } from '../kernel/bridge';
import type { NotebookGraphModel } from '../model/graph-model';
import { inputValueProblem, parseInputValue } from '../model/plan';
import { cellDefinitions } from './definitions';

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

/** Runs the model's selection (or the given outputs) in the kernel. */
export async function runSelection(
  model: NotebookGraphModel,
  kernel: Kernel.IKernelConnection | null | undefined,
  outputs?: string[]
): Promise<void> {
  if (outputs) {
    model.select(outputs);
  }
  const view = model.view;
  if (view.running) {
    return;
  }
  const plan = view.plan;
  if (plan.outputs.length === 0) {
    model.setMessage({ kind: 'info', text: 'Pick the outputs to compute: click their nodes in the graph.' });
    return;
  }
  if (!kernel) {
    model.setMessage({ kind: 'error', text: 'The notebook has no running kernel: start one, then run again.' });
    return;
  }
  // Inputs: every required one must have a value that its type admits; all are named at once.
  const inputs: Record<string, unknown> = {};
  const missing: string[] = [];
  const unfit: Record<string, string> = {};
  for (const input of plan.inputs) {
    const text = view.inputText.get(input.name) ?? '';
    const parsed = parseInputValue(text);
    if (parsed) {
      inputs[input.name] = parsed.value;
      const problem = inputValueProblem(input, text, parsed.value);
      if (problem) {
        unfit[input.name] = problem;
      }
    } else if (input.required) {
      missing.push(input.name);
    }
  }
  if (missing.length > 0) {
    const errors: Record<string, string> = {};
    for (const name of missing) {
      const needers = plan.inputs.find(i => i.name === name)?.consumers ?? [];
      errors[name] = `${name} is required by ${needers.join(', ')}.`;
    }
    model.setMessage({ kind: 'error', text: `Missing input${missing.length === 1 ? '' : 's'}: ${missing.join(', ')}. Nothing ran.` }, errors);
    return;
  }
  const unfitNames = Object.keys(unfit);
  if (unfitNames.length > 0) {
    model.setMessage(
      { kind: 'error', text: `Input${unfitNames.length === 1 ? '' : 's'} of the wrong type: ${unfitNames.join(', ')}. Nothing ran.` },
      unfit
    );
    return;
  }
  if (plan.problems.length > 0) {
    const errors: Record<string, string> = {};
    for (const problem of plan.problems) {
      for (const name of problem.nodes) {
        errors[name] = errors[name] ? `${errors[name]}\n${problem.message}` : problem.message;
      }
    }
    model.setMessage(
      { kind: 'error', text: `The dataflow has ${plan.problems.length === 1 ? 'a problem' : `${plan.problems.length} problems`} to fix first: ${plan.problems.map(p => p.message).join(' ')}` },
      errors
    );
    return;
  }

  const bridge = bridgeFor(kernel);
  model.beginRun();
  try {
    if (!(await defineStale(model, bridge, plan.functions))) {
      return;
    }
    // Outputs that finished keep their results when another one fails or the run is stopped.
    const finished: Record<string, ValuePreview> = {};
    const result = await bridge.run({ functions: plan.functions, outputs: plan.outputs, inputs }, event => {
      if (event.type === 'node-started') {
        model.nodeStarted(event.node);
      } else if (event.type === 'node-finished') {
        if (plan.outputs.includes(event.node)) {
          finished[event.node] = event.preview;
        }
        model.nodeFinished(event.node, event.ms, event.preview);
      } else {
        model.nodeFailed(event.node, event.ms, event.message);
      }
    });
    if (result.status === 'ok') {
      model.markUsed(plan.inputs.filter(i => i.name in inputs).map(i => i.name));
      model.endRun({ results: result.results, message: { kind: 'info', text: `Done in ${Math.round(result.ms)} ms.` } });
    } else if (result.status === 'interrupted') {
      model.endRun({ results: finished, message: { kind: 'error', text: `Interrupted.${finishedNote(finished)}` } });
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

/** What a failed or stopped run still computed, for its message. */
function finishedNote(finished: Record<string, ValuePreview>): string {
  const names = Object.keys(finished);
  return names.length === 0 ? '' : ` Computed: ${names.join(', ')} (results below).`;
}

/**
 * Defines, cell by cell in notebook order, the functions of the run that the
 * kernel does not hold in their current version. False when a cell failed.
 */
async function defineStale(model: NotebookGraphModel, bridge: KernelBridge, functions: string[]): Promise<boolean> {
  const view = model.view;
  const cells = new Set<string>();
  for (const name of functions) {
    const state = view.states.get(name);
    const origin = view.graph.nodes.get(name)?.origins.at(-1);
    if ((state === 'unrun' || state === 'stale' || state === 'error') && origin?.cellId) {
      cells.add(origin.cellId);
    }
  }
  for (const cellId of model.cellIds().filter(id => cells.has(id))) {
    const analysis = model.cellAnalysis(cellId);
    if (!analysis) {
      continue;
    }
    const { code, cellLines } = cellDefinitions(analysis);
    const result = await bridge.define(code);
    const defined = analysis.functions.map(f => ({ name: f.name, hash: f.hash }));
    if (!result.ok) {
      const where = `cell ${model.cellIndex(cellId)}`;
      const messages = result.errors.map(e =>
        e.line !== undefined ? `${where}, line ${cellLines[e.line - 1] ?? e.line}: ${e.message}` : `${where}: ${e.message}`
      );
      const text = messages.join('\n') || `${where} could not be defined in the kernel.`;
      model.markDefined(defined, true, text);
      model.endRun({ message: { kind: 'error', text: `Defining ${where} in the kernel failed; nothing ran. ${text}` } });
      return false;
    }
    model.markDefined(defined);
  }
  return true;
}

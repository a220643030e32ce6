/**
 * Before a run: defining in the kernel what the run needs and the kernel does
 * not hold in its current version. The library says what a function needs
 * (the same resolver the module export uses); this sends it as one request,
 * a tslab module cell it imports from as the cell itself, and maps the
 * kernel's complaints back to cells and lines.
 */
import type { KernelPiece } from 'dagcells/notebook';

import type { KernelBridge } from '../kernel/bridge';
import type { KernelDiagnostic } from '../kernel/stderr';
import type { NotebookGraphModel } from '../model/graph-model';

/**
 * Defines what the functions of a run need and the kernel lacks. False when
 * that failed (the model then says why, and nothing ran).
 */
export async function defineNeeded(model: NotebookGraphModel, bridge: KernelBridge, functions: readonly string[]): Promise<boolean> {
  const module = model.analysis;
  const graph = model.view.graph;
  const stale = functions.filter(name => !model.kernelHolds(name, graph.nodes.get(name)?.hash));
  if (stale.length === 0 || !module) {
    return true;
  }
  // A node a modifier made (`spend` of `spend__us`, `save_report` of `report`) is defined by the name its cell declares.
  const declared = [...new Set(stale.map(name => graph.nodes.get(name)?.declaredAs ?? name))];
  const needed = module.runDefinitions(model.cells(), declared);
  const blocking = needed.problems.filter(p => p.blocking);
  if (blocking.length > 0) {
    model.endRun({ message: { kind: 'error', text: `Nothing ran: ${blocking.map(p => p.message).join(' ')}` } });
    return false;
  }
  for (const cellModule of needed.modules) {
    const result = await bridge.define(cellModule.code);
    if (result.canceled) {
      model.kernelReset();
      return false;
    }
    if (!result.ok) {
      const text = result.errors.map(e => `cell ${cellModule.cell}${e.line !== undefined ? `, line ${e.line}` : ''}: ${e.message}`).join('\n');
      model.endRun({ message: { kind: 'error', text: `Defining the module cell ${cellModule.cell} (./${cellModule.name}) in the kernel failed; nothing ran. ${text}` } });
      return false;
    }
  }
  // A function the kernel holds in its current version is not sent again; what it needs already ran with it.
  const pieces = needed.pieces.filter(piece => !piece.names.every(name => graph.nodes.get(name)?.kind === 'function' && model.kernelHolds(name, graph.nodes.get(name)?.hash)));
  if (pieces.length === 0) {
    return true;
  }
  const { code, places } = joined(pieces);
  const result = await bridge.define(code);
  const sent = new Set(pieces.flatMap(piece => piece.names));
  const defined = [...graph.nodes.values()]
    .filter(node => node.kind === 'function' && sent.has(node.declaredAs ?? node.name))
    .map(node => ({ name: node.name, hash: node.hash ?? '' }));
  if (result.canceled) {
    model.kernelReset();
    return false;
  }
  if (!result.ok) {
    const messages = result.errors.map(e => placed(e, places));
    const hints = needed.problems.filter(p => !p.blocking && result.errors.some(e => p.name !== undefined && e.message.includes(`'${p.name}'`)));
    const text = [...new Set(messages)].join('\n') || 'The kernel could not define them.';
    model.markDefined(defined, true, text);
    model.endRun({
      message: {
        kind: 'error',
        text: `Defining what the run needs in the kernel failed; nothing ran. ${text}${hints.length > 0 ? `\n${hints.map(h => h.message).join('\n')}` : ''}`
      }
    });
    return false;
  }
  model.markDefined(defined);
  return true;
}

/** Where each line of the code sent comes from. */
interface Place {
  cell: number;
  line: number;
}

function joined(pieces: readonly KernelPiece[]): { code: string; places: Place[] } {
  const places: Place[] = [];
  for (const piece of pieces) {
    piece.code.split('\n').forEach((_, i) => places.push({ cell: piece.cell, line: piece.line + i }));
  }
  return { code: pieces.map(p => p.code).join('\n'), places };
}

/** A kernel complaint about the code sent, at its place in the notebook. */
function placed(error: KernelDiagnostic, places: readonly Place[]): string {
  const place = error.line !== undefined ? places[error.line - 1] : undefined;
  return place ? `cell ${place.cell}, line ${place.line}: ${error.message}` : error.message;
}

/**
 * What the panel sends to define a cell's functions in the kernel: the cell's
 * definitions (imports, types, constants, functions, classes), not its
 * exploration (calls, logging, bare expressions), so that running an output
 * never re-runs a cell's side effects. Lines map back to the cell for messages.
 */
import type { SourceAnalysis } from 'dagcells/analysis';

export interface CellDefinitions {
  code: string;
  /** For each line of `code` (index 0 = line 1), the line of the cell it comes from. */
  cellLines: number[];
}

const DEFINITION_KINDS = new Set(['import', 'type', 'function', 'constant', 'declaration']);

export function cellDefinitions(analysis: SourceAnalysis): CellDefinitions {
  const parts: string[] = [];
  const cellLines: number[] = [];
  for (const statement of analysis.statements) {
    if (!DEFINITION_KINDS.has(statement.kind)) {
      continue;
    }
    parts.push(statement.text);
    statement.text.split('\n').forEach((_, i) => cellLines.push(statement.range.line + i));
  }
  return { code: parts.join('\n'), cellLines };
}

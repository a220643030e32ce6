/**
 * What the export dialog says the module will hold, as data: sections of short
 * lines, rendered by the dialog and checked by tests.
 */
import type { GraphProblem } from 'dagcells/notebook';
import type { LeftOutReason, NotebookExport } from 'dagcells/export';

/** One part of the summary. */
export interface SummarySection {
  /** Stable id: `problems`, `functions`, `helpers`, `types`, `values`, `redefinitions`, `imports`, `skipped`, `left-out`. */
  id: string;
  title: string;
  items: string[];
  /** Problems are shown first and marked. */
  problem?: boolean;
}

const REASONS: Record<LeftOutReason, string> = {
  exploration: 'exploration',
  replaced: 'replaced by a later definition',
  'unused-import': 'import nothing kept uses',
  'duplicate-import': 'repeated import',
  'export-statement': 'export statement',
  'module-cell-import': 'import from a module cell, whose definitions the module holds'
};

const GRAPH_CODES: Record<string, string> = {
  CYCLE: 'cycle',
  TYPE_MISMATCH: 'types disagree',
  DUPLICATE_NODE: 'defined twice',
  INVALID_FUNCTION: 'invalid function'
};

/**
 * The dataflow's own problems as the dialog lists them: what kind, the
 * message, and the cells concerned, each cell named once (a message that
 * names its cells already gets no list of its own).
 */
export function graphProblemItems(problems: readonly GraphProblem[]): string[] {
  return problems.map(problem => {
    const kind = GRAPH_CODES[problem.code] ?? problem.code.replace(/_/g, ' ').toLowerCase();
    const cells = [...new Set(problem.origins.map(o => o.cellIndex).filter((i): i is number => i !== undefined))].sort((a, b) => a - b);
    const where = cells.length > 0 && !/\bcells? \d/.test(problem.message) ? ` (${cells.length === 1 ? 'cell' : 'cells'} ${cells.join(', ')})` : '';
    return `${kind}: ${problem.message.replace(/\.$/, '')}${where}`;
  });
}

/** The sections of a summary; empty ones are left out. `graphProblems` are the dataflow's own (cycles, mismatches, conflicts). */
export function summarize(result: NotebookExport, graphProblems: readonly GraphProblem[] = []): SummarySection[] {
  const cells = (list: { cell: number }[]) => list.map(p => `cell ${p.cell}`).join(', ');
  const sections: SummarySection[] = [
    { id: 'problems', title: 'Problems', items: result.problems.map(p => p.message), problem: true },
    {
      id: 'graph-problems',
      title: 'Problems of the dataflow: the module keeps them',
      items: graphProblemItems(graphProblems),
      problem: true
    },
    { id: 'functions', title: 'Functions, exported', items: result.functions },
    { id: 'helpers', title: 'Helpers, kept but not exported', items: result.helpers },
    { id: 'types', title: 'Types', items: result.types },
    { id: 'values', title: 'Constants and classes', items: result.values },
    {
      id: 'redefinitions',
      title: 'Defined more than once: the later definition is kept',
      items: result.redefinitions.map(r => `${r.name}: cell ${r.kept.cell} (over ${cells(r.replaced)})`)
    },
    { id: 'imports', title: 'Imports', items: result.imports },
    { id: 'skipped', title: 'Cells skipped (tagged dagcells-skip)', items: result.skippedCells.map(c => `cell ${c}`) },
    {
      id: 'left-out',
      title: 'Statements left out',
      items: result.leftOut.map(l => `cell ${l.cell}, line ${l.line}: ${l.text} (${REASONS[l.reason]})`)
    }
  ];
  return sections.filter(s => s.items.length > 0);
}

/** True when the notebook cannot be exported at all (a cell does not parse). */
export function isBlocked(result: NotebookExport): boolean {
  return result.text === undefined;
}

/**
 * What the export dialog says the module will hold, as data: sections of short
 * lines, rendered by the dialog and checked by tests.
 */
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

/** The sections of a summary; empty ones are left out. */
export function summarize(result: NotebookExport): SummarySection[] {
  const cells = (list: { cell: number }[]) => list.map(p => `cell ${p.cell}`).join(', ');
  const sections: SummarySection[] = [
    { id: 'problems', title: 'Problems', items: result.problems.map(p => p.message), problem: true },
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

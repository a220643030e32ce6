import { NotebookGraph } from 'dagcells/notebook';

import { graphProblemItems, summarize } from '../src/export/summary';

function problemsOf(...cells: string[]) {
  const graph = new NotebookGraph();
  graph.setOrder(cells.map((_, i) => `c${i}`));
  cells.forEach((source, i) => graph.setCell(`c${i}`, source));
  return graph.snapshot().problems;
}

describe("the export dialog's list of the dataflow's problems", () => {
  it('lists a cycle with its kind, its nodes, and its cell named once', () => {
    const items = graphProblemItems(
      problemsOf('function a(c: number): number { return c; }\nfunction b(a: number): number { return a; }\nfunction c(b: number): number { return b; }')
    );
    expect(items).toHaveLength(1);
    expect(items[0]).toMatch(/^cycle: .*a -> b -> c -> a/);
    expect(items[0].match(/cell 1/g)).toHaveLength(1);
  });

  it('lists a type mismatch and a name defined in two cells', () => {
    const items = graphProblemItems(
      problemsOf(
        'function label(id: number): string { return `#${id}`; }',
        'function twice(label: number): number { return label * 2; }',
        'function spend(raw: number[]): number[] { return raw; }',
        'function spend(raw: number[]): number[] { return raw; }'
      )
    );
    expect(items.some(i => i.startsWith('types disagree: ') && i.includes('label'))).toBe(true);
    const duplicate = items.find(i => i.startsWith('defined twice: ')) as string;
    expect(duplicate).toContain('spend');
    expect(duplicate.match(/cell 3\b/g)).toHaveLength(1);
  });

  it('puts them in a problem section of the summary, before what the module holds', () => {
    const problems = problemsOf('function a(a: number): number { return a; }');
    const sections = summarize(
      { problems: [], functions: ['a'], helpers: [], types: [], values: [], redefinitions: [], imports: [], skippedCells: [], leftOut: [], text: '' } as never,
      problems
    );
    expect(sections[0]).toMatchObject({ id: 'graph-problems', problem: true });
  });
});

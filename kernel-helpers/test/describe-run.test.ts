import { describeRun } from '../src/driver';
import { NotebookGraph } from '../src/notebook';

const graph = (() => {
  const g = new NotebookGraph();
  g.setCell('a', 'function spend(raw_spend: number[]): number[] { return raw_spend; }');
  g.setCell('b', 'function signups(raw_signups: number[]): number[] { return raw_signups; }');
  g.setCell('c', 'function per_signup(spend: number[], signups: number[], scale?: number): number[] { return spend; }');
  g.setCell('d', 'function mean(spend: number[]): number { return 0; }');
  g.setCell('e', 'function label(id: number): string { return ""; }\nfunction twice(label: number): number { return 0; }');
  g.setCell('f', 'function spend_again(x: number): number { return x; }');
  g.setCell('g', 'function spend_again(y: number): number { return y; }');
  return g.snapshot();
})();

describe('describing a run for the notebook panel, with the Driver\'s own planner', () => {
  it('takes the upstream closure of the outputs, and only it, in dependency order', () => {
    const run = describeRun(graph, ['mean']);
    expect(run.functions).toEqual(['spend', 'mean']);
    expect(run.inputs).toEqual([{ name: 'raw_spend', type: 'number[]', required: true, consumers: ['spend'] }]);
    expect(run.problems).toEqual([]);
    expect(run.missing).toEqual(['raw_spend']);
  });

  it('lists every input it needs with its declared type, optional ones marked, given or not', () => {
    const run = describeRun(graph, ['per_signup'], { inputs: { raw_spend: [1] } });
    expect(run.inputs.map(i => [i.name, i.type, i.required])).toEqual([
      ['raw_signups', 'number[]', true],
      ['raw_spend', 'number[]', true],
      ['scale', 'number', false]
    ]);
    expect(run.missing).toEqual(['raw_signups']);
  });

  it('names the problems that stop it, only those that touch it', () => {
    expect(describeRun(graph, ['twice']).problems.map(p => p.code)).toEqual(['TYPE_MISMATCH']);
    expect(describeRun(graph, ['label']).problems).toEqual([]);
  });

  it('runs a name defined in two cells with the later definition, and says so as a warning', () => {
    const run = describeRun(graph, ['spend_again'], { inputs: { y: 1 } });
    expect(run.problems).toEqual([]);
    expect(run.inputs.map(i => i.name)).toEqual(['y']);
    expect(run.warnings.map(w => w.message)).toEqual([
      'spend_again is defined 2 times (cell 6, line 1, cell 7, line 1); the last definition is used. Rename or delete the others.'
    ]);
  });

  it('checks the values given against the declared types', () => {
    const run = describeRun(graph, ['mean'], { inputs: { raw_spend: 'ten' } });
    expect(run.problems.map(p => p.message)).toEqual(['input raw_spend: spend declares raw_spend: number[], but the value given is a string ("ten").']);
  });

  it('ignores selected names that are no longer in the graph', () => {
    expect(describeRun(graph, ['gone', 'mean']).outputs).toEqual(['mean']);
  });
});

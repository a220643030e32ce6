import { NotebookGraph } from 'dagcells/notebook';

import { nodeState, NodeRun, KernelDefinition } from '../src/model/states';

function graphOf(...cells: string[]) {
  const graph = new NotebookGraph();
  cells.forEach((source, i) => graph.setCell(`c${i}`, source));
  return graph.snapshot();
}

describe('node states', () => {
  const source = 'function doubled(raw: number): number { return raw * 2; }';
  const graph = graphOf(source);
  const hash = graph.nodes.get('doubled')?.hash as string;
  const none = new Map<string, KernelDefinition>();
  const runs = new Map<string, NodeRun>();

  it('is unrun while the kernel has never defined the function', () => {
    expect(nodeState(graph, 'doubled', none, runs)).toBe('unrun');
  });

  it('is ok once the kernel holds the current version', () => {
    expect(nodeState(graph, 'doubled', new Map([['doubled', { hash, failed: false }]]), runs)).toBe('ok');
  });

  it('is stale when the source changed after the kernel defined it', () => {
    expect(nodeState(graph, 'doubled', new Map([['doubled', { hash: 'older', failed: false }]]), runs)).toBe('stale');
  });

  it('is error when defining it failed, or its last run failed', () => {
    expect(nodeState(graph, 'doubled', new Map([['doubled', { hash, failed: true }]]), runs)).toBe('error');
    const failed = new Map<string, NodeRun>([['doubled', { status: 'error', hash, message: 'boom' }]]);
    expect(nodeState(graph, 'doubled', new Map([['doubled', { hash, failed: false }]]), failed)).toBe('error');
  });

  it('is cached when the last run took its value from the cache, until the source changes', () => {
    const cached = new Map<string, NodeRun>([['doubled', { status: 'cached', hash, computedAt: '2026-01-01T00:00:00.000Z' }]]);
    expect(nodeState(graph, 'doubled', new Map([['doubled', { hash, failed: false }]]), cached)).toBe('cached');
    expect(nodeState(graph, 'doubled', new Map([['doubled', { hash: 'older', failed: false }]]), cached)).toBe('stale');
  });

  it('forgets a run outcome of an older version', () => {
    const failed = new Map<string, NodeRun>([['doubled', { status: 'error', hash: 'older' }]]);
    expect(nodeState(graph, 'doubled', new Map([['doubled', { hash, failed: false }]]), failed)).toBe('ok');
  });

  it('is running while the current run computes it', () => {
    const running = new Map<string, NodeRun>([['doubled', { status: 'running', hash }]]);
    expect(nodeState(graph, 'doubled', none, running)).toBe('running');
  });

  it('is conflict when two cells define it, whatever else', () => {
    const twice = graphOf(source, source);
    expect(nodeState(twice, 'doubled', new Map([['doubled', { hash, failed: false }]]), runs)).toBe('conflict');
  });

  it('gives inputs the state of their last use', () => {
    expect(nodeState(graph, 'raw', none, runs)).toBe('unrun');
    expect(nodeState(graph, 'raw', none, new Map([['raw', { status: 'ok' }]]))).toBe('ok');
  });
});

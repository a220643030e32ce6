/// <reference lib="webworker" />
/**
 * The layout worker: full layouts of large graphs run here, off the main thread,
 * so typing in the notebook stays responsive while they are computed.
 */
import { routeEdges } from './route';
import { sugiyamaLayout } from './sugiyama';
import type { LayoutInput } from './types';

const scope = self as unknown as DedicatedWorkerGlobalScope;
scope.onmessage = (event: MessageEvent<{ id: number; input: LayoutInput }>) => {
  const { id, input } = event.data;
  try {
    const layout = sugiyamaLayout(input);
    // The edges too: routing a large graph is work the main thread is spared.
    const widths = new Map(input.nodes.map(n => [n.name, n.width]));
    layout.routes = Object.fromEntries(routeEdges(layout, name => widths.get(name) ?? 0, input.edges));
    scope.postMessage({ id, layout });
  } catch (error) {
    scope.postMessage({ id, error: String((error as Error)?.message ?? error) });
  }
};

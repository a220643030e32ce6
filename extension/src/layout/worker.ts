/// <reference lib="webworker" />
/**
 * The layout worker: full layouts of large graphs run here, off the main thread,
 * so typing in the notebook stays responsive while they are computed.
 */
import { sugiyamaLayout } from './sugiyama';
import type { LayoutInput } from './types';

const scope = self as unknown as DedicatedWorkerGlobalScope;
scope.onmessage = (event: MessageEvent<{ id: number; input: LayoutInput }>) => {
  const { id, input } = event.data;
  try {
    scope.postMessage({ id, layout: sugiyamaLayout(input) });
  } catch (error) {
    scope.postMessage({ id, error: String((error as Error)?.message ?? error) });
  }
};

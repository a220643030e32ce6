/**
 * Source analysis and the source-side graph: what the notebook extension and the
 * CLI use to read functions from cells and module files.
 */
export { analyzeSource } from './analyze';
export type { AnalyzeOptions } from './analyze';
export { typesAgree } from './types-agree';
export type { TypeResolver } from './types-agree';
export { hashText } from './hash';
export * from './types';
export { SourceGraph } from '../graph/source-graph';
export type { SourceGraphOptions } from '../graph/source-graph';
export * from '../graph/types';
export { graphToJSON } from '../graph/json';
export { upstreamOf, downstreamOf, topologicalOrder } from '../graph/lineage';

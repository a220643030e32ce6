export { buildGraph, isPrivateName, textTypesAgree, describeOrigin } from './build';
export type { BuildOptions, TypesAgreeFn } from './build';
export { findCycles } from './cycles';
export { upstreamOf, downstreamOf, pathBetween, topologicalOrder } from './lineage';
export { graphToDot } from './dot';
export type { DotOptions } from './dot';
export { graphToJSON } from './json';
export type { GraphJSON } from './json';
export * from './types';

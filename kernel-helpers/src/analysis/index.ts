/** Source analysis: what a cell or a module file defines, read with the TypeScript parser. */
export { analyzeSource } from './analyze';
export type { AnalyzeOptions } from './analyze';
export { typesAgree } from './types-agree';
export type { TypeResolver } from './types-agree';
export { hashText } from './hash';
export { invalidParametersMessage } from './rules';
export * from './types';

export { Driver, useSourceTools } from './driver';
export type { DriverOptions, ExecuteOptions, SourceTools, Variable } from './driver';
export type { ExecutionEvent, RunOptions } from './run';
export { readParameters, readParametersInto } from './parameters';
export type { RuntimeParam } from './parameters';

/**
 * The kernel bridge's shared half: the messages the kernel runtime sends, value
 * previews, the request code the extension sends, and the check of input values
 * against declared types it makes first (the runtime bundle itself is
 * `dagcells/kernel-runtime`).
 */
export { MESSAGE_MIME, isKernelMessage } from './protocol';
export type { KernelMessage, RunError, RunEvent, RunPayload, WireNode } from './protocol';
export { preview, LIMITS, RESULT_LIMITS } from './preview';
export type { PreviewOptions, ValuePreview } from './preview';
export { checkIdentifier, clearCacheCode, installAndRunCode, RequestError, runCode, runPayloadJSON, stopCode } from './request';
export { describeValue, valueMatchesType } from '../driver/value-types';

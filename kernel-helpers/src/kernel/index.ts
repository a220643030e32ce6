/**
 * The kernel bridge's shared half: the messages the kernel runtime sends, value
 * previews, and the request code the extension sends (the runtime bundle itself
 * is `dagcells/kernel-runtime`).
 */
export { MESSAGE_MIME, isKernelMessage } from './protocol';
export type { KernelMessage, RunError, RunPayload } from './protocol';
export { preview, LIMITS } from './preview';
export type { ValuePreview } from './preview';
export { checkIdentifier, installAndRunCode, RequestError, runCode, runPayloadJSON } from './request';

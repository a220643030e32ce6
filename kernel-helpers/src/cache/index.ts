/**
 * The cache: code versions of nodes, data versions (fingerprints) of values,
 * memory and disk stores, and runs that compute again only what changed.
 */
export { codeVersion, codeVersions, graphCodeVersions, isEmbedded, nodeCodeVersions, textVersion, tokenText } from './code-version';
export { CODE_VERSION_SCHEME } from './code-version-scheme';
export type { CodeSource, NodeCodeVersion } from './code-version';
export { fingerprint, loadFingerprints, checksum } from './fingerprint';
export type { Fingerprint } from './fingerprint';
export { MemoryStore } from './stores';
export { DiskStore } from './disk-store';
export type { CacheEntry, CacheStore } from './stores';
export { NodeCache, cachedPlan } from './cache';
export type { CacheBehaviours, CacheEvent, CacheSetting } from './cache';

/**
 * The notion of code version that `nodeCodeVersions` implements, recorded in
 * artifact lineage: versions made under another scheme cannot be compared.
 * Apart from code-version.ts so that reading it loads no compiler.
 */
// 3: a top-level `export` does not count, and a node a modifier made has its
// declaration's version with its name (its function's text no longer counts).
export const CODE_VERSION_SCHEME = 3;

/**
 * The notion of code version that `nodeCodeVersions` implements, recorded in
 * artifact lineage: versions made under another scheme cannot be compared.
 * Apart from code-version.ts so that reading it loads no compiler.
 */
export const CODE_VERSION_SCHEME = 2;

/** The `dagcells` runtime: Hamilton-style dataflows of plain TypeScript functions. */
export const VERSION = '0.1.0';

// Entry of the runtime bundle that the notebook extension installs into a tslab kernel.
(globalThis as any).__dagcells__ = { version: '0.1.0' };

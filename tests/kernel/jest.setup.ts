// A kernel test starts real kernels: it gets minutes, not seconds.
jest.setTimeout(120_000);

// @jupyterlab/services logs every WebSocket it opens at debug level: noise here.
const debug = console.debug;
console.debug = (...args: unknown[]) => {
  if (typeof args[0] === 'string' && args[0].startsWith('Starting WebSocket')) {
    return;
  }
  debug(...args);
};

/** Jest global setup of the kernel tests: one Jupyter server for the whole run. */
import { join } from 'path';

import { PROJECT_ROOT, startServer } from './server';

export default async function globalSetup(): Promise<void> {
  const server = await startServer({
    app: 'server',
    // The filesystem root, so that a test can start kernels in any folder:
    // inside the project and outside it (the @types/node case).
    rootDir: '/',
    logFile: join(PROJECT_ROOT, 'test-output', 'kernel', 'jupyter-server.log')
  });
  (globalThis as { __dagcellsServer?: unknown }).__dagcellsServer = server;
  process.env.DAGCELLS_TEST_SERVER = JSON.stringify({ baseUrl: server.baseUrl, token: server.token, rootDir: server.rootDir });
}

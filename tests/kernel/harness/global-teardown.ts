/** Jest global teardown of the kernel tests: kernels and server stopped, failures included. */
import { RunningServer, stopServer } from './server';

export default async function globalTeardown(): Promise<void> {
  const server = (globalThis as { __dagcellsServer?: RunningServer }).__dagcellsServer;
  if (server) {
    await stopServer(server);
  }
}

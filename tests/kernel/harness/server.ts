/**
 * A real Jupyter server for tests: 127.0.0.1, a free port, a random token, the
 * project's .venv (JupyterLab, the tslab kernel). Started and stopped by the
 * test runners' global setup; kernels are shut down with it, failures included.
 */
import { ChildProcess, spawn } from 'child_process';
import { randomBytes } from 'crypto';
import { createWriteStream, mkdirSync } from 'fs';
import { createServer } from 'net';
import { join } from 'path';

export const PROJECT_ROOT = join(__dirname, '..', '..', '..');
const VENV_BIN = join(PROJECT_ROOT, '.venv', 'bin');

export interface RunningServer {
  baseUrl: string;
  token: string;
  rootDir: string;
  logFile: string;
  process: ChildProcess;
}

/** A port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** Starts `jupyter <app>` and resolves once its API answers. */
export async function startServer(options: {
  app: 'server' | 'lab';
  rootDir: string;
  logFile: string;
  extraArgs?: string[];
  env?: Record<string, string>;
}): Promise<RunningServer> {
  const port = await freePort();
  const token = randomBytes(24).toString('hex');
  const baseUrl = `http://127.0.0.1:${port}/`;
  mkdirSync(join(options.logFile, '..'), { recursive: true });
  const log = createWriteStream(options.logFile);
  const args = [
    options.app,
    '--no-browser',
    '--ServerApp.ip=127.0.0.1',
    `--ServerApp.port=${port}`,
    '--ServerApp.port_retries=0',
    `--ServerApp.root_dir=${options.rootDir}`,
    `--IdentityProvider.token=${token}`,
    ...(process.getuid?.() === 0 ? ['--allow-root'] : []),
    ...(options.extraArgs ?? [])
  ];
  const child = spawn(join(VENV_BIN, 'jupyter'), args, {
    cwd: options.rootDir,
    env: { ...process.env, PATH: `${VENV_BIN}:${process.env.PATH}`, ...(options.env ?? {}) },
    stdio: ['ignore', 'pipe', 'pipe']
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const server = { baseUrl, token, rootDir: options.rootDir, logFile: options.logFile, process: child };
  const started = Date.now();
  while (Date.now() - started < 60_000) {
    if (child.exitCode !== null) {
      throw new Error(`jupyter ${options.app} exited with ${child.exitCode}; see ${options.logFile}`);
    }
    try {
      const response = await fetch(`${baseUrl}api/status`, { headers: { Authorization: `token ${token}` } });
      if (response.ok) {
        return server;
      }
    } catch {
      // not listening yet
    }
    await new Promise(resolve => setTimeout(resolve, 200));
  }
  await stopServer(server);
  throw new Error(`jupyter ${options.app} did not answer within 60 s; see ${options.logFile}`);
}

/** Shuts every kernel down, then the server; kills it if it does not stop. */
export async function stopServer(server: RunningServer): Promise<void> {
  const headers = { Authorization: `token ${server.token}` };
  try {
    const kernels = (await (await fetch(`${server.baseUrl}api/kernels`, { headers })).json()) as { id: string }[];
    await Promise.all(
      kernels.map(k => fetch(`${server.baseUrl}api/kernels/${k.id}`, { method: 'DELETE', headers }).catch(() => undefined))
    );
  } catch {
    // the server is already gone
  }
  const child = server.process;
  if (child.exitCode !== null) {
    return;
  }
  const exited = new Promise<void>(resolve => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

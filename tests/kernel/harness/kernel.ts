/**
 * Real tslab kernels for tests, through the Jupyter server of the global setup
 * and @jupyterlab/services (the same client library the extension uses).
 */
import { Kernel, KernelMessage, ServerConnection, Session, SessionManager, KernelManager } from '@jupyterlab/services';
import { relative } from 'path';
import WebSocket from 'ws';

/** What one execute request produced. */
export interface ExecuteResult {
  status: 'ok' | 'error' | 'abort';
  stdout: string;
  stderr: string;
  /** `display_data` messages, in order. */
  displays: { data: Record<string, unknown>; metadata: Record<string, unknown> }[];
}

export interface TestKernel {
  kernel: Kernel.IKernelConnection;
  /** The folder the kernel runs in. */
  cwd: string;
  /**
   * Executes code like a notebook cell. tslab answers requests arriving within
   * about 200 ms after an error with status 'abort'; those are retried.
   */
  execute(code: string): Promise<ExecuteResult>;
  shutdown(): Promise<void>;
}

export function serverSettings(): ServerConnection.ISettings {
  const raw = process.env.DAGCELLS_TEST_SERVER;
  if (!raw) {
    throw new Error('No test Jupyter server: run the kernel tests through jest --selectProjects kernel.');
  }
  const { baseUrl, token } = JSON.parse(raw) as { baseUrl: string; token: string };
  return ServerConnection.makeSettings({
    baseUrl,
    wsUrl: baseUrl.replace(/^http/, 'ws'),
    token,
    appendToken: true,
    WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
    fetch,
    Request,
    Headers
  });
}

/** Starts a tslab kernel whose working folder is `cwd`. */
export async function startKernel(options: { cwd: string; name?: string }): Promise<TestKernel> {
  const settings = serverSettings();
  const rootDir = (JSON.parse(process.env.DAGCELLS_TEST_SERVER as string) as { rootDir: string }).rootDir;
  const kernelManager = new KernelManager({ serverSettings: settings });
  const sessions = new SessionManager({ serverSettings: settings, kernelManager });
  const session: Session.ISessionConnection = await sessions.startNew({
    path: relative(rootDir, `${options.cwd}/${options.name ?? 'test'}.ipynb`),
    type: 'notebook',
    name: `${options.name ?? 'test'}.ipynb`,
    kernel: { name: 'tslab' }
  });
  const kernel = session.kernel as Kernel.IKernelConnection;
  await kernel.info;
  return {
    kernel,
    cwd: options.cwd,
    execute: code => executeWithRetry(kernel, code),
    async shutdown() {
      await session.shutdown().catch(() => undefined);
      session.dispose();
      sessions.dispose();
      kernelManager.dispose();
    }
  };
}

/** Executes and collects the request's output; retries tslab's post-error aborts. */
export async function executeWithRetry(kernel: Kernel.IKernelConnection, code: string): Promise<ExecuteResult> {
  for (let attempt = 0; ; attempt++) {
    const result = await executeOnce(kernel, code);
    if (result.status !== 'abort' || attempt >= 8) {
      return result;
    }
    await new Promise(resolve => setTimeout(resolve, 100 * (attempt + 1)));
  }
}

async function executeOnce(kernel: Kernel.IKernelConnection, code: string): Promise<ExecuteResult> {
  const result: ExecuteResult = { status: 'ok', stdout: '', stderr: '', displays: [] };
  const future = kernel.requestExecute({ code, stop_on_error: false, store_history: false });
  future.onIOPub = message => {
    if (KernelMessage.isStreamMsg(message)) {
      result[message.content.name] += message.content.text;
    } else if (KernelMessage.isDisplayDataMsg(message)) {
      result.displays.push({
        data: message.content.data as Record<string, unknown>,
        metadata: message.content.metadata as Record<string, unknown>
      });
    }
  };
  const reply = await future.done;
  result.status = (reply?.content as { status: ExecuteResult['status'] }).status;
  return result;
}

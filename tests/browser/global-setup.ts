/**
 * Starts JupyterLab for the browser tests on 127.0.0.1, a free port and a random
 * token, on a fresh copy of notebooks/ (tests never touch the repo's notebooks),
 * with `window.jupyterapp` exposed. The copy lives under test-output/, inside the
 * project, so that `import { Driver } from "dagcells"` resolves as it does in
 * notebooks/. Returns the teardown, which shuts kernels and server down whatever
 * happened; the server log is kept.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { join } from 'path';

import { PROJECT_ROOT, startServer, stopServer } from '../kernel/harness/server';

export default async function globalSetup(): Promise<() => Promise<void>> {
  const base = join(PROJECT_ROOT, 'test-output', 'browser');
  mkdirSync(base, { recursive: true });
  const rootDir = mkdtempSync(join(base, 'lab-'));
  cpSync(join(PROJECT_ROOT, 'notebooks'), rootDir, { recursive: true });
  // Settings and workspaces of their own, so neither the user's nor earlier runs leak
  // in; no news prompt over the panel.
  const settingsDir = mkdtempSync(join(base, 'settings-'));
  const notification = join(settingsDir, '@jupyterlab', 'apputils-extension');
  mkdirSync(notification, { recursive: true });
  writeFileSync(join(notification, 'notification.jupyterlab-settings'), JSON.stringify({ fetchNews: 'false' }));
  const workspacesDir = mkdtempSync(join(base, 'workspaces-'));
  const server = await startServer({
    app: 'lab',
    rootDir,
    logFile: join(PROJECT_ROOT, 'test-output', 'browser', 'jupyter-lab.log'),
    extraArgs: ['--LabApp.expose_app_in_browser=True'],
    env: { JUPYTERLAB_SETTINGS_DIR: settingsDir, JUPYTERLAB_WORKSPACES_DIR: workspacesDir }
  });
  process.env.DAGCELLS_LAB = JSON.stringify({ baseUrl: server.baseUrl, token: server.token, rootDir });
  return async () => {
    await stopServer(server);
    for (const dir of [rootDir, settingsDir, workspacesDir]) {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

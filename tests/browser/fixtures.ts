/**
 * Playwright fixtures for JupyterLab: a page with JupyterLab loaded and ready,
 * and a `lab` helper to open and create notebooks, run cells, execute commands,
 * and read files through the server's contents API. Console errors of the page
 * are collected; screenshots go to test-output/browser/.
 */
import { expect, Page, test as base } from '@playwright/test';
import { mkdirSync } from 'fs';
import { join } from 'path';

export const SCREENSHOTS = join(__dirname, '..', '..', 'test-output', 'browser', 'screenshots');

interface LabServer {
  baseUrl: string;
  token: string;
  rootDir: string;
}

export function labServer(): LabServer {
  const raw = process.env.DAGCELLS_LAB;
  if (!raw) {
    throw new Error('No JupyterLab: run the browser tests with tests/browser/playwright.config.ts.');
  }
  return JSON.parse(raw) as LabServer;
}

/** A cell for a notebook created by a test. */
export type CellSpec = string | { source: string; type?: 'code' | 'markdown'; tags?: string[] };

/**
 * Errors JupyterLab itself logs with a tslab kernel, whatever the extensions:
 * its debugger asks every kernel for debug info, and tslab has no debugger.
 */
const KNOWN_JUPYTERLAB_ERRORS = [/^uncaught: No active debugger session\n[^]*\/static\/lab\/jlab_core\./];

export class Lab {
  readonly server = labServer();
  /** Console errors and uncaught page errors (with their stacks or source URLs), in order. */
  readonly consoleErrors: string[] = [];

  /** Console errors other than JupyterLab's own known ones: those a test must not see. */
  unexpectedErrors(): string[] {
    return this.consoleErrors.filter(error => !KNOWN_JUPYTERLAB_ERRORS.some(known => known.test(error)));
  }

  constructor(readonly page: Page, readonly folder: string) {}

  /** Runs a JupyterLab command by id; resolves to its result when that is plain data (a widget is not). */
  async command(id: string, args: Record<string, unknown> = {}): Promise<unknown> {
    return this.page.evaluate(
      async ([id, args]) => {
        const result = await (window as any).jupyterapp.commands.execute(id, args);
        const plain = result === null || typeof result !== 'object' || Array.isArray(result) || Object.getPrototypeOf(result) === Object.prototype;
        return plain ? result : undefined;
      },
      [id, args] as const
    );
  }

  async hasCommand(id: string): Promise<boolean> {
    return this.page.evaluate(id => (window as any).jupyterapp.commands.hasCommand(id), id);
  }

  /** The contents API, authenticated with the server's token. */
  async contents(path: string, init: { method?: string; body?: unknown } = {}): Promise<any> {
    const response = await fetch(`${this.server.baseUrl}api/contents/${path.split('/').map(encodeURIComponent).join('/')}`, {
      method: init.method ?? 'GET',
      headers: { Authorization: `token ${this.server.token}`, 'Content-Type': 'application/json' },
      body: init.body === undefined ? undefined : JSON.stringify(init.body)
    });
    if (!response.ok) {
      throw Object.assign(new Error(`contents ${init.method ?? 'GET'} ${path}: ${response.status}`), { status: response.status });
    }
    return response.status === 204 ? undefined : response.json();
  }

  /** A file's text, or undefined when it does not exist. */
  async readFile(path: string): Promise<string | undefined> {
    try {
      return (await this.contents(path)).content as string;
    } catch (error) {
      if ((error as { status?: number }).status === 404) {
        return undefined;
      }
      throw error;
    }
  }

  async writeFile(path: string, text: string): Promise<void> {
    await this.contents(path, { method: 'PUT', body: { type: 'file', format: 'text', content: text } });
  }

  /** Creates a tslab notebook in this test's folder (through the contents API) and opens it. */
  async newNotebook(name: string, cells: CellSpec[] = []): Promise<string> {
    const path = await this.writeNotebook(name, cells);
    await this.openNotebook(path);
    return path;
  }

  /** Writes a tslab notebook into this test's folder (through the contents API); resolves to its path. */
  async writeNotebook(name: string, cells: CellSpec[] = []): Promise<string> {
    const path = `${this.folder}/${name}`;
    const content = {
      cells: cells.map((cell, i) => {
        const spec = typeof cell === 'string' ? { source: cell } : cell;
        const type = spec.type ?? 'code';
        return {
          cell_type: type,
          id: `cell-${i}`,
          metadata: spec.tags ? { tags: spec.tags } : {},
          source: spec.source,
          ...(type === 'code' ? { execution_count: null, outputs: [] } : {})
        };
      }),
      metadata: { kernelspec: { name: 'tslab', display_name: 'TypeScript', language: 'typescript' } },
      nbformat: 4,
      nbformat_minor: 5
    };
    await this.contents(path, { method: 'PUT', body: { type: 'notebook', format: 'json', content } });
    return path;
  }

  /** Opens a notebook and waits until its tslab kernel is idle. */
  async openNotebook(path: string): Promise<void> {
    await this.command('docmanager:open', { path, factory: 'Notebook' });
    await this.page.waitForFunction(
      path => {
        const widget = (window as any).jupyterapp.shell.currentWidget;
        const session = widget?.sessionContext?.session;
        return widget?.context?.path === path && session?.kernel?.status === 'idle';
      },
      path,
      { timeout: 60_000 }
    );
  }

  /** Waits until the current notebook's kernel is idle (after running cells). */
  async waitForIdle(): Promise<void> {
    await this.page.waitForFunction(() => {
      const kernel = (window as any).jupyterapp.shell.currentWidget?.sessionContext?.session?.kernel;
      return kernel?.status === 'idle';
    });
  }

  /** Runs every cell of the current notebook and waits for all to finish. */
  async runAll(): Promise<void> {
    await this.command('notebook:run-all-cells');
    await this.page.waitForFunction(() => {
      const notebook = (window as any).jupyterapp.shell.currentWidget?.content;
      const cells = notebook?.widgets ?? [];
      return cells.every((cell: any) => cell.model.type !== 'code' || (cell.model.executionCount && !cell.hasClass?.('jp-mod-running')));
    }, null, { timeout: 120_000 });
    await this.waitForIdle();
  }

  /** The text of a code cell's outputs (0-based index among all cells). */
  async cellOutput(index: number): Promise<string> {
    return this.page.evaluate(index => {
      const cell = (window as any).jupyterapp.shell.currentWidget.content.widgets[index];
      return cell.node.querySelector('.jp-OutputArea')?.textContent ?? '';
    }, index);
  }

  /**
   * Drags the edge of a sidebar, as a user does, until the sidebar is about
   * `width` pixels wide (JupyterLab opens sidebars at their narrow minimum).
   */
  async resizeSidebar(side: 'left' | 'right', width: number): Promise<void> {
    const area = this.page.locator(side === 'left' ? '#jp-left-stack' : '#jp-right-stack');
    const handles = this.page.locator('#jp-main-split-panel > .lm-SplitPanel-handle:not(.lm-mod-hidden)');
    const handle = side === 'left' ? handles.first() : handles.last();
    const areaBox = await area.boundingBox();
    const box = await handle.boundingBox();
    if (!areaBox || !box) {
      throw new Error(`The ${side} sidebar is not open: nothing to resize.`);
    }
    const x = box.x + box.width / 2;
    const y = box.y + box.height / 2;
    const to = side === 'left' ? x + (width - areaBox.width) : x - (width - areaBox.width);
    await this.page.mouse.move(x, y);
    await this.page.mouse.down();
    await this.page.mouse.move(to, y, { steps: 8 });
    await this.page.mouse.up();
  }

  /** Saves a screenshot under test-output/browser/screenshots. */
  async screenshot(name: string, locator?: ReturnType<Page['locator']>): Promise<string> {
    mkdirSync(SCREENSHOTS, { recursive: true });
    const path = join(SCREENSHOTS, `${name}.png`);
    await (locator ?? this.page).screenshot({ path });
    return path;
  }
}

export const test = base.extend<{ lab: Lab }>({
  lab: async ({ page }, use, testInfo) => {
    const server = labServer();
    const folder = `t-${testInfo.testId.slice(0, 10)}`;
    const lab = new Lab(page, folder);
    page.on('console', message => {
      if (message.type() === 'error') {
        lab.consoleErrors.push(`${message.text()}\n  at ${message.location().url}`);
      }
    });
    page.on('pageerror', error => lab.consoleErrors.push(`uncaught: ${error.message}\n${error.stack}`));
    await lab.contents(folder, { method: 'PUT', body: { type: 'directory' } });
    await page.goto(`${server.baseUrl}lab?token=${server.token}&reset`);
    // `reset` reloads the page once the workspace is cleared: wait for the page that stays.
    await page.waitForFunction(
      () => {
        const app = (window as any).jupyterapp;
        return Boolean(app && !window.location.search.includes('reset') && app.commands.hasCommand('dagcells:toggle-panel'));
      },
      null,
      { timeout: 60_000 }
    );
    await page.evaluate(() => (window as any).jupyterapp.restored);
    await page.waitForSelector('#jp-main-dock-panel');
    await use(lab);
    // Kernels of this test are shut down; the server goes at the end of the run.
    await page.evaluate(() => (window as any).jupyterapp.serviceManager.sessions.shutdownAll()).catch(() => undefined);
  }
});

export { expect };

import type { Page } from '@playwright/test';

import { expect, Lab, test } from './fixtures';

/**
 * What the panel shows is what the kernel runs: cells that are gone leave the
 * graph at once, a fresh or restarted kernel runs any output, optional
 * parameters are optional, a name defined twice runs its later definition,
 * and interrupts and restarts end a run truthfully. Real JupyterLab, a real
 * tslab kernel, headless Chromium.
 */

const node = (page: Page, name: string) => page.locator(`[data-dagcells-node="${name}"]`);
const result = (page: Page, name: string) => page.locator(`[data-dagcells-result="${name}"]`);
const message = (page: Page) => page.locator('[data-dagcells-message]');

async function openPanel(lab: Lab): Promise<void> {
  if (!(await lab.page.locator('#dagcells-panel').isVisible())) {
    await lab.command('dagcells:toggle-panel');
  }
  await expect(lab.page.locator('#dagcells-panel')).toBeVisible();
  await lab.resizeSidebar('right', 640);
}

/** Makes cell `index` (0-based) the active one, in command mode. */
async function activate(page: Page, index: number): Promise<void> {
  await page.evaluate(index => {
    const notebook = (window as any).jupyterapp.shell.currentWidget.content;
    notebook.deselectAll();
    notebook.activeCellIndex = index;
    notebook.mode = 'command';
  }, index);
}

async function execute(page: Page, outputs: string[], inputs: Record<string, string> = {}): Promise<void> {
  await page.evaluate(() => (window as any).jupyterapp.commands.execute('dagcells:fit'));
  for (const name of outputs) {
    if ((await node(page, name).getAttribute('data-selected')) !== 'true') {
      await node(page, name).click();
    }
  }
  for (const [name, text] of Object.entries(inputs)) {
    await page.fill(`[data-dagcells-input="${name}"]`, text);
  }
  await page.click('[data-dagcells-action="execute"]');
}

test.describe('cells that are gone leave the graph at once', () => {
  test('deleting, cutting, moving and undoing cells update the graph, and a deleted node cannot run', async ({ lab, page }) => {
    await lab.newNotebook('ghosts.ipynb', [
      'function base(raw: number): number { return raw; }',
      'function ghost(ghost_in: number): number { return ghost_in * 2; }',
      'function broken(x: number): number { return x + ; }',
      'function pick(base: number): number { return base + 1; }',
      'function pick(base: number): number { return base + 100; }'
    ]);
    await openPanel(lab);
    await expect(node(page, 'ghost')).toBeVisible();
    const sourceProblems = page.locator('.jp-DagcellsRun-problem[data-code="SOURCE"]');
    await expect(sourceProblems).toHaveCount(1);

    // Delete the ghost's cell: the node goes, through a re-layout and reopening the panel.
    await activate(page, 1);
    await lab.command('notebook:delete-cell');
    await expect(node(page, 'ghost')).toHaveCount(0);
    await expect(node(page, 'ghost_in')).toHaveCount(0);
    await lab.command('dagcells:relayout');
    await lab.command('dagcells:toggle-panel');
    await lab.command('dagcells:toggle-panel');
    await expect(node(page, 'base')).toBeVisible();
    await expect(node(page, 'ghost')).toHaveCount(0);

    // A deleted broken cell takes its problem with it.
    await activate(page, 1);
    await lab.command('notebook:delete-cell');
    await expect(sourceProblems).toHaveCount(0);

    // Cut a cell: its node goes; paste it back: it returns.
    await activate(page, 0);
    await lab.command('notebook:cut-cell');
    // Still a name pick needs, now as an external input.
    await expect(node(page, 'base')).toHaveAttribute('data-kind', 'input');
    await expect(node(page, 'pick')).toBeVisible();
    await lab.command('notebook:paste-cell-below');
    await expect(node(page, 'base')).toHaveAttribute('data-kind', 'function');

    // Undo the deletion of the ghost: it comes back; redo: it goes again.
    await lab.command('notebook:undo-cell-action');
    await lab.command('notebook:undo-cell-action');
    await lab.command('notebook:undo-cell-action');
    await lab.command('notebook:undo-cell-action');
    await expect(node(page, 'ghost')).toBeVisible();

    // Moving the later `pick` above the earlier one changes which definition runs.
    const cells = await page.evaluate(() =>
      (window as any).jupyterapp.shell.currentWidget.content.widgets.map((c: any) => c.model.sharedModel.getSource() as string)
    );
    const plus100 = cells.findIndex((s: string) => s.includes('base + 100'));
    await activate(page, plus100);
    await lab.command('notebook:move-cell-up');
    await execute(page, ['pick'], { raw: '1' });
    await expect(result(page, 'pick')).toHaveText('2');
    await expect(node(page, 'pick')).toHaveAttribute('data-state', 'conflict');
    expect(lab.unexpectedErrors()).toEqual([]);
  });

  test('a cell turned into markdown, or tagged dagcells-skip, leaves the graph', async ({ lab, page }) => {
    await lab.newNotebook('retyped.ipynb', ['function kept(x: number): number { return x; }', 'function prose(y: number): number { return y; }']);
    await openPanel(lab);
    await expect(node(page, 'prose')).toBeVisible();
    await activate(page, 1);
    await lab.command('notebook:change-cell-to-markdown');
    await expect(node(page, 'prose')).toHaveCount(0);
    await page.evaluate(() => {
      const cell = (window as any).jupyterapp.shell.currentWidget.content.widgets[0];
      cell.model.sharedModel.setMetadata('tags', ['dagcells-skip']);
    });
    await expect(node(page, 'kept')).toHaveCount(0);
  });
});

test.describe('a run defines what it needs', () => {
  test('every output of feature_engineering.ipynb runs in a fresh kernel, and again after a restart', async ({ lab, page }) => {
    await lab.openNotebook('feature_engineering.ipynb');
    await openPanel(lab);
    const inputs = { data_path: 'data/orders.csv', as_of: '2026-06-30', high_value_quantile: '0.8' };
    await execute(page, ['segments', 'region_summary'], inputs);
    await expect(result(page, 'segments')).toContainText('high_value');
    await expect(result(page, 'region_summary')).toContainText('3 rows');
    await expect(message(page)).toHaveText(/^Done in \d+ ms\.$/);
    const segments = await result(page, 'segments').textContent();
    for (const name of ['raw_rows', 'orders', 'clean_orders', 'customer_features', 'segments']) {
      await expect(node(page, name)).toHaveAttribute('data-state', 'ok');
    }

    // (tslab's kernel reports its status as unknown after a restart until it runs something: not waited for.)
    await page.evaluate(() => (window as any).jupyterapp.shell.currentWidget.sessionContext.session.kernel.restart());
    await expect(node(page, 'segments')).toHaveAttribute('data-state', 'unrun');
    await page.click('[data-dagcells-action="execute"]');
    await expect(result(page, 'segments')).toHaveText(segments ?? '');
    await expect(message(page)).toHaveText(/^Done in \d+ ms\.$/);
    expect(lab.unexpectedErrors()).toEqual([]);
  });

  test("an optional '?' parameter needs no value, as the panel says", async ({ lab, page }) => {
    await lab.newNotebook('optional.ipynb', ['function total(a: number, bonus?: number): number { return a + (bonus ?? 0.5); }']);
    await openPanel(lab);
    await node(page, 'total').click();
    await expect(page.locator('.jp-DagcellsRun-input', { hasText: 'bonus' })).toContainText('(optional)');
    await execute(page, ['total'], { a: '1' });
    await expect(result(page, 'total')).toHaveText('1.5');
  });
});

test.describe('runs that end truthfully', () => {
  const slow = [
    'async function slow(start: number): Promise<number> { await new Promise(r => setTimeout(r, 60_000)); return start; }',
    'function after(slow: number): number { return slow + 1; }'
  ];

  test('Kernel > Interrupt stops a panel run while a node awaits, like Stop', async ({ lab, page }) => {
    await lab.newNotebook('interrupt.ipynb', slow);
    await openPanel(lab);
    await execute(page, ['after'], { start: '1' });
    await expect(node(page, 'slow')).toHaveAttribute('data-state', 'running');
    await lab.command('kernelmenu:interrupt');
    await expect(message(page)).toHaveText('The run was interrupted while slow was running.');
    await expect(node(page, 'slow')).not.toHaveAttribute('data-state', 'running');
    await expect(node(page, 'after')).not.toHaveAttribute('data-state', 'running');
    await expect(page.locator('[data-dagcells-action="execute"]')).toBeEnabled();
  });

  test('a kernel restart during a run ends it with a message that stays', async ({ lab, page }) => {
    await lab.newNotebook('restart.ipynb', slow);
    await openPanel(lab);
    await execute(page, ['after'], { start: '1' });
    await expect(node(page, 'slow')).toHaveAttribute('data-state', 'running');
    await page.evaluate(() => (window as any).jupyterapp.shell.currentWidget.sessionContext.session.kernel.restart());
    await expect(message(page)).toHaveText('The kernel restarted during the run; the run ended with it.');
    // Long after the restart, it still says what happened.
    await page.waitForTimeout(4000);
    await expect(message(page)).toHaveText('The kernel restarted during the run; the run ended with it.');
    await expect(node(page, 'slow')).toHaveAttribute('data-state', 'unrun');
    await expect(node(page, 'after')).toHaveAttribute('data-state', 'unrun');
    await expect(page.locator('[data-dagcells-action="execute"]')).toBeEnabled();
  });
});

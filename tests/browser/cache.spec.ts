import type { Page } from '@playwright/test';
import { readFileSync } from 'fs';
import { join } from 'path';

import { expect, Lab, test } from './fixtures';

/**
 * The kernel keeps values of earlier panel runs: after editing one function of
 * hello_world, Execute computes that node and what depends on it, and the panel
 * shows every other node as `cached`. Real JupyterLab, tslab and Chromium.
 */

const node = (page: Page, name: string) => page.locator(`[data-dagcells-node="${name}"]`);
const result = (page: Page, name: string) => page.locator(`[data-dagcells-result="${name}"]`);

/** The code cells of notebooks/hello_world.ipynb that define functions. */
function helloWorldCells(): string[] {
  const notebook = JSON.parse(readFileSync(join(__dirname, '..', '..', 'notebooks', 'hello_world.ipynb'), 'utf8'));
  return notebook.cells
    .filter((c: { cell_type: string }) => c.cell_type === 'code')
    .map((c: { source: string | string[] }) => (Array.isArray(c.source) ? c.source.join('') : c.source))
    .filter((source: string) => /^function /m.test(source) && !source.includes('Driver'));
}

async function openPanel(lab: Lab): Promise<void> {
  if (!(await lab.page.locator('#dagcells-panel').isVisible())) {
    await lab.command('dagcells:toggle-panel');
  }
  await expect(lab.page.locator('#dagcells-panel')).toBeVisible();
  await lab.resizeSidebar('right', 640);
}

async function states(page: Page, names: string[]): Promise<Record<string, string | null>> {
  const out: Record<string, string | null> = {};
  for (const name of names) {
    out[name] = await node(page, name).getAttribute('data-state');
  }
  return out;
}

const FUNCTIONS = ['spend', 'signups', 'spend_per_signup', 'spend_mean', 'spend_zero_mean', 'spend_std_dev', 'spend_zero_mean_unit_variance'];
const OUTPUTS = ['spend_per_signup', 'spend_zero_mean_unit_variance'];

test('editing one function of hello_world: it and its downstream run, the rest is cached', async ({ lab, page }) => {
  const cells = helloWorldCells();
  await lab.newNotebook('cached_hello.ipynb', cells);
  await openPanel(lab);
  await page.evaluate(() => (window as any).jupyterapp.commands.execute('dagcells:fit'));
  for (const name of OUTPUTS) {
    await node(page, name).click();
  }
  await page.fill('[data-dagcells-input="raw_spend"]', '[10, 10, 20, 40, 40, 50]');
  await page.fill('[data-dagcells-input="raw_signups"]', '[1, 10, 50, 100, 200, 400]');
  await page.click('[data-dagcells-action="execute"]');
  await expect(result(page, 'spend_zero_mean_unit_variance')).toBeVisible({ timeout: 60_000 });
  await expect.poll(() => states(page, FUNCTIONS)).toEqual(Object.fromEntries(FUNCTIONS.map(n => [n, 'ok'])));

  // Edit spend_mean (a different result): it and spend_zero_mean, spend_zero_mean_unit_variance run again.
  const index = cells.findIndex(c => c.includes('function spend_mean'));
  const edited = cells[index].replace('/ spend.length;', '/ spend.length + 1;');
  await page.evaluate(
    ([i, text]) => {
      const notebook = (window as any).jupyterapp.shell.currentWidget.content;
      notebook.widgets[i].model.sharedModel.setSource(text);
    },
    [index, edited] as const
  );
  await expect(node(page, 'spend_mean')).toHaveAttribute('data-state', 'stale');
  await page.click('[data-dagcells-action="execute"]');
  await expect
    .poll(() => states(page, FUNCTIONS), { timeout: 60_000 })
    .toEqual({
      spend: 'cached',
      signups: 'cached',
      spend_per_signup: 'cached',
      spend_std_dev: 'cached',
      spend_mean: 'ok',
      spend_zero_mean: 'ok',
      spend_zero_mean_unit_variance: 'ok'
    });
  // The tooltip of a cached node says when the run that computed it did so.
  await expect(node(page, 'spend_std_dev').locator('title')).toContainText('from the cache: computed');

  // Run stale after editing spend_std_dev (in the same cell as spend_mean, whose edit stays): it and what
  // takes it run, the rest of the closure is retrieved.
  await page.evaluate(
    ([i, text]) => (window as any).jupyterapp.shell.currentWidget.content.widgets[i].model.sharedModel.setSource(text),
    [index, edited.replace('(spend.length - 1));', '(spend.length - 1)) * 2;')] as const
  );
  await expect(node(page, 'spend_std_dev')).toHaveAttribute('data-state', 'stale');
  await lab.command('dagcells:run-stale');
  await expect
    .poll(() => states(page, FUNCTIONS), { timeout: 60_000 })
    .toEqual({
      spend: 'cached',
      signups: 'cached',
      spend_per_signup: 'cached',
      spend_mean: 'cached',
      spend_zero_mean: 'cached',
      spend_std_dev: 'ok',
      spend_zero_mean_unit_variance: 'ok'
    });

  // Disabled from a node's context menu: spend is neither read nor stored, so what takes it runs (as in
  // Hamilton); spend_zero_mean_unit_variance gets the same inputs' values as before, and is retrieved.
  await lab.command('dagcells:cache-disable', { node: 'spend' });
  await page.click('[data-dagcells-action="execute"]');
  await expect
    .poll(() => states(page, FUNCTIONS), { timeout: 60_000 })
    .toEqual({ ...Object.fromEntries(FUNCTIONS.map(n => [n, 'ok'])), signups: 'cached', spend_zero_mean_unit_variance: 'cached' });
  await lab.command('dagcells:cache-disable', { node: 'spend' });

  // Clear cache: the next run computes everything again.
  await lab.command('dagcells:clear-cache');
  await page.click('[data-dagcells-action="execute"]');
  await expect.poll(() => states(page, FUNCTIONS), { timeout: 60_000 }).toEqual(Object.fromEntries(FUNCTIONS.map(n => [n, 'ok'])));
});

import type { Page } from '@playwright/test';

import { expect, Lab, test } from './fixtures';

/**
 * Modifiers in the panel: a config field per key the cells' modifiers read,
 * variants switching live with it (the consumer's edges follow the chosen
 * variant), savers drawn as savers and run only when selected, a failing check
 * shown on its node. Real JupyterLab, a real tslab kernel, headless Chromium.
 */
const node = (page: Page, name: string) => page.locator(`[data-dagcells-node="${name}"]`);
const edge = (page: Page, from: string, to: string) => page.locator(`[data-dagcells-edge="${from}->${to}"]`);

async function openPanel(lab: Lab): Promise<void> {
  if (!(await lab.page.locator('#dagcells-panel').isVisible())) {
    await lab.command('dagcells:toggle-panel');
  }
  await expect(lab.page.locator('#dagcells-panel')).toBeVisible();
  await lab.resizeSidebar('right', 640);
}

test('variants follow the config field live; a saver is drawn as one and runs only when selected; a failing check is on its node', async ({ lab, page }) => {
  const notebookPath = await lab.newNotebook('variants.ipynb', [
    'import { config, checkOutput, saveTo, source } from "dagcells";',
    'const spend__us = config.when({ region: "US" }, (raw_spend: number[]): number[] => raw_spend);\n' +
      'const spend__eu = config.when({ region: "EU" }, (raw_eur: number[]): number[] => raw_eur.map(x => x * 2));',
    'const total = checkOutput({ range: [0, 100] }, (spend: number[]): number => spend.reduce((a, b) => a + b, 0));',
    'const report = saveTo.json({ path: "report.json" }, (total: number): { total: number } => ({ total }));'
  ]);
  await openPanel(lab);
  const field = page.locator('[data-dagcells-config="region"]');
  await expect(field).toBeVisible();
  await expect(node(page, 'save_report')).toHaveAttribute('data-kind', 'saver');

  await field.fill('US');
  await expect(edge(page, 'raw_spend', 'spend')).toHaveCount(1);
  await expect(node(page, 'spend')).toHaveAttribute('data-variant', 'chosen');
  await field.fill('EU');
  await expect(edge(page, 'raw_eur', 'spend')).toHaveCount(1);
  await expect(edge(page, 'raw_spend', 'spend')).toHaveCount(0);

  // Run `report`: the saver does not run (its node stays unrun).
  await page.evaluate(() => (window as any).jupyterapp.commands.execute('dagcells:fit'));
  await node(page, 'report').click();
  await page.fill('[data-dagcells-input="raw_eur"]', '[1, 2]');
  await page.click('[data-dagcells-action="execute"]');
  await expect(page.locator('[data-dagcells-result="report"]')).toContainText('6');
  await expect(page.locator('[data-dagcells-result="save_report"]')).toHaveCount(0);
  const folder = notebookPath.replace(/\/?[^/]+$/, '');
  const exists = () =>
    page.evaluate(
      folder => (window as any).jupyterapp.serviceManager.contents.get(folder).then((m: any) => m.content.some((f: any) => f.name === 'report.json')),
      folder
    );
  expect(await exists()).toBe(false);

  // Selected, the saver runs and says where it wrote.
  await node(page, 'report').click();
  await node(page, 'save_report').click();
  await page.click('[data-dagcells-action="execute"]');
  await expect(page.locator('[data-dagcells-result="save_report"]')).toContainText('report.json');
  await expect(node(page, 'save_report')).toHaveAttribute('data-state', 'ok');
  expect(await exists()).toBe(true);

  // A value out of the check's range: CHECK_FAILED on `total`.
  await page.fill('[data-dagcells-input="raw_eur"]', '[100]');
  await page.click('[data-dagcells-action="execute"]');
  await expect(node(page, 'total')).toHaveAttribute('data-state', 'error');
  await expect(page.locator('[data-dagcells-error="total"]')).toContainText('total failed its check');

  // The config is remembered in the notebook's metadata.
  const remembered = await page.evaluate(() => (window as any).jupyterapp.shell.currentWidget.context.model.getMetadata('dagcells'));
  expect(remembered).toEqual({ config: { region: 'EU' } });
  expect(lab.unexpectedErrors()).toEqual([]);
});

test('a warn check that fails keeps the run going and marks its node with what the check said', async ({ lab, page }) => {
  await lab.newNotebook('warned.ipynb', [
    'import { checkOutput } from "dagcells";',
    'const mean_spend = checkOutput({ range: [0, 10], importance: "warn" }, (spend: number[]): number => spend.reduce((a, b) => a + b, 0) / spend.length);',
    'function doubled(mean_spend: number): number { return mean_spend * 2; }'
  ]);
  await openPanel(lab);
  await page.evaluate(() => (window as any).jupyterapp.commands.execute('dagcells:fit'));
  await node(page, 'doubled').click();
  await page.fill('[data-dagcells-input="spend"]', '[30, 50]');
  await page.click('[data-dagcells-action="execute"]');
  // The consumer ran on the value; the checked node is ok, marked, and its tooltip says why.
  await expect(page.locator('[data-dagcells-result="doubled"]')).toContainText('80');
  await expect(node(page, 'mean_spend')).toHaveAttribute('data-state', 'ok');
  await expect(node(page, 'mean_spend')).toHaveAttribute('data-warning', 'check');
  await expect(node(page, 'mean_spend').locator('title')).toContainText('warning: ');
  await expect(node(page, 'doubled')).not.toHaveAttribute('data-warning', /.*/);
  // A value in range: the next run clears the mark.
  await page.fill('[data-dagcells-input="spend"]', '[3, 5]');
  await page.click('[data-dagcells-action="execute"]');
  await expect(page.locator('[data-dagcells-result="doubled"]')).toContainText('8');
  await expect(node(page, 'mean_spend')).not.toHaveAttribute('data-warning', /.*/);
  expect(lab.unexpectedErrors()).toEqual([]);
});

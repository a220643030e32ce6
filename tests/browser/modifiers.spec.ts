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
  // The variant not chosen is drawn dimmed under its declared name, with no edges of its own.
  await expect(node(page, 'spend__eu')).toHaveAttribute('data-variant', 'unchosen');
  await expect(node(page, 'spend__us')).toHaveCount(0);
  await expect(edge(page, 'raw_eur', 'spend__eu')).toHaveCount(0);
  await field.fill('EU');
  await expect(edge(page, 'raw_eur', 'spend')).toHaveCount(1);
  await expect(edge(page, 'raw_spend', 'spend')).toHaveCount(0);
  await expect(node(page, 'spend__us')).toHaveAttribute('data-variant', 'unchosen');
  await expect(node(page, 'spend__eu')).toHaveCount(0);

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

test('the example notebook: variants not chosen are dimmed and swap with the config; a saver\'s result opens its file', async ({ lab, page }) => {
  test.setTimeout(240_000);
  await lab.openNotebook('variants_and_artifacts.ipynb');
  await openPanel(lab);
  await page.evaluate(() => (window as any).jupyterapp.commands.execute('dagcells:fit'));
  const field = page.locator('[data-dagcells-config="feature_set"]');
  await expect(field).toBeVisible();

  // No config yet: no variant applies. Both are dimmed, `features` is no function, and its consumers say which config would define it.
  await field.fill('');
  await expect(node(page, 'features__basic')).toHaveAttribute('data-variant', 'unchosen');
  await expect(node(page, 'features__rich')).toHaveAttribute('data-variant', 'unchosen');
  await expect(node(page, 'features')).toHaveAttribute('data-kind', 'input');
  const wouldDefine = 'No variant of features applies with this config; feature_set == "basic" (features__basic) or feature_set == "rich" (features__rich) would define it.';
  await expect(node(page, 'train_examples').locator('title')).toContainText(wouldDefine);
  await expect(page.locator('[data-dagcells-absent="features"]')).toContainText(wouldDefine);

  // basic chosen: `features` is that variant, rich is dimmed and names the config that would choose it.
  await field.fill('basic');
  await expect(node(page, 'features')).toHaveAttribute('data-variant', 'chosen');
  await expect(node(page, 'features')).toHaveAttribute('data-kind', 'function');
  await expect(node(page, 'features').locator('title')).toContainText('features__basic');
  await expect(node(page, 'features__basic')).toHaveCount(0);
  const rich = node(page, 'features__rich');
  await expect(rich).toHaveAttribute('data-variant', 'unchosen');
  await expect(rich.locator('title')).toContainText('chosen when feature_set == "rich"');
  await expect(page.locator('[data-dagcells-absent]')).toHaveCount(0);
  // The consumers' edges come from the chosen variant only.
  await expect(edge(page, 'orders', 'features')).toHaveCount(1);
  await expect(edge(page, 'features', 'train_examples')).toHaveCount(1);
  await expect(edge(page, 'features', 'validation_examples')).toHaveCount(1);
  await expect(page.locator('[data-dagcells-edge$="->features__rich"], [data-dagcells-edge^="features__rich->"]')).toHaveCount(0);
  // Dimmed: fainter than the chosen node, and clicking it picks nothing.
  const opacity = (name: string) => node(page, name).evaluate(el => Number(getComputedStyle(el).opacity));
  expect(await opacity('features__rich')).toBeLessThan(0.75);
  expect(await opacity('features')).toBe(1);
  // (Playwright holds back clicks on what says it is disabled; a user's click still lands.)
  await rich.click({ force: true });
  await expect(rich).toHaveAttribute('data-selected', 'false');
  await expect(page.locator('.jp-DagcellsRun-chip')).toHaveCount(0);
  await expect(page.locator('[data-dagcells-legend="unchosen"] [data-variant="unchosen"]')).toHaveCount(1);

  // Pictures of the dimmed variant, with the legend open, in both themes (test-output/browser/screenshots).
  await page.locator('.jp-DagcellsLegend summary').click();
  for (const theme of ['JupyterLab Light', 'JupyterLab Dark']) {
    await lab.command('apputils:change-theme', { theme });
    await expect(page.locator('body')).toHaveAttribute('data-jp-theme-light', theme.endsWith('Light') ? 'true' : 'false');
    await page.waitForTimeout(400); // the panel frames the graph again once its room settles
    await lab.command('dagcells:fit');
    await page.waitForTimeout(400);
    await lab.screenshot(`variant-unchosen-${theme.endsWith('Light') ? 'light' : 'dark'}`, page.locator('#dagcells-panel'));
  }
  await page.locator('.jp-DagcellsLegend summary').click();
  await lab.command('apputils:change-theme', { theme: 'JupyterLab Light' });

  // The config field swaps them live, and the consumer's edge follows the new choice.
  await field.fill('rich');
  await expect(node(page, 'features__basic')).toHaveAttribute('data-variant', 'unchosen');
  await expect(node(page, 'features__rich')).toHaveCount(0);
  await expect(node(page, 'features').locator('title')).toContainText('features__rich');
  await expect(edge(page, 'features', 'train_examples')).toHaveCount(1);
  await expect(page.locator('[data-dagcells-edge^="features__basic->"]')).toHaveCount(0);

  // Run the saver: its result links to the file it wrote, which opens in JupyterLab.
  const target = `${lab.folder}/validation_predictions.csv`;
  await node(page, 'save_validation_predictions').click();
  await page.fill('[data-dagcells-input="orders_path"]', 'data/orders.csv');
  await page.fill('[data-dagcells-input="predictions_path"]', target);
  await page.click('[data-dagcells-action="execute"]');
  await expect(page.locator('[data-dagcells-result="save_validation_predictions"]')).toContainText('validation_predictions.csv', { timeout: 90_000 });
  const link = page.locator('[data-dagcells-artifact="save_validation_predictions"]');
  await expect(link).toHaveText(target);
  expect(await lab.readFile(target)).toMatch(/^order_id,score,predicted,actual/);
  await lab.screenshot('saver-artifact-link', page.locator('.jp-DagcellsRun-results'));
  await link.click();
  await page.waitForFunction(path => (window as any).jupyterapp.shell.currentWidget?.context?.path === path, target);
  await expect(page.locator('#jp-main-dock-panel .lm-TabBar-tab.lm-mod-current .lm-TabBar-tabLabel')).toHaveText('validation_predictions.csv');
  expect(lab.unexpectedErrors()).toEqual([]);
});

test('a parquet saver\'s file, which JupyterLab does not open, is shown in the file browser', async ({ lab, page }) => {
  await lab.newNotebook('parquet.ipynb', [
    'import { saveTo } from "dagcells";',
    'const table = saveTo.parquet({ path: "out/table.parquet" }, (): { a: number }[] => [{ a: 1 }, { a: 2 }]);'
  ]);
  await openPanel(lab);
  await node(page, 'save_table').click();
  await page.click('[data-dagcells-action="execute"]');
  const link = page.locator('[data-dagcells-artifact="save_table"]');
  await expect(link).toHaveText(`${lab.folder}/out/table.parquet`, { timeout: 60_000 });
  await link.click();
  // The file browser goes to the file's folder and selects it; no document opens.
  await expect(page.locator('.jp-FileBrowser .jp-BreadCrumbs')).toContainText('out');
  await expect(page.locator('.jp-DirListing-item.jp-mod-selected')).toContainText('table.parquet');
  expect(await page.evaluate(() => (window as any).jupyterapp.shell.currentWidget?.context?.path)).toBe(`${lab.folder}/parquet.ipynb`);
  expect(lab.unexpectedErrors()).toEqual([]);
});

test('a saver run from the panel records its lineage, a config variant comes from the cache on the second run, and savers and loaders are drawn as files', async ({ lab, page }) => {
  test.setTimeout(180_000);
  await lab.newNotebook('lineage.ipynb', [
    'import { config, loadFrom, saveTo } from "dagcells";',
    'const spend__us = config.when({ region: "US" }, (raw_spend: number[]): number[] => raw_spend);\n' +
      'const spend__eu = config.when({ region: "EU" }, (raw_eur: number[]): number[] => raw_eur.map(x => x * 2));',
    'function total(spend: number[]): number { return spend.reduce((a, b) => a + b, 0); }',
    'const report = saveTo.json({ path: "out/report.json" }, (total: number): { total: number } => ({ total }));',
    'const orders = loadFrom.json({ path: "orders.json" }, (data: number[]): number[] => data);'
  ]);
  await openPanel(lab);
  await page.locator('[data-dagcells-config="region"]').fill('US');
  await expect(node(page, 'spend')).toHaveAttribute('data-variant', 'chosen');
  await page.evaluate(() => (window as any).jupyterapp.commands.execute('dagcells:fit'));

  // Drawn as files: the box (still the node's first rect) with its corner folded, and a glyph telling writing from reading.
  const drawn = (name: string) =>
    node(page, name).evaluate(g => ({
      box: g.querySelector('rect')?.getAttribute('class'),
      fold: g.querySelector('.jp-DagcellsGraph-fold')?.getAttribute('d') ?? '',
      glyph: g.querySelector('.jp-DagcellsGraph-kind')?.getAttribute('d') ?? '',
      label: g.getAttribute('aria-label')
    }));
  const saver = await drawn('save_report');
  const loader = await drawn('load_orders');
  const plain = await drawn('total');
  expect(saver.box).toBe('jp-DagcellsGraph-box');
  expect(saver.fold).not.toBe('');
  expect(loader.fold).not.toBe('');
  expect(saver.glyph).not.toBe('');
  expect(loader.glyph).not.toBe('');
  expect(saver.glyph).not.toBe(loader.glyph);
  expect(plain).toMatchObject({ box: 'jp-DagcellsGraph-box', fold: '', glyph: '' });
  expect(saver.label).toContain('save_report, saver,');
  expect(loader.label).toContain('load_orders, loader,');
  await page.locator('.jp-DagcellsLegend summary').click();
  await expect(page.locator('.jp-DagcellsLegend-item', { hasText: 'saver (writes a file)' }).locator('.jp-DagcellsGraph-fold')).toHaveCount(1);
  await expect(page.locator('.jp-DagcellsLegend-item', { hasText: 'loader (reads a file)' }).locator('.jp-DagcellsGraph-kind')).toHaveCount(1);

  // Run the saver: its file gets the lineage record the CLI reads, code versions of the variant included.
  await node(page, 'save_report').click();
  await page.fill('[data-dagcells-input="raw_spend"]', '[1, 2, 3]');
  await page.click('[data-dagcells-action="execute"]');
  await expect(page.locator('[data-dagcells-result="save_report"]')).toContainText('report.json', { timeout: 60_000 });
  expect(JSON.parse((await lab.readFile(`${lab.folder}/out/report.json`)) as string)).toEqual({ total: 6 });
  const record = JSON.parse((await lab.readFile(`${lab.folder}/out/report.json.dagcells.json`)) as string);
  expect(record.lineage).toMatchObject({ saver: 'save_report', config: { region: 'US' }, dagcellsVersion: '0.1.0' });
  const upstream = record.lineage.upstream as { node: string; kind: string; version?: string }[];
  expect(upstream.map(u => [u.node, u.kind, /^[0-9a-f]{14}$/.test(u.version ?? '')])).toEqual([
    ['raw_spend', 'input', false],
    ['report', 'function', true],
    ['spend', 'function', true],
    ['total', 'function', true]
  ]);
  expect(Object.keys(record.lineage.inputs)).toEqual(['raw_spend']);

  // Again: the variant and what follows come from the kernel's cache; the saver writes its file again.
  await page.click('[data-dagcells-action="execute"]');
  await expect(node(page, 'spend')).toHaveAttribute('data-state', 'cached', { timeout: 60_000 });
  await expect(node(page, 'total')).toHaveAttribute('data-state', 'cached');
  await expect(node(page, 'report')).toHaveAttribute('data-state', 'cached');
  await expect(node(page, 'save_report')).toHaveAttribute('data-state', 'ok');

  // Pictures of the saver and the loader, legend open, in both themes (test-output/browser/screenshots).
  for (const theme of ['JupyterLab Light', 'JupyterLab Dark']) {
    await lab.command('apputils:change-theme', { theme });
    await expect(page.locator('body')).toHaveAttribute('data-jp-theme-light', theme.endsWith('Light') ? 'true' : 'false');
    await page.waitForTimeout(400);
    await lab.command('dagcells:fit');
    await page.waitForTimeout(400);
    const suffix = theme.endsWith('Light') ? 'light' : 'dark';
    await lab.screenshot(`saver-loader-${suffix}`, page.locator('#dagcells-panel'));
    await lab.screenshot(`saver-node-${suffix}`, node(page, 'save_report'));
  }
  await lab.command('apputils:change-theme', { theme: 'JupyterLab Light' });
  expect(lab.unexpectedErrors()).toEqual([]);
});

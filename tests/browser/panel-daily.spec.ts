import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';

import { expect, Lab, test } from './fixtures';

/**
 * The panel as a daily tool, met as a new user meets it: at JupyterLab's
 * default sidebar width (never dragged wider), in the light and the dark
 * theme, by mouse and by keyboard, with the example notebooks' whole flow.
 */

const node = (page: Page, name: string) => page.locator(`[data-dagcells-node="${name}"]`);

async function openPanel(lab: Lab): Promise<void> {
  if (!(await lab.page.locator('#dagcells-panel').isVisible())) {
    await lab.command('dagcells:toggle-panel');
  }
  await expect(lab.page.locator('#dagcells-panel')).toHaveAttribute('data-framed', /whole|part/);
}

/**
 * For every node drawn: whether its box lies in the visible drawing, whether
 * a click at its centre lands on it (nothing covers it), and the size of its
 * name on screen in pixels.
 */
function nodesOnScreen(page: Page): Promise<{ name: string; inside: boolean; clickable: boolean; namePx: number }[]> {
  return page.evaluate(() => {
    const svg = document.querySelector('#dagcells-panel svg.jp-DagcellsGraph-svg') as SVGSVGElement;
    const host = svg.getBoundingClientRect();
    return [...document.querySelectorAll<SVGGElement>('#dagcells-panel [data-dagcells-node]')].map(g => {
      const r = g.querySelector('rect')!.getBoundingClientRect();
      const text = g.querySelector('.jp-DagcellsGraph-name') as SVGTextElement;
      const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      return {
        name: g.getAttribute('data-dagcells-node') as string,
        inside: r.left >= host.left - 0.5 && r.right <= host.right + 0.5 && r.top >= host.top - 0.5 && r.bottom <= host.bottom + 0.5,
        clickable: Boolean(hit && g.contains(hit)),
        namePx: parseFloat(getComputedStyle(text).fontSize) * (text.getScreenCTM()?.a ?? 0)
      };
    });
  });
}

async function expectWholeGraphReadable(page: Page, count: number): Promise<void> {
  const width = (await page.locator('#dagcells-panel').boundingBox())?.width ?? 0;
  expect(width).toBeLessThan(300); // JupyterLab's default sidebar, not widened
  await expect.poll(async () => (await nodesOnScreen(page)).length).toBe(count);
  // Once the panel has settled (its first layout, the split taking its share), every node is in view.
  await expect.poll(async () => (await nodesOnScreen(page)).filter(n => !n.inside).map(n => n.name)).toEqual([]);
  const nodes = await nodesOnScreen(page);
  expect(nodes.filter(n => !n.clickable).map(n => n.name)).toEqual([]);
  expect(Math.min(...nodes.map(n => n.namePx))).toBeGreaterThanOrEqual(11);
}

/** Every row of a paged result table, page by page. */
async function allTableRows(page: Page, result: string): Promise<string[][]> {
  const block = page.locator('.jp-DagcellsRun-result').filter({ has: page.locator(`[data-dagcells-result="${result}"]`) });
  const rows: string[][] = [];
  for (let guard = 0; guard < 100; guard++) {
    rows.push(
      ...(await block.locator('tbody tr').evaluateAll(trs => trs.map(tr => [...tr.querySelectorAll('td')].map(td => td.textContent ?? ''))))
    );
    const next = block.locator('[data-dagcells-page-action="next"]');
    if ((await next.count()) === 0 || (await next.isDisabled())) {
      break;
    }
    await next.click();
  }
  return rows;
}

test.describe('the panel at first sight', () => {
  test('hello_world: the whole graph readable at the default width, then pick, fill, execute, read', async ({ lab, page }) => {
    await lab.openNotebook('hello_world.ipynb');
    await openPanel(lab);
    await expectWholeGraphReadable(page, 10);
    await expect(page.locator('#dagcells-panel')).toHaveAttribute('data-orientation', 'TB');
    // A fresh kernel, no cell run: the panel defines what the outputs need.
    await node(page, 'spend_per_signup').click();
    await node(page, 'spend_zero_mean_unit_variance').click();
    await page.fill('[data-dagcells-input="raw_spend"]', '[10, 10, 20, 40, 40, 50]');
    await page.fill('[data-dagcells-input="raw_signups"]', '[1, 10, 50, 100, 200, 400]');
    await page.click('[data-dagcells-action="execute"]');
    await expect(page.locator('[data-dagcells-result="spend_per_signup"]')).toHaveText('[10, 1, 0.4, 0.4, 0.2, 0.125]');
    await expect(page.locator('[data-dagcells-result="spend_zero_mean_unit_variance"]')).toContainText('-1.0');
    // Still every node in view and clickable, with the run section below it.
    await expectWholeGraphReadable(page, 10);
    await lab.screenshot('first-sight-hello-world', page.locator('#dagcells-panel'));
    expect(lab.unexpectedErrors()).toEqual([]);
  });

  test('feature_engineering: the whole flow at the default width, and a 118-row table with every row reachable', async ({ lab, page }) => {
    await lab.openNotebook('feature_engineering.ipynb');
    await openPanel(lab);
    await expectWholeGraphReadable(page, 13);
    for (const name of ['segments', 'region_summary', 'customer_features']) {
      await node(page, name).click();
    }
    await page.fill('[data-dagcells-input="data_path"]', 'data/orders.csv');
    await page.fill('[data-dagcells-input="as_of"]', '2026-06-30');
    await page.fill('[data-dagcells-input="high_value_quantile"]', '0.8');
    await page.click('[data-dagcells-action="execute"]');
    await expect(page.locator('[data-dagcells-result="segments"]')).toContainText('high_value');
    await expect(page.locator('[data-dagcells-result="region_summary"]')).toContainText('3 rows');
    await expect(page.locator('[data-dagcells-result="customer_features"]')).toHaveText(/^118 rows × customer_id, region, /);
    const rows = await allTableRows(page, 'customer_features');
    expect(rows).toHaveLength(118);
    expect(new Set(rows.map(r => r[0])).size).toBe(118); // each customer once: nothing skipped, nothing repeated
    // Numbers stay whole on one line; their column is right-aligned.
    const cells = await page.locator('.jp-DagcellsRun-result td.jp-mod-number').evaluateAll(tds =>
      tds.slice(0, 40).map(td => ({ lines: Math.round(td.getBoundingClientRect().height / parseFloat(getComputedStyle(td).lineHeight || '16')), wrap: getComputedStyle(td).whiteSpace }))
    );
    expect(cells.length).toBeGreaterThan(0);
    expect(cells.every(c => c.wrap === 'nowrap')).toBe(true);
    // The results scroll on their own: the graph keeps its place and size.
    const runArea = page.locator('.jp-DagcellsPanel-runArea');
    expect(await runArea.evaluate(el => getComputedStyle(el).overflowY)).toBe('auto');
    await expectWholeGraphReadable(page, 13);
    // Copy as JSON, and a larger view.
    const block = page.locator('.jp-DagcellsRun-result').filter({ has: page.locator('[data-dagcells-result="segments"]') });
    await expect(block.locator('[data-dagcells-result-action="copy"]')).toBeEnabled();
    await block.locator('[data-dagcells-result-action="enlarge"]').click();
    await expect(page.locator('[data-dagcells-larger="segments"]')).toContainText('high_value');
    await page.getByRole('button', { name: 'Close' }).click();
    await lab.screenshot('first-sight-feature-engineering', page.locator('#dagcells-panel'));
    expect(lab.unexpectedErrors()).toEqual([]);
  });
});

/** Contrast of every node drawn: label on fill, mark on fill, border on the graph's background (WCAG ratios). */
function measureContrast(page: Page): Promise<{ name: string; state: string; kind: string; label: number; mark: number; border: number }[]> {
  return page.evaluate(() => {
    const parse = (color: string): number[] => {
      const m = color.match(/[\d.]+/g)?.map(Number) ?? [0, 0, 0, 1];
      return [m[0], m[1], m[2], m[3] ?? 1];
    };
    const over = (top: number[], below: number[]) => top.slice(0, 3).map((c, i) => c * top[3] + below[i] * (1 - top[3]));
    const luminance = (rgb: number[]) => {
      const [r, g, b] = rgb.map(v => {
        const c = v / 255;
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const ratio = (a: number[], b: number[]) => {
      const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
      return Math.round(((x + 0.05) / (y + 0.05)) * 100) / 100;
    };
    const background = parse(getComputedStyle(document.querySelector('#dagcells-panel .jp-DagcellsPanel-graph') as Element).backgroundColor);
    return [...document.querySelectorAll<SVGGElement>('#dagcells-panel [data-dagcells-node]')].map(g => {
      const fill = over(parse(getComputedStyle(g.querySelector('rect') as Element).fill), background);
      const label = over(parse(getComputedStyle(g.querySelector('.jp-DagcellsGraph-name') as Element).fill), fill);
      const markStyle = getComputedStyle(g.querySelector('.jp-DagcellsGraph-mark') as Element);
      const mark = over(parse(markStyle.stroke !== 'none' ? markStyle.stroke : markStyle.fill), fill);
      const border = over(parse(getComputedStyle(g.querySelector('rect') as Element).stroke), background);
      return {
        name: g.getAttribute('data-dagcells-node') as string,
        state: g.getAttribute('data-state') as string,
        kind: g.getAttribute('data-kind') as string,
        label: ratio(label, fill),
        mark: ratio(mark, fill),
        border: ratio(border, background)
      };
    });
  });
}

test.describe('the panel in both themes, by keyboard and for screen readers', () => {
  test('every state meets WCAG AA contrast in JupyterLab Light and Dark, told apart by marks too', async ({ lab, page }) => {
    test.setTimeout(240_000);
    await lab.newNotebook('states.ipynb', [
      'function fresh(x: number): number { return x; }',
      'function done(y: number): number { return y + 1; }',
      'function edited(z: number): number { return z; }',
      'function failing(w: number): number { return (w as any).nope.deeper; }\nfailing(1);',
      'function twice(a: number): number { return a; }',
      'function twice(a: number): number { return a * 2; }',
      'async function slow(v: number): Promise<number> { await new Promise(r => setTimeout(r, 9000)); return v; }',
      'const settings = { high: 1 };'
    ]);
    await openPanel(lab);
    for (const index of [1, 2, 3]) {
      await page.evaluate(i => ((window as any).jupyterapp.shell.currentWidget.content.activeCellIndex = i), index);
      await lab.command('notebook:run-cell');
      await lab.waitForIdle();
    }
    await page.evaluate(() => (window as any).jupyterapp.shell.currentWidget.content.widgets[2].model.sharedModel.setSource('function edited(z: number): number { return z * 3; }'));
    await expect(node(page, 'done')).toHaveAttribute('data-state', 'ok');
    await expect(node(page, 'edited')).toHaveAttribute('data-state', 'stale');
    await expect(node(page, 'failing')).toHaveAttribute('data-state', 'error');
    await expect(node(page, 'twice')).toHaveAttribute('data-state', 'conflict');
    await expect(node(page, 'fresh')).toHaveAttribute('data-state', 'unrun');
    // A run in progress: slow stays running for a while.
    await node(page, 'slow').click();
    await page.fill('[data-dagcells-input="v"]', '1');
    await page.click('[data-dagcells-action="execute"]');
    await expect(node(page, 'slow')).toHaveAttribute('data-state', 'running', { timeout: 60_000 });
    const measured: Record<string, unknown> = {};
    for (const theme of ['JupyterLab Light', 'JupyterLab Dark']) {
      await lab.command('apputils:change-theme', { theme });
      await expect(page.locator('body')).toHaveAttribute('data-jp-theme-light', theme.endsWith('Light') ? 'true' : 'false');
      await page.waitForTimeout(300);
      await expect(node(page, 'slow')).toHaveAttribute('data-state', 'running');
      const nodes = await measureContrast(page);
      measured[theme] = nodes;
      const states = new Set(nodes.map(n => n.state));
      for (const state of ['unrun', 'stale', 'running', 'ok', 'error', 'conflict']) {
        expect(states.has(state)).toBe(true);
      }
      for (const n of nodes) {
        expect.soft(n.label, `${theme}: label of ${n.name} (${n.state})`).toBeGreaterThanOrEqual(4.5);
        expect.soft(n.mark, `${theme}: mark of ${n.name} (${n.state})`).toBeGreaterThanOrEqual(3);
        expect.soft(n.border, `${theme}: border of ${n.name} (${n.state})`).toBeGreaterThanOrEqual(3);
      }
      await lab.screenshot(`states-${theme.endsWith('Light') ? 'light' : 'dark'}`, page.locator('#dagcells-panel'));
    }
    // Not by colour alone: each state has a mark of its own shape.
    const marks = await page.evaluate(() =>
      Object.fromEntries([...document.querySelectorAll('#dagcells-panel [data-dagcells-node]')].map(g => [g.getAttribute('data-state'), g.querySelector('.jp-DagcellsGraph-mark')?.getAttribute('d')]))
    );
    expect(new Set(Object.values(marks)).size).toBe(Object.keys(marks).length);
    await lab.command('apputils:change-theme', { theme: 'JupyterLab Light' });
    const { writeFileSync, mkdirSync } = await import('fs');
    const { join, dirname } = await import('path');
    const file = join(__dirname, '..', '..', 'test-output', 'browser', 'contrast.json');
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(measured, null, 2));
    await lab.command('dagcells:interrupt');
  });

  test('search: substring and fuzzy matches listed, Enter focuses the best, Escape clears', async ({ lab, page }) => {
    await lab.openNotebook('feature_engineering.ipynb');
    await openPanel(lab);
    const field = page.locator('[data-dagcells-search]');
    await field.fill('reg');
    const options = page.locator('[data-dagcells-search-result]');
    await expect(options.first()).toHaveAttribute('data-dagcells-search-result', 'region_summary');
    await expect(node(page, 'region_summary')).toHaveAttribute('data-match', 'true');
    await expect(node(page, 'raw_rows')).not.toHaveAttribute('data-match', 'true');
    // Fuzzy: letters in order, not side by side.
    await field.fill('cstfeat');
    await expect(options.first()).toHaveAttribute('data-dagcells-search-result', 'customer_features');
    await expect(options.first().locator('mark').first()).toHaveText('c');
    await field.fill('orders');
    // The exact name first, then the others that contain it.
    await expect(options.first()).toHaveAttribute('data-dagcells-search-result', 'orders');
    await expect(options).toHaveCount(3);
    for (const text of await options.allTextContents()) {
      expect(text).toContain('orders');
    }
    await field.press('Enter');
    await expect(node(page, 'orders')).toHaveClass(/jp-mod-focused/);
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-dagcells-node'))).toBe('orders');
    await field.fill('zzqx');
    await expect(field).toHaveAttribute('aria-invalid', 'true');
    await expect(page.locator('[data-dagcells-search-results]')).toContainText('No node matches');
    await field.fill('clean');
    await field.press('Escape');
    await expect(field).toHaveValue('');
    await expect(page.locator('[data-dagcells-search-results]')).toBeHidden();
    await expect(page.locator('[data-match="true"]')).toHaveCount(0);
  });

  test('keyboard: one tab stop into the graph, arrows follow the flow, Enter and Space pick, names say the state', async ({ lab, page }) => {
    await lab.openNotebook('hello_world.ipynb');
    await openPanel(lab);
    await expect(page.locator('#dagcells-panel [data-dagcells-node][tabindex="0"]')).toHaveCount(1);
    await page.locator('#dagcells-panel [data-dagcells-node][tabindex="0"]').focus();
    const focused = () => page.evaluate(() => document.activeElement?.getAttribute('data-dagcells-node'));
    expect(await focused()).toBe('raw_spend');
    await page.keyboard.press('ArrowDown');
    await expect.poll(focused).toBe('spend');
    await page.keyboard.press('ArrowDown');
    const below = await focused();
    expect(['avg_3wk_spend', 'spend_std_dev', 'spend_mean', 'spend_zero_mean', 'spend_per_signup']).toContain(below);
    await page.keyboard.press('ArrowUp');
    await expect.poll(focused).toBe('spend');
    await page.keyboard.press('Enter');
    await expect(node(page, 'spend')).toHaveAttribute('data-selected', 'true');
    await expect(node(page, 'spend')).toHaveAttribute('aria-pressed', 'true');
    await expect(node(page, 'spend')).toHaveAttribute('aria-label', 'spend, function, not run in this kernel, selected as an output');
    await page.keyboard.press(' ');
    await expect(node(page, 'spend')).toHaveAttribute('data-selected', 'false');
    await expect(node(page, 'raw_spend')).toHaveAttribute('aria-label', /^raw_spend, external input, /);
  });

  test('the panel passes an automated accessibility check (axe-core) with no serious violations', async ({ lab, page }) => {
    await lab.openNotebook('hello_world.ipynb');
    await openPanel(lab);
    await node(page, 'spend_per_signup').click();
    await page.fill('[data-dagcells-input="raw_spend"]', '[1, 2]');
    const results = await new AxeBuilder({ page }).include('#dagcells-panel').analyze();
    const serious = results.violations.filter(v => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map(v => `${v.id}: ${v.help} (${v.nodes.map(n => n.target.join(' ')).slice(0, 3).join('; ')})`)).toEqual([]);
    for (const theme of ['JupyterLab Dark']) {
      await lab.command('apputils:change-theme', { theme });
      await expect(page.locator('body')).toHaveAttribute('data-jp-theme-light', 'false');
      await page.waitForTimeout(300);
      const dark = await new AxeBuilder({ page }).include('#dagcells-panel').analyze();
      expect(dark.violations.filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => `${v.id}: ${v.help}`)).toEqual([]);
    }
    await lab.command('apputils:change-theme', { theme: 'JupyterLab Light' });
  });
});

test.describe('the panel beside the notebook, and its parts', () => {
  test('refuses inputs that break their declared types in depth, naming the element and field', async ({ lab, page }) => {
    await lab.newNotebook('sales.ipynb', [
      'interface Sale {\n  region: string;\n  amount: number;\n  note?: string;\n}',
      'function total(sales: Sale[]): number { return sales.reduce((s, x) => s + x.amount, 0); }',
      'function doubled(values: number[]): number[] { return values.map(v => v * 2); }'
    ]);
    await openPanel(lab);
    await node(page, 'total').click();
    await node(page, 'doubled').click();
    await page.fill('[data-dagcells-input="sales"]', '[{"region":"US","amount":3},{"region":"EU"}]');
    await page.fill('[data-dagcells-input="values"]', '[1,"two",3]');
    await page.click('[data-dagcells-action="execute"]');
    await expect(page.locator('[data-dagcells-error="sales"]')).toHaveText('total declares sales: Sale[], but [1].amount is missing; Sale needs amount: number.');
    await expect(page.locator('[data-dagcells-error="values"]')).toHaveText('doubled declares values: number[], but [1] is a string ("two"), not number.');
    await page.fill('[data-dagcells-input="sales"]', '[{"region":"US","amount":3},{"region":"EU","amount":"4"}]');
    await page.click('[data-dagcells-action="execute"]');
    await expect(page.locator('[data-dagcells-error="sales"]')).toContainText('[1].amount is a string ("4"), not number');
    await page.fill('[data-dagcells-input="sales"]', '[{"region":"US","amount":3},{"region":"EU","amount":4}]');
    await page.fill('[data-dagcells-input="values"]', '[1,2,3]');
    await page.click('[data-dagcells-action="execute"]');
    await expect(page.locator('[data-dagcells-result="total"]')).toHaveText('7');
    await expect(page.locator('[data-dagcells-result="doubled"]')).toHaveText('[2, 4, 6]');
  });

  test('the export dialog lists cycles, type mismatches and conflicts before writing, and the user decides', async ({ lab, page }) => {
    const notebook = await lab.newNotebook('troubled.ipynb', [
      'function a(c: number): number { return c; }\nfunction b(a: number): number { return a; }\nfunction c(b: number): number { return b; }',
      'function label(id: number): string { return `#${id}`; }',
      'function twice(label: number): number { return label * 2; }',
      'function spend(raw: number[]): number[] { return raw; }',
      'function spend(raw: number[]): number[] { return raw.map(x => x * 2); }'
    ]);
    await openPanel(lab);
    await page.click('#dagcells-panel [data-dagcells-action="export"]');
    const section = page.locator('[data-dagcells-export-section="graph-problems"]');
    await expect(section).toBeVisible();
    await expect(section.locator('li')).toHaveCount(3);
    await expect(section).toContainText('cycle: ');
    await expect(section).toContainText('a -> b -> c -> a');
    await expect(section).toContainText('types disagree: ');
    await expect(section).toContainText('defined twice: ');
    const cycle = (await section.locator('li').filter({ hasText: 'cycle' }).textContent()) ?? '';
    expect(cycle.match(/cell 1\b/g)?.length ?? 0).toBeLessThanOrEqual(1);
    // The user decides: cancel writes nothing; Export Anyway writes the module.
    await page.getByRole('button', { name: 'Cancel' }).click();
    const module = notebook.replace(/\.ipynb$/, '.ts');
    expect(await lab.readFile(module)).toBeUndefined();
    await page.click('#dagcells-panel [data-dagcells-action="export"]');
    await page.getByRole('button', { name: 'Export Anyway' }).click();
    await expect.poll(() => lab.readFile(module)).toContain('export function twice');
  });

  test('opens in the main area beside the notebook, keeps its state, and comes back there after a reload', async ({ lab, page }) => {
    await lab.openNotebook('hello_world.ipynb');
    await openPanel(lab);
    await node(page, 'spend_mean').click();
    await page.fill('[data-dagcells-input="raw_spend"]', '[1, 2, 3]');
    await page.click('#dagcells-panel [data-dagcells-action="main-area"]');
    const panel = page.locator('#jp-main-dock-panel #dagcells-panel');
    await expect(panel).toBeVisible();
    const notebookBox = await page.locator('.jp-NotebookPanel:visible').boundingBox();
    const panelBox = await panel.boundingBox();
    expect(panelBox && notebookBox && panelBox.x > notebookBox.x + notebookBox.width - 5).toBe(true); // to the right of it
    // The same widget moved: selection and the field's text are as they were.
    await expect(node(page, 'spend_mean')).toHaveAttribute('data-selected', 'true');
    await expect(page.locator('[data-dagcells-input="raw_spend"]')).toHaveValue('[1, 2, 3]');
    await expect(panel).toHaveAttribute('data-framed', /whole|part/);
    await page.click('[data-dagcells-action="execute"]');
    await expect(page.locator('[data-dagcells-result="spend_mean"]')).toHaveText('2');
    await lab.screenshot('main-area', page.locator('#jp-main-dock-panel'));
    const width = Math.round(panelBox?.width ?? 0);
    // The layout restorer brings it back in the main area, as wide.
    await page.evaluate(() => (window as any).jupyterapp.commands.execute('docmanager:save'));
    await page.waitForTimeout(1500); // the workspace is saved a moment after a layout change
    await page.reload();
    await page.waitForFunction(() => (window as any).jupyterapp?.commands.hasCommand('dagcells:toggle-panel'), null, { timeout: 60_000 });
    await page.evaluate(() => (window as any).jupyterapp.restored);
    await expect(page.locator('#jp-main-dock-panel #dagcells-panel')).toBeVisible({ timeout: 30_000 });
    const restored = Math.round((await page.locator('#jp-main-dock-panel #dagcells-panel').boundingBox())?.width ?? 0);
    expect(Math.abs(restored - width)).toBeLessThan(width * 0.05 + 4);
    // And back to the sidebar.
    await page.click('#dagcells-panel [data-dagcells-action="sidebar"]');
    await expect(page.locator('#jp-right-stack #dagcells-panel')).toBeVisible();
  });

  test('the split between graph and run section moves, is kept in the settings, and the graph is framed again', async ({ lab, page }) => {
    await lab.openNotebook('hello_world.ipynb');
    await openPanel(lab);
    const handle = page.locator('#dagcells-panel [data-dagcells-split]').first();
    const box = (await handle.boundingBox())!;
    const graphBefore = (await page.locator('.jp-DagcellsPanel-graph').boundingBox())!.height;
    const transform = await page.locator('#dagcells-panel .jp-DagcellsGraph-layer').getAttribute('transform');
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2, box.y - 150, { steps: 6 });
    await page.mouse.up();
    await expect.poll(async () => (await page.locator('.jp-DagcellsPanel-graph').boundingBox())!.height).toBeLessThan(graphBefore - 100);
    await expect.poll(() => page.locator('#dagcells-panel .jp-DagcellsGraph-layer').getAttribute('transform')).not.toBe(transform);
    const saved = () =>
      page.evaluate(async () => {
        const settings = await (window as any).jupyterapp.serviceManager.settings.fetch('jupyterlab-dagcells:plugin');
        return settings.settings?.split as number | undefined;
      });
    await expect.poll(saved).toBeLessThan(0.62);
    const nodes = await nodesOnScreen(page);
    expect(nodes.filter(n => !n.inside).map(n => n.name)).toEqual([]);
    // Back where it was, for the tests that follow (the settings outlive a test).
    const moved = (await handle.boundingBox())!;
    await page.mouse.move(moved.x + moved.width / 2, moved.y + moved.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 6 });
    await page.mouse.up();
    await expect.poll(saved).toBeGreaterThan(0.65);
  });
});

test.describe('a graph too large to read whole', () => {
  test("opens on the active cell's nodes and their neighbours, readable, with an overview to move around", async ({ lab, page }) => {
    const cells: string[] = [];
    for (let i = 0; i < 80; i += 2) {
      const fn = (k: number) => {
        const deps = k < 8 ? [`raw_${k % 3}`] : [`f${k - 8}`, ...(k % 3 === 0 ? [`f${k - 5}`] : [])];
        return `function f${k}(${[...new Set(deps)].map(d => `${d}: number`).join(', ')}): number {\n  return ${deps.join(' + ')};\n}`;
      };
      cells.push(`${fn(i)}\n${fn(i + 1)}`);
    }
    await lab.newNotebook('large.ipynb', cells);
    // The cell the user works in: its functions f50 and f51.
    await page.evaluate(() => ((window as any).jupyterapp.shell.currentWidget.content.activeCellIndex = 25));
    await openPanel(lab);
    await expect(page.locator('#dagcells-panel')).toHaveAttribute('data-framed', 'part');
    await expect(page.locator('[data-dagcells-minimap]')).toBeVisible();
    await page.waitForTimeout(400);
    const nodes = await nodesOnScreen(page);
    for (const name of ['f50', 'f51', 'f42', 'f58']) {
      const n = nodes.find(x => x.name === name);
      expect(n && n.inside && n.clickable, `${name} in view and clickable`).toBe(true);
    }
    expect(Math.min(...nodes.map(n => n.namePx))).toBeGreaterThanOrEqual(11);
    // The overview moves the view: pressing its top brings the start of the flow into view.
    const before = await page.locator('#dagcells-panel .jp-DagcellsGraph-layer').getAttribute('transform');
    const map = (await page.locator('[data-dagcells-minimap]').boundingBox())!;
    await page.mouse.click(map.x + map.width / 2, map.y + 4);
    await expect.poll(() => page.locator('#dagcells-panel .jp-DagcellsGraph-layer').getAttribute('transform')).not.toBe(before);
    await expect.poll(async () => (await nodesOnScreen(page)).find(n => n.name === 'raw_0')?.inside).toBe(true);
    await lab.screenshot('large-graph-focused', page.locator('#dagcells-panel'));
  });

  test('a graph of 400 functions has only the part around the view in the page; the overview, search and the arrow keys reach any node', async ({ lab, page }) => {
    const cells: string[] = [];
    for (let i = 0; i < 400; i += 2) {
      const fn = (k: number) => {
        const deps = k < 10 ? [`raw_${k % 3}`] : [`f${k - 10}`, ...(k % 3 === 0 && k >= 17 ? [`f${k - 7}`] : [])];
        return `function f${k}(${[...new Set(deps)].map(d => `${d}: number`).join(', ')}): number {\n  return ${deps.join(' + ')};\n}`;
      };
      cells.push(`${fn(i)}\n${fn(i + 1)}`);
    }
    await lab.newNotebook('culled.ipynb', cells);
    // The cell the user works in: its functions f200 and f201.
    await page.evaluate(() => ((window as any).jupyterapp.shell.currentWidget.content.activeCellIndex = 100));
    await openPanel(lab);
    await expect(page.locator('#dagcells-panel')).toHaveAttribute('data-framed', 'part');
    const svg = page.locator('#dagcells-panel svg.jp-DagcellsGraph-svg');
    await expect(svg).toHaveAttribute('data-nodes', '403');
    await expect(svg).toHaveAttribute('data-drawn', 'in-view');
    await page.waitForTimeout(400);
    // What is in view is drawn, readable and clickable; the far end of the flow is not in the page.
    const drawn = async () => (await nodesOnScreen(page)).length;
    const nodes = await nodesOnScreen(page);
    expect(nodes.length).toBeLessThan(403 / 2);
    for (const name of ['f200', 'f201']) {
      const n = nodes.find(x => x.name === name);
      expect(n && n.inside && n.clickable, `${name} in view and clickable`).toBe(true);
    }
    expect(Math.min(...nodes.map(n => n.namePx))).toBeGreaterThanOrEqual(11);
    await expect(node(page, 'f399')).toHaveCount(0);
    // The overview still shows the whole graph: pressing its bottom brings the end of the flow into view, drawn.
    const map = (await page.locator('[data-dagcells-minimap]').boundingBox())!;
    await page.mouse.click(map.x + map.width / 2, map.y + map.height - 4);
    const last = /^f39\d$/;
    await expect.poll(async () => (await nodesOnScreen(page)).some(n => last.test(n.name) && n.inside && n.clickable)).toBe(true);
    await expect(node(page, 'f200')).toHaveCount(0);
    // Search reaches a node out of view: Enter draws it, brings it into view and focuses it.
    await expect(node(page, 'f5')).toHaveCount(0);
    const field = page.locator('[data-dagcells-search]');
    await field.fill('f5');
    await expect(page.locator('[data-dagcells-search-result]').first()).toHaveAttribute('data-dagcells-search-result', 'f5');
    await field.press('Enter');
    await expect(node(page, 'f5')).toHaveClass(/jp-mod-focused/);
    const focused = () => page.evaluate(() => document.activeElement?.getAttribute('data-dagcells-node'));
    await expect.poll(focused).toBe('f5');
    await expect.poll(async () => (await nodesOnScreen(page)).find(n => n.name === 'f5')?.inside).toBe(true);
    await field.press('Escape');
    // The arrow keys follow the flow beyond what was drawn: each step's node is drawn, focused and brought into view.
    await page.locator('[data-dagcells-node="f5"]').focus();
    const walked: string[] = [];
    for (let step = 0; step < 12; step++) {
      await page.keyboard.press('ArrowDown');
      walked.push((await focused()) as string);
    }
    // Down the flow, a layer (ten functions) or so a step: far beyond the part drawn around f5.
    expect(Number(walked.at(-1)?.slice(1))).toBeGreaterThanOrEqual(60);
    await expect.poll(async () => (await nodesOnScreen(page)).find(n => n.name === walked.at(-1))?.inside).toBe(true);
    // The view came to rest there: again only the part around it is in the page.
    await expect.poll(drawn).toBeLessThan(403 / 2);
    await lab.screenshot('large-graph-drawn-in-view', page.locator('#dagcells-panel'));
  });

  test('a change that leaves the graph as it is, arriving while a large graph is laid out, waits for that layout instead of starting another', async ({ lab, page }) => {
    const cells: string[] = [];
    for (let i = 0; i < 300; i += 2) {
      cells.push(`function g${i}(${i < 10 ? 'raw' : `g${i - 10}`}: number): number {\n  return 1;\n}\nfunction g${i + 1}(g${i}: number): number {\n  return 2;\n}`);
    }
    await lab.newNotebook('relayout.ipynb', cells);
    // Count the layouts the worker is asked for. When the first is posted, the worker is made slow (as on a busy
    // machine: its answer comes a second later) and the model changes without the graph changing, as when the
    // kernel starts, so that the next render comes while the layout is still being computed.
    await page.evaluate(() => {
      const w = window as any;
      w.layoutPosts = 0;
      const post = Worker.prototype.postMessage;
      Worker.prototype.postMessage = function (this: Worker, message: any, ...rest: any[]) {
        if (message?.input?.nodes?.length === 301 && ++w.layoutPosts === 1) {
          const answer = this.onmessage as (event: MessageEvent) => void;
          this.onmessage = event => setTimeout(() => answer.call(this, event), 1000);
          const panel = [...w.jupyterapp.shell.widgets('right'), ...w.jupyterapp.shell.widgets('main')].find((x: any) => x.id === 'dagcells-panel');
          panel.currentModel.kernelReset();
        }
        return (post as any).call(this, message, ...rest);
      };
    });
    await openPanel(lab);
    const svg = page.locator('#dagcells-panel svg.jp-DagcellsGraph-svg');
    await expect(svg).toHaveAttribute('data-nodes', '301');
    await expect(page.locator('#dagcells-panel')).toHaveAttribute('data-layout', 'full-worker');
    await page.waitForTimeout(1500);
    expect(await page.evaluate(() => (window as any).layoutPosts)).toBe(1);
  });

  test('a problem names each of its cells once', async ({ lab, page }) => {
    await lab.newNotebook('cycle.ipynb', [
      'function a(c: number): number { return c; }\nfunction b(a: number): number { return a; }\nfunction c(b: number): number { return b; }'
    ]);
    await openPanel(lab);
    const cycle = page.locator('.jp-DagcellsRun-problem[data-code="CYCLE"]');
    await expect(cycle.locator('.jp-DagcellsRun-cellLink')).toHaveText(['cell 1']);
    await expect(cycle).not.toContainText('cell 1 cell 1');
  });
});

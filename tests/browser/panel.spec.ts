import type { Page } from '@playwright/test';

import { expect, Lab, test } from './fixtures';

/**
 * The dataflow panel as a user meets it: typing functions, running cells,
 * picking outputs, running them, and seeing problems, in real JupyterLab with
 * a real tslab kernel.
 */

const node = (page: Page, name: string) => page.locator(`[data-dagcells-node="${name}"]`);
const edge = (page: Page, from: string, to: string) => page.locator(`[data-dagcells-edge="${from}->${to}"]`);

async function openPanel(lab: Lab): Promise<void> {
  if (!(await lab.page.locator('#dagcells-panel').isVisible())) {
    await lab.command('dagcells:toggle-panel');
  }
  await expect(lab.page.locator('#dagcells-panel')).toBeVisible();
  // At the sidebar's default width, as a user first meets it: no dragging.
  await expect(lab.page.locator('#dagcells-panel')).toHaveAttribute('data-framed', /whole|part/);
}

/** The nodes drawn outside the visible part of the panel's graph. */
function outsideGraph(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const host = document.querySelector('#dagcells-panel svg.jp-DagcellsGraph-svg')!.getBoundingClientRect();
    return [...document.querySelectorAll('[data-dagcells-node]')]
      .filter(n => {
        const r = n.getBoundingClientRect();
        return r.left < host.left || r.right > host.right || r.top < host.top || r.bottom > host.bottom;
      })
      .map(n => n.getAttribute('data-dagcells-node') as string);
  });
}

/** Counts the execute requests the notebook's kernel receives from now on. */
async function countExecutes(page: Page): Promise<() => Promise<number>> {
  await page.evaluate(() => {
    const kernel = (window as any).jupyterapp.shell.currentWidget.sessionContext.session.kernel;
    (window as any).dagcellsExecutes = 0;
    const original = kernel.requestExecute.bind(kernel);
    kernel.requestExecute = (...args: unknown[]) => {
      (window as any).dagcellsExecutes++;
      return original(...args);
    };
  });
  return () => page.evaluate(() => (window as any).dagcellsExecutes as number);
}

/** Types into a cell's editor as a user would (0-based cell index). */
async function typeInCell(page: Page, index: number, text: string): Promise<void> {
  const editor = page.locator('.jp-NotebookPanel:visible .jp-Cell').nth(index).locator('.cm-content');
  await editor.click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type(text, { delay: 5 });
}

async function setCell(page: Page, index: number, source: string): Promise<void> {
  await page.evaluate(
    ([index, source]) => {
      const notebook = (window as any).jupyterapp.shell.currentWidget.content;
      notebook.widgets[index].model.sharedModel.setSource(source);
    },
    [index, source] as const
  );
}

async function runCell(lab: Lab, index: number): Promise<void> {
  await lab.page.evaluate(index => {
    (window as any).jupyterapp.shell.currentWidget.content.activeCellIndex = index;
  }, index);
  await lab.command('notebook:run-cell');
  await lab.waitForIdle();
}

test.describe('the dataflow panel', () => {
  test('shows a typed function without running anything, and follows edits', async ({ lab, page }) => {
    await lab.newNotebook('typing.ipynb', ['function a(raw: number): number { return raw + 1; }', '']);
    await openPanel(lab);
    await expect(node(page, 'a')).toHaveAttribute('data-kind', 'function');
    const executes = await countExecutes(page);

    await typeInCell(page, 1, 'function total(a: number, bonus?: number): number {\n  return a + (bonus ?? 0);\n');
    await expect(node(page, 'total')).toBeVisible();
    await expect(node(page, 'total')).toHaveAttribute('data-state', 'unrun');
    await expect(edge(page, 'a', 'total')).toBeVisible();
    await expect(node(page, 'bonus')).toHaveAttribute('data-kind', 'input');
    expect(await executes()).toBe(0);

    // Renaming a parameter moves the edge.
    await setCell(page, 1, 'function total(raw: number): number {\n  return raw;\n}');
    await expect(edge(page, 'raw', 'total')).toBeVisible();
    await expect(edge(page, 'a', 'total')).toHaveCount(0);
    await expect(node(page, 'bonus')).toHaveCount(0);
    expect(await executes()).toBe(0);
    expect(lab.unexpectedErrors()).toEqual([]);
  });

  test('keeps the graph of the other cells while one does not parse, and shows that cell\'s first problem', async ({ lab, page }) => {
    await lab.newNotebook('broken.ipynb', ['function a(raw: number): number { return raw + 1; }', 'function b( : number { return 1; }']);
    await openPanel(lab);
    await expect(node(page, 'a')).toBeVisible();
    const problems = page.locator('.jp-DagcellsRun-problem[data-code="SOURCE"]');
    await expect(problems).toHaveCount(1);
    await expect(problems).toContainText('cell 2, line 1:');
    await expect(problems).toContainText('more in this cell');
    await setCell(page, 1, 'function b(a: number): number { return a; }');
    await expect(edge(page, 'a', 'b')).toHaveCount(1);
    await expect(problems).toHaveCount(0);
    // The new node came into sight: the graph was framed again to show it.
    await expect.poll(() => outsideGraph(page)).toEqual([]);
  });

  test('tracks the kernel: a run cell is ok, an edit makes it stale, a restart makes it unrun', async ({ lab, page }) => {
    await lab.newNotebook('states.ipynb', ['function doubled(raw: number): number { return raw * 2; }']);
    await openPanel(lab);
    await expect(node(page, 'doubled')).toHaveAttribute('data-state', 'unrun');
    await runCell(lab, 0);
    await expect(node(page, 'doubled')).toHaveAttribute('data-state', 'ok');
    await setCell(page, 0, 'function doubled(raw: number): number { return raw * 3; }');
    await expect(node(page, 'doubled')).toHaveAttribute('data-state', 'stale');
    await page.evaluate(() => (window as any).jupyterapp.shell.currentWidget.sessionContext.session.kernel.restart());
    await expect(node(page, 'doubled')).toHaveAttribute('data-state', 'unrun');
  });

  test('runs the selected output with its input, showing the result and turning upstream nodes ok', async ({ lab, page }) => {
    await lab.openNotebook('hello_world.ipynb');
    await openPanel(lab);
    await node(page, 'spend_per_signup').click();
    await expect(node(page, 'spend_per_signup')).toHaveAttribute('data-selected', 'true');
    // Exactly the inputs the selection needs get a field, with their declared type.
    await expect(page.locator('[data-dagcells-input]')).toHaveCount(2);
    await expect(page.locator('[data-dagcells-input="raw_spend"]')).toHaveAttribute('placeholder', 'number[]');
    await page.fill('[data-dagcells-input="raw_spend"]', '[10, 10, 20, 40, 40, 50]');
    await page.fill('[data-dagcells-input="raw_signups"]', '[1, 10, 50, 100, 200, 400]');
    await page.click('[data-dagcells-action="execute"]');
    await expect(page.locator('[data-dagcells-result="spend_per_signup"]')).toHaveText('[10, 1, 0.4, 0.4, 0.2, 0.125]');
    for (const name of ['spend', 'signups', 'spend_per_signup']) {
      await expect(node(page, name)).toHaveAttribute('data-state', 'ok');
    }
    // Not needed by the output, so not run.
    await expect(node(page, 'spend_mean')).toHaveAttribute('data-state', /ok|unrun/);
    await lab.screenshot('panel-result');
    expect(lab.unexpectedErrors()).toEqual([]);
  });

  test('names every missing input before anything runs', async ({ lab, page }) => {
    await lab.openNotebook('hello_world.ipynb');
    await openPanel(lab);
    const executes = await countExecutes(page);
    await node(page, 'spend_per_signup').click();
    await page.click('[data-dagcells-action="execute"]');
    await expect(page.locator('[data-dagcells-message]')).toHaveText('Missing inputs: raw_signups, raw_spend. Nothing ran.');
    await expect(page.locator('[data-dagcells-error="raw_spend"]')).toHaveText('raw_spend is required by spend.');
    await expect(page.locator('[data-dagcells-error="raw_signups"]')).toHaveText('raw_signups is required by signups.');
    expect(await executes()).toBe(0);
  });

  test('refuses an input its declared type cannot take, saying why, before anything runs', async ({ lab, page }) => {
    await lab.openNotebook('hello_world.ipynb');
    await openPanel(lab);
    const executes = await countExecutes(page);
    await node(page, 'spend_mean').click();
    await page.fill('[data-dagcells-input="raw_spend"]', '[10, 20');
    await page.click('[data-dagcells-action="execute"]');
    await expect(page.locator('[data-dagcells-message]')).toHaveText('Input of the wrong type: raw_spend. Nothing ran.');
    await expect(page.locator('[data-dagcells-error="raw_spend"]')).toContainText('spend declares raw_spend: number[], but "[10, 20" is not JSON');
    expect(await executes()).toBe(0);
    // Fixed, it runs.
    await page.fill('[data-dagcells-input="raw_spend"]', '[10, 20]');
    await page.click('[data-dagcells-action="execute"]');
    await expect(page.locator('[data-dagcells-result="spend_mean"]')).toHaveText('15');
  });

  test('keeps the results of the outputs that finished when another output fails', async ({ lab, page }) => {
    await lab.newNotebook('partial.ipynb', [
      'function total(values: number[]): number { return values.reduce((a, b) => a + b, 0); }',
      'async function doubled(total: number): Promise<number> { await new Promise(r => setTimeout(r, 300)); return total * 2; }',
      'function broken(total: number): number { throw new Error(`no luck with ${total}`); }'
    ]);
    await openPanel(lab);
    for (const name of ['total', 'doubled', 'broken']) {
      await node(page, name).click();
    }
    await page.fill('[data-dagcells-input="values"]', '[1, 2, 3]');
    await page.click('[data-dagcells-action="execute"]');
    await expect(node(page, 'broken')).toHaveAttribute('data-state', 'error');
    await expect(page.locator('[data-dagcells-error="broken"]')).toHaveText('broken failed: no luck with 6');
    await expect(page.locator('[data-dagcells-result="total"]')).toHaveText('6');
    await expect(page.locator('[data-dagcells-message]')).toContainText('Computed: total');
    await expect(page.locator('[data-dagcells-result="broken"]')).toHaveCount(0);
  });

  test('shows a throwing function as error, with its message and a link to its cell', async ({ lab, page }) => {
    await lab.newNotebook('throwing.ipynb', [
      'function parsed(text: string): number {\n  const n = Number(text);\n  if (Number.isNaN(n)) throw new Error(`not a number: ${text}`);\n  return n;\n}'
    ]);
    await openPanel(lab);
    await node(page, 'parsed').click();
    await page.fill('[data-dagcells-input="text"]', 'abc');
    await page.click('[data-dagcells-action="execute"]');
    await expect(node(page, 'parsed')).toHaveAttribute('data-state', 'error');
    await expect(page.locator('[data-dagcells-error="parsed"]')).toHaveText('parsed failed: not a number: abc');
    await page.click('.jp-DagcellsRun-error .jp-DagcellsRun-cellLink');
    const active = await page.evaluate(() => (window as any).jupyterapp.shell.currentWidget.content.activeCellIndex);
    expect(active).toBe(0);
  });

  test('shows a cycle, a duplicate definition and a type mismatch, and refuses to run them', async ({ lab, page }) => {
    await lab.newNotebook('problems.ipynb', [
      'function a(c: number): number { return c; }\nfunction b(a: number): number { return a; }\nfunction c(b: number): number { return b; }',
      'function label(id: number): string { return `#${id}`; }',
      'function twice(label: number): number { return label * 2; }',
      'function spend(raw: number[]): number[] { return raw; }',
      'function spend(raw: number[]): number[] { return raw.map(x => x * 2); }'
    ]);
    await openPanel(lab);
    for (const name of ['a', 'b', 'c']) {
      await expect(node(page, name)).toHaveAttribute('data-problem', /CYCLE/);
    }
    await expect(page.locator('.jp-DagcellsRun-problem[data-code="CYCLE"]')).toContainText('cycle: a -> b -> c -> a');
    await expect(node(page, 'spend')).toHaveAttribute('data-state', 'conflict');
    const duplicate = page.locator('.jp-DagcellsRun-problem[data-code="DUPLICATE_NODE"]');
    await expect(duplicate).toContainText('spend is defined 2 times (cell 4, line 1, cell 5, line 1)');
    await expect(duplicate.locator('.jp-DagcellsRun-cellLink')).toHaveText(['cell 4', 'cell 5']);
    await expect(edge(page, 'label', 'twice')).toHaveAttribute('data-type-mismatch', 'true');
    await expect(edge(page, 'id', 'label')).not.toHaveAttribute('data-type-mismatch', 'true');

    const executes = await countExecutes(page);
    await node(page, 'twice').click();
    await page.fill('[data-dagcells-input="id"]', '3');
    await page.click('[data-dagcells-action="execute"]');
    await expect(page.locator('[data-dagcells-error="twice"]')).toContainText('label returns string but twice declares its parameter label: number');
    expect(await executes()).toBe(0);
    await lab.screenshot('panel-problems');
  });

  test('finds a node, shows its cell on double click, and flips orientation', async ({ lab, page }) => {
    await lab.openNotebook('hello_world.ipynb');
    await openPanel(lab);
    await page.fill('[data-dagcells-search]', 'spend_std_dev');
    await page.press('[data-dagcells-search]', 'Enter');
    await expect(node(page, 'spend_std_dev')).toHaveClass(/jp-mod-focused/);
    await node(page, 'spend_std_dev').dblclick();
    const active = await page.evaluate(() => (window as any).jupyterapp.shell.currentWidget.content.activeCellIndex);
    expect(active).toBe(5); // the cell that defines it
    const before = await node(page, 'spend_mean').getAttribute('transform');
    await page.click('[data-dagcells-action="orientation"]');
    await expect.poll(() => node(page, 'spend_mean').getAttribute('transform')).not.toBe(before);
  });

  test('frames the whole graph again when the sidebar is widened, until the user zooms', async ({ lab, page }) => {
    await lab.openNotebook('hello_world.ipynb');
    await lab.command('dagcells:toggle-panel');
    await expect(node(page, 'spend_zero_mean_unit_variance')).toHaveCount(1);
    const outside = () => outsideGraph(page);
    // JupyterLab's narrow default sidebar shows the whole graph, readable.
    await expect.poll(outside).toEqual([]);
    const narrow = await page.locator('#dagcells-panel').getAttribute('data-orientation');
    expect(narrow).toBe('TB');
    await lab.resizeSidebar('right', 900);
    await expect.poll(outside).toEqual([]);
    // Wider than tall: the flow turns left to right.
    await expect(page.locator('#dagcells-panel')).toHaveAttribute('data-orientation', 'LR');
    // Once the user zooms, their view is kept when the panel changes size.
    await page.click('[data-dagcells-action="zoom-in"]');
    await page.waitForTimeout(300);
    const zoomed = await page.locator('#dagcells-panel .jp-DagcellsGraph-layer').getAttribute('transform');
    await lab.resizeSidebar('right', 1000);
    await page.waitForTimeout(400);
    expect(await page.locator('#dagcells-panel .jp-DagcellsGraph-layer').getAttribute('transform')).toBe(zoomed);
  });

  test('lights up what a node needs and what needs it on hover', async ({ lab, page }) => {
    await lab.openNotebook('hello_world.ipynb');
    await openPanel(lab);
    await node(page, 'spend_mean').hover();
    await expect(node(page, 'spend')).toHaveClass(/jp-mod-upstream/);
    await expect(node(page, 'spend_zero_mean')).toHaveClass(/jp-mod-downstream/);
    await expect(node(page, 'signups')).toHaveClass(/jp-mod-dimmed/);
  });

  test('runs an output from the node context menu', async ({ lab, page }) => {
    await lab.newNotebook('context.ipynb', ['function answer(): number { return 42; }']);
    await openPanel(lab);
    await node(page, 'answer').click({ button: 'right' });
    await page.locator('.lm-Menu-item', { hasText: 'Run This Output' }).click();
    await expect(page.locator('[data-dagcells-result="answer"]')).toHaveText('42');
  });

  test('looks right in the light and the dark theme', async ({ lab, page }) => {
    await lab.openNotebook('feature_engineering.ipynb');
    await openPanel(lab);
    await expect(node(page, 'segments')).toBeVisible();
    const panel = page.locator('#dagcells-panel');
    await lab.screenshot('panel-light', panel);
    await lab.command('apputils:change-theme', { theme: 'JupyterLab Dark' });
    await expect(page.locator('body')).toHaveAttribute('data-jp-theme-light', 'false');
    await lab.screenshot('panel-dark', panel);
    await lab.command('apputils:change-theme', { theme: 'JupyterLab Light' });
    expect(lab.unexpectedErrors()).toEqual([]);
  });
});

import type { Page } from '@playwright/test';

import { analyzeSource } from '../../kernel-helpers/src/analysis';
import { exportNotebook } from '../../kernel-helpers/src/export';
import type { NotebookCell } from '../../kernel-helpers/src/export';
import { CellSpec, expect, Lab, test } from './fixtures';

/**
 * Export to a module in a real JupyterLab: the command and the notebook toolbar
 * button write the module, which is checked through the contents API; a file
 * edited on disk since the last export is not replaced without asking.
 */
const CELLS: CellSpec[] = [
  { type: 'markdown', source: '# Prices' },
  'import * as path from "path";\n\n/** A price list. */\ninterface Price {\n  sku: string;\n  cents: number;\n}\n\nconst VAT = 0.2;',
  '/** Prices parsed from "sku:cents" entries. */\nfunction prices(entries: string[]): Price[] {\n  return entries.map(e => ({ sku: e.split(":")[0], cents: Number(e.split(":")[1]) }));\n}\n\n' +
    '/** Prices with VAT. */\nfunction gross(prices: Price[]): number[] {\n  return prices.map(p => Math.round(p.cents * (1 + VAT)));\n}\n\n' +
    'function report_file(out_dir: string): string {\n  return path.join(out_dir, "gross.json");\n}',
  'console.log(gross(prices(["a:100", "b:250"])));',
  { source: 'function scratch(): number {\n  return 42;\n}', tags: ['dagcells-skip'] }
];

/** What the module must hold: the same pure export the CLI uses, on the same cells. */
function expectedModule(notebook: string): string {
  const cells: NotebookCell[] = CELLS.map(cell => {
    const spec = typeof cell === 'string' ? { source: cell } : cell;
    return { type: spec.type ?? 'code', source: spec.source, ...(spec.tags ? { tags: spec.tags } : {}) };
  });
  return exportNotebook(cells, { notebook }).text as string;
}

/** Starts the export command without waiting: it waits for the dialogs this test answers. */
async function startExport(page: Page): Promise<void> {
  await page.evaluate(() => {
    (window as any).__dagcellsExport = (window as any).jupyterapp.commands.execute('dagcells:export-module');
  });
}

async function exportOutcome(page: Page): Promise<{ status: string; path?: string }> {
  return page.evaluate(() => (window as any).__dagcellsExport);
}

async function confirmExport(page: Page): Promise<void> {
  const dialog = page.locator('[data-dagcells-dialog="export"]');
  await expect(dialog).toBeVisible();
  await page.getByRole('button', { name: 'Export', exact: true }).click();
}

/** The open notebook's model as JSON: the export must leave it exactly as it was. */
async function notebookModel(page: Page): Promise<unknown> {
  return page.evaluate(() => (window as any).jupyterapp.shell.currentWidget.context.model.sharedModel.toJSON());
}

test.describe('Export Dataflow to Module', () => {
  test('the command shows what the module will hold and writes NOTEBOOK.ts beside the notebook', async ({ lab, page }) => {
    const notebook = await lab.newNotebook('prices.ipynb', CELLS);
    const onDisk = await lab.readFile(notebook);
    const model = await notebookModel(page);
    await startExport(page);
    const dialog = page.locator('[data-dagcells-dialog="export"]');
    await expect(dialog.locator('[data-dagcells-export="path"]')).toHaveValue(`${lab.folder}/prices.ts`);
    await expect(dialog.locator('[data-dagcells-export-section="functions"] li')).toHaveText(['prices', 'gross', 'report_file']);
    await expect(dialog.locator('[data-dagcells-export-section="skipped"] li')).toHaveText(['cell 5']);
    await expect(dialog.locator('[data-dagcells-export-section="left-out"] li')).toHaveText([
      'cell 4, line 1: console.log(gross(prices(["a:100", "b:250"]))); (exploration)'
    ]);
    await expect(dialog.locator('[data-dagcells-export-section="problems"]')).toHaveCount(0);
    await lab.screenshot('export-dialog', page.locator('.jp-Dialog-content'));
    await confirmExport(page);

    expect(await exportOutcome(page)).toEqual({ status: 'written', path: `${lab.folder}/prices.ts` });
    expect(await lab.readFile(`${lab.folder}/prices.ts`)).toBe(expectedModule('prices.ipynb'));
    expect(await notebookModel(page)).toEqual(model);
    expect(await lab.readFile(notebook)).toEqual(onDisk);
    expect(lab.unexpectedErrors()).toEqual([]);
  });

  test('the notebook toolbar button runs the export', async ({ lab, page }) => {
    await lab.newNotebook('toolbar.ipynb', CELLS);
    const button = page.locator('.jp-NotebookPanel-toolbar [data-jp-item-name="dagcells-export"]');
    await expect(button).toBeVisible();
    await button.locator('button, jp-button').first().click();
    await confirmExport(page);
    await expect.poll(() => lab.readFile(`${lab.folder}/toolbar.ts`)).toBe(expectedModule('toolbar.ipynb'));
    expect(lab.unexpectedErrors()).toEqual([]);
  });

  test("the dataflow panel's export button runs the export of the notebook beside it", async ({ lab, page }) => {
    await lab.newNotebook('from_panel.ipynb', CELLS);
    await lab.command('dagcells:toggle-panel');
    await page.locator('#dagcells-panel [data-dagcells-action="export"]').click();
    await confirmExport(page);
    await expect.poll(() => lab.readFile(`${lab.folder}/from_panel.ts`)).toBe(expectedModule('from_panel.ipynb'));
    expect(lab.unexpectedErrors()).toEqual([]);
  });

  test('asks before replacing a module edited on disk; Cancel leaves the edits, Overwrite replaces them', async ({ lab, page }) => {
    await lab.newNotebook('edited.ipynb', CELLS);
    const target = `${lab.folder}/edited.ts`;
    await startExport(page);
    await confirmExport(page);
    expect(await exportOutcome(page)).toMatchObject({ status: 'written' });

    const edited = (await lab.readFile(target)) + '\nexport const added_by_hand = 1;\n';
    await lab.writeFile(target, edited);
    await startExport(page);
    await confirmExport(page);
    const question = page.locator('.jp-Dialog-content', { hasText: 'changed on disk since this notebook last exported it' });
    await expect(question).toBeVisible();
    await lab.screenshot('export-overwrite-question', question);
    await question.getByRole('button', { name: 'Cancel' }).click();
    expect(await exportOutcome(page)).toEqual({ status: 'cancelled', path: target });
    expect(await lab.readFile(target)).toBe(edited);

    await startExport(page);
    await confirmExport(page);
    await page.locator('.jp-Dialog-content', { hasText: 'changed on disk' }).getByRole('button', { name: 'Overwrite' }).click();
    expect(await exportOutcome(page)).toMatchObject({ status: 'written' });
    expect(await lab.readFile(target)).toBe(expectedModule('edited.ipynb'));
    expect(lab.unexpectedErrors()).toEqual([]);
  });

  test('asks before replacing a file this notebook never wrote', async ({ lab, page }) => {
    await lab.newNotebook('foreign.ipynb', CELLS);
    const target = `${lab.folder}/foreign.ts`;
    await lab.writeFile(target, 'export const mine = 1;\n');
    await startExport(page);
    await confirmExport(page);
    const question = page.locator('.jp-Dialog-content', { hasText: 'already exists, and this notebook did not write it' });
    await question.getByRole('button', { name: 'Cancel' }).click();
    expect(await exportOutcome(page)).toEqual({ status: 'cancelled', path: target });
    expect(await lab.readFile(target)).toBe('export const mine = 1;\n');
  });

  test('shows why a notebook that does not parse cannot be exported, and writes nothing', async ({ lab, page }) => {
    await lab.newNotebook('broken.ipynb', [...CELLS, 'function broken(x: number { return x; }']);
    await startExport(page);
    const problems = page.locator('[data-dagcells-export-section="problems"] li');
    await expect(problems).toHaveText([/^cell 6 does not parse: line 1: ',' expected/]);
    await lab.screenshot('export-cannot-export', page.locator('.jp-Dialog-content'));
    await expect(page.getByRole('button', { name: 'Export', exact: true })).toHaveCount(0);
    await page.getByRole('button', { name: 'Close' }).click();
    expect(await exportOutcome(page)).toEqual({ status: 'refused' });
    expect(await lab.readFile(`${lab.folder}/broken.ts`)).toBeUndefined();
  });

  test("shows the path and the server's reason when it cannot write, and remembers the path chosen", async ({ lab, page }) => {
    await lab.newNotebook('moved.ipynb', CELLS);
    const missing = `${lab.folder}/no_such_folder/moved.ts`;
    await startExport(page);
    await page.locator('[data-dagcells-export="path"]').fill(missing);
    await confirmExport(page);
    const error = page.locator('.jp-Dialog-content', { hasText: `Could not write ${missing}: there is no folder ${lab.folder}/no_such_folder (` });
    await expect(error).toBeVisible();
    await error.getByRole('button', { name: 'Close' }).click();
    expect(await exportOutcome(page)).toEqual({ status: 'failed', path: missing });

    await lab.contents(`${lab.folder}/lib`, { method: 'PUT', body: { type: 'directory' } });
    await startExport(page);
    await page.locator('[data-dagcells-export="path"]').fill(`${lab.folder}/lib/moved.ts`);
    await confirmExport(page);
    expect(await exportOutcome(page)).toEqual({ status: 'written', path: `${lab.folder}/lib/moved.ts` });
    expect(await lab.readFile(`${lab.folder}/lib/moved.ts`)).toContain('// @generated by dagcells from ../moved.ipynb');

    await startExport(page);
    await expect(page.locator('[data-dagcells-export="path"]')).toHaveValue(`${lab.folder}/lib/moved.ts`);
    await confirmExport(page);
    expect(await exportOutcome(page)).toEqual({ status: 'unchanged', path: `${lab.folder}/lib/moved.ts` });
  });
});

test.describe('Import Module into Notebook', () => {
  test("inserts a module's declarations as cells, which export back to the same functions", async ({ lab, page }) => {
    await lab.newNotebook('source.ipynb', CELLS);
    await startExport(page);
    await confirmExport(page);
    expect(await exportOutcome(page)).toMatchObject({ status: 'written' });

    await lab.newNotebook('imported.ipynb', [{ type: 'markdown', source: '# Imported' }]);
    const outcome = await lab.command('dagcells:import-module', { module: `${lab.folder}/source.ts` });
    expect(outcome).toEqual({ status: 'inserted', path: `${lab.folder}/source.ts`, cells: 5 });
    const sources: string[] = await page.evaluate(() =>
      (window as any).jupyterapp.shell.currentWidget.content.model.sharedModel.cells.map((c: any) => c.getSource())
    );
    expect(sources).toEqual([
      '# Imported',
      'import * as path from "path";',
      '/** A price list. */\ninterface Price {\n  sku: string;\n  cents: number;\n}\n\nconst VAT = 0.2;',
      '/** Prices parsed from "sku:cents" entries. */\nfunction prices(entries: string[]): Price[] {\n  return entries.map(e => ({ sku: e.split(":")[0], cents: Number(e.split(":")[1]) }));\n}',
      '/** Prices with VAT. */\nfunction gross(prices: Price[]): number[] {\n  return prices.map(p => Math.round(p.cents * (1 + VAT)));\n}',
      'function report_file(out_dir: string): string {\n  return path.join(out_dir, "gross.json");\n}'
    ]);
    // The cells run in tslab: `export` is gone, which tslab rejects in a cell.
    await lab.runAll();
    const errors = await page.evaluate(() =>
      (window as any).jupyterapp.shell.currentWidget.content.model.sharedModel.cells.flatMap((c: any) =>
        (c.toJSON().outputs ?? []).filter((o: any) => o.output_type === 'error' || o.name === 'stderr')
      )
    );
    expect(errors).toEqual([]);

    await startExport(page);
    await confirmExport(page);
    expect(await exportOutcome(page)).toMatchObject({ status: 'written', path: `${lab.folder}/imported.ts` });
    const functions = (text: string | undefined) =>
      analyzeSource(text ?? '').functions.map(f => ({ name: f.name, source: f.source }));
    expect(functions(await lab.readFile(`${lab.folder}/imported.ts`))).toEqual(functions(await lab.readFile(`${lab.folder}/source.ts`)));
    expect(lab.unexpectedErrors()).toEqual([]);
  });
});

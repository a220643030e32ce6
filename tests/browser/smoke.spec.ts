import { expect, test } from './fixtures';

test.describe('JupyterLab with dagcells', () => {
  test('opens an example notebook, runs it, and toggles the dataflow panel without console errors', async ({ lab, page }) => {
    await lab.openNotebook('hello_world.ipynb');
    await lab.runAll();
    // The last code cell prints the driver's result.
    const cells = await page.evaluate(() => (window as any).jupyterapp.shell.currentWidget.content.widgets.length);
    expect(await lab.cellOutput(cells - 2)).toContain('spend_per_signup');

    expect(await lab.hasCommand('dagcells:toggle-panel')).toBe(true);
    await lab.command('dagcells:toggle-panel');
    await expect(page.locator('#dagcells-panel')).toBeVisible();
    await lab.screenshot('smoke-hello-world');
    expect(lab.unexpectedErrors()).toEqual([]);
  });
});

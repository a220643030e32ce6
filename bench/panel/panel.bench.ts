/**
 * Panel benchmarks in headless Chromium with a real JupyterLab and tslab:
 * keystroke to updated graph, layout and first render, Execute overhead against
 * the same code run in a cell. Figures go to test-output/bench/panel.json and
 * are printed; BENCHMARKS.md records a run.
 *
 *   npx playwright test -c bench/panel/playwright.config.ts
 */
import { mkdirSync, writeFileSync } from 'fs';
import { join } from 'path';

import { CellSpec, Lab, test } from '../../tests/browser/fixtures';

const results: Record<string, unknown> = {};

/** A notebook of `n` functions, two per cell: a layered graph, 10 wide, with a few shared inputs. */
function generated(n: number): CellSpec[] {
  const cells: CellSpec[] = [];
  for (let i = 0; i < n; i += 2) {
    const lines: string[] = [];
    for (const k of [i, i + 1]) {
      if (k >= n) {
        break;
      }
      const deps = k < 10 ? [`raw_${k % 3}`] : [`f${k - 10}`, ...(k % 4 === 0 ? [`f${k - 9 - (k % 7)}`] : [])];
      lines.push(`function f${k}(${[...new Set(deps)].map(d => `${d}: number`).join(', ')}): number {\n  return ${deps.join(' + ')} + ${k};\n}`);
    }
    cells.push(lines.join('\n'));
  }
  return cells;
}

function stats(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  return { n: values.length, median: round(at(0.5)), p95: round(at(0.95)), max: round(sorted[sorted.length - 1]) };
}

const round = (x: number) => Math.round(x * 10) / 10;

/**
 * The sizes to run: all by default; `BENCH_PANEL_NODES=1000` (a comma list)
 * runs only those of a case's sizes (a case with none of them is skipped).
 */
function sizes(all: number[]): number[] {
  const only = process.env.BENCH_PANEL_NODES?.split(',').map(Number);
  return only ? all.filter(n => only.includes(n)) : all;
}

/** Shuts the current notebook's kernel down and closes it without asking. */
async function closeNotebook(lab: Lab): Promise<void> {
  await lab.page.evaluate(async () => {
    const widget = (window as any).jupyterapp.shell.currentWidget;
    await widget.sessionContext.shutdown();
    widget.context.model.dirty = false;
    widget.dispose();
  });
}

/**
 * Opens a new notebook of `cells` with the panel showing, and resolves to the
 * milliseconds from the open command to all `nodes` drawn (the kernel starts
 * meanwhile; the panel does not wait for it).
 */
async function openWithPanel(lab: Lab, name: string, cells: CellSpec[], nodes: number): Promise<number> {
  const path = await lab.writeNotebook(name, cells);
  if (!(await lab.page.locator('#dagcells-panel').isVisible())) {
    await lab.command('dagcells:toggle-panel');
    await lab.resizeSidebar('right', 640);
  }
  const drawn = await lab.page.evaluate(
    async ([path, nodes]) => {
      const started = performance.now();
      await (window as any).jupyterapp.commands.execute('docmanager:open', { path, factory: 'Notebook' });
      // Every node drawn, or, for a graph drawn only where it is in view, every node laid out and those in view drawn.
      const graph = () => document.querySelector<HTMLElement>('#dagcells-panel .jp-DagcellsGraph-svg');
      while (
        document.querySelectorAll('#dagcells-panel [data-dagcells-node]').length < nodes &&
        Number(graph()?.dataset.nodes ?? 0) < nodes
      ) {
        await new Promise(resolve => requestAnimationFrame(resolve));
      }
      return performance.now() - started;
    },
    [path, nodes] as const
  );
  await lab.openNotebook(path); // and its kernel idle, before what follows
  return Math.round(drawn);
}

/**
 * The baseline of a first render: JupyterLab opening the same notebook with
 * the panel closed, from the open command to the notebook shown with all its
 * cells, in milliseconds.
 */
async function openWithoutPanel(lab: Lab, name: string, cells: CellSpec[]): Promise<number> {
  const path = await lab.writeNotebook(name, cells);
  if (await lab.page.locator('#dagcells-panel').isVisible()) {
    await lab.command('dagcells:toggle-panel');
  }
  const shown = await lab.page.evaluate(
    async ([path, count]) => {
      const started = performance.now();
      const widget = await (window as any).jupyterapp.commands.execute('docmanager:open', { path, factory: 'Notebook' });
      await widget.revealed;
      while (widget.content.widgets.length < count) {
        await new Promise(resolve => requestAnimationFrame(resolve));
      }
      await new Promise(resolve => requestAnimationFrame(resolve));
      return performance.now() - started;
    },
    [path, cells.length] as const
  );
  await lab.openNotebook(path);
  await closeNotebook(lab);
  return Math.round(shown);
}

test.describe.configure({ mode: 'serial' });

test('keystroke to updated graph', async ({ lab, page }) => {
  for (const n of sizes([50, 200])) {
    // n functions plus their shared inputs.
    await openWithPanel(lab, `keys-${n}.ipynb`, [...generated(n), 'function extra(f0: number): number {\n  return f0;\n}'], n + 1);
    const last = await page.evaluate(() => (window as any).jupyterapp.shell.currentWidget.content.widgets.length - 1);
    const editor = page.locator('.jp-NotebookPanel:visible .jp-Cell').nth(last).locator('.cm-line').first();
    await editor.click();
    await page.keyboard.press('Home');
    for (let i = 0; i < 'function extra'.length; i++) {
      await page.keyboard.press('ArrowRight'); // to the end of the function name
    }
    // Measure inside the page: keydown to the first change of the graph's nodes.
    await page.evaluate(() => {
      const w = window as any;
      w.benchTimes = [];
      w.benchKey = 0;
      document.addEventListener('keydown', () => (w.benchKey = performance.now()), true);
      const observer = new MutationObserver(() => {
        if (w.benchKey) {
          w.benchTimes.push(performance.now() - w.benchKey);
          w.benchKey = 0;
        }
      });
      observer.observe(document.querySelector('#dagcells-panel .jp-DagcellsGraph-nodes') as Node, {
        subtree: true,
        childList: true,
        attributes: true,
        attributeFilter: ['data-dagcells-node', 'transform']
      });
      w.benchObserver = observer;
    });
    // Each keystroke renames the function "extra": a node goes, another comes.
    for (let i = 0; i < 20; i++) {
      await page.keyboard.type(i % 2 ? 'x' : 'y');
      await page.waitForTimeout(250);
    }
    const times = await page.evaluate(() => {
      (window as any).benchObserver.disconnect();
      return (window as any).benchTimes as number[];
    });
    const debounce = await page.evaluate(async () => {
      const settings = await (window as any).jupyterapp.serviceManager.settings.fetch('jupyterlab-dagcells:plugin');
      // The user's value, else the schema's default: the pause the panel waits for.
      return (settings.settings?.debounce ?? settings.schema.properties.debounce.default) as number;
    });
    results[`keystroke_${n}_ms`] = { ...stats(times), debounce };
    console.log(`keystroke to graph, ${n} nodes: ${JSON.stringify(results[`keystroke_${n}_ms`])}`);
    await closeNotebook(lab);
  }
});

test('layout and first render', async ({ lab, page }) => {
  for (const n of sizes([200, 1000])) {
    const baseline = await openWithoutPanel(lab, `baseline-${n}.ipynb`, generated(n));
    const open = await openWithPanel(lab, `layout-${n}.ipynb`, generated(n), n);
    // A full layout and render of the whole graph, timed in the page, with main-thread long tasks.
    const measured = await page.evaluate(async n => {
      const longTasks: number[] = [];
      performance.clearMeasures();
      const observer = new PerformanceObserver(list => list.getEntries().forEach(e => longTasks.push(e.duration)));
      observer.observe({ type: 'longtask', buffered: false });
      const panel = document.querySelector('#dagcells-panel') as HTMLElement;
      const moved = () =>
        new Promise<void>(resolve => {
          const target = panel.querySelector('.jp-DagcellsGraph-nodes') as Node;
          const mo = new MutationObserver(() => {
            mo.disconnect();
            resolve();
          });
          mo.observe(target, { subtree: true, attributes: true, attributeFilter: ['transform'] });
        });
      const t0 = performance.now();
      const done = moved();
      await (window as any).jupyterapp.commands.execute('dagcells:toggle-orientation');
      await done;
      const t1 = performance.now();
      observer.disconnect();
      // The panel's own main-thread work meanwhile (the layout's part on this thread, then the drawing).
      const own = Object.fromEntries(
        performance
          .getEntriesByType('measure')
          .filter(m => m.name.startsWith('dagcells-') && m.startTime >= t0 && m.startTime < t1)
          .map(m => [m.name, Math.round(m.duration * 10) / 10])
      );
      await (window as any).jupyterapp.commands.execute('dagcells:toggle-orientation');
      return { layoutAndRenderMs: t1 - t0, longestTaskMs: Math.max(0, ...longTasks), how: panel.dataset.layout, nodes: n, own };
    }, n);
    results[`layout_${n}`] = { notebookShownWithoutPanelMs: baseline, openToGraphMs: open, ...measured, layoutAndRenderMs: round(measured.layoutAndRenderMs) };
    console.log(`layout, ${n} nodes: ${JSON.stringify(results[`layout_${n}`])}`);
    await closeNotebook(lab);
  }
});

/**
 * Opens a notebook with the panel at JupyterLab's default sidebar width (never
 * dragged wider) and resolves to the milliseconds from the open command to the
 * first graph framed for reading (every node drawn and the view framed: whole
 * when the names stay at 11 px or more, else on the active cell's part), with
 * how it was framed and the smallest name on screen.
 */
async function openReadable(lab: Lab, name: string, cells: CellSpec[], nodes: number) {
  const path = await lab.writeNotebook(name, cells);
  if (!(await lab.page.locator('#dagcells-panel').isVisible())) {
    await lab.command('dagcells:toggle-panel');
  }
  const measured = await lab.page.evaluate(
    async ([path, nodes]) => {
      const panel = document.querySelector('#dagcells-panel') as HTMLElement;
      delete panel.dataset.framed;
      const started = performance.now();
      await (window as any).jupyterapp.commands.execute('docmanager:open', { path, factory: 'Notebook' });
      const graph = () => panel.querySelector<HTMLElement>('.jp-DagcellsGraph-svg');
      while ((panel.querySelectorAll('[data-dagcells-node]').length < nodes && Number(graph()?.dataset.nodes ?? 0) < nodes) || !panel.dataset.framed) {
        await new Promise(resolve => requestAnimationFrame(resolve));
      }
      const ms = performance.now() - started;
      const sizes = [...panel.querySelectorAll<SVGTextElement>('.jp-DagcellsGraph-name')].map(
        t => parseFloat(getComputedStyle(t).fontSize) * (t.getScreenCTM()?.a ?? 0)
      );
      return {
        ms: Math.round(ms),
        framed: panel.dataset.framed,
        orientation: panel.dataset.orientation,
        density: panel.dataset.density,
        panelWidth: Math.round(panel.getBoundingClientRect().width),
        // How many nodes and SVG elements are in the page (all of them, unless only the part in view is drawn).
        drawnNodes: panel.querySelectorAll('[data-dagcells-node]').length,
        svgElements: panel.querySelectorAll('svg *').length,
        smallestNamePx: Math.round(Math.min(...sizes) * 10) / 10
      };
    },
    [path, nodes] as const
  );
  await lab.openNotebook(path);
  return measured;
}

test('open to first readable graph at the default sidebar width', async ({ lab }) => {
  // The first notebook of a session also loads the analysis (it carries TypeScript's parser): reported apart.
  results.readable_first_of_session = await openReadable(lab, 'readable-first.ipynb', generated(4), 4);
  console.log(`first notebook of the session, 4 functions: ${JSON.stringify(results.readable_first_of_session)}`);
  await closeNotebook(lab);
  for (const n of sizes([20, 200, 1000])) {
    const measured = await openReadable(lab, `readable-${n}.ipynb`, generated(n), n);
    results[`readable_${n}`] = measured;
    console.log(`open to readable graph, ${n} functions: ${JSON.stringify(measured)}`);
    await closeNotebook(lab);
  }
});

test('no long main-thread task while typing at 1,000 nodes, at the default width', async ({ lab, page }) => {
  const n = 1000;
  test.skip(sizes([n]).length === 0, 'not among BENCH_PANEL_NODES');
  await openReadable(lab, `typing-${n}.ipynb`, [...generated(n), 'function extra(f0: number): number {\n  return f0;\n}'], n + 1);
  const last = await page.evaluate(() => (window as any).jupyterapp.shell.currentWidget.content.widgets.length - 1);
  const editor = page.locator('.jp-NotebookPanel:visible .jp-Cell').nth(last).locator('.cm-line').first();
  await editor.click();
  await page.keyboard.press('Home');
  for (let i = 0; i < 'function extra'.length; i++) {
    await page.keyboard.press('ArrowRight');
  }
  /** Long main-thread tasks during 20 keystrokes, each renaming the function "extra". */
  const typeAndWatch = async () => {
    await page.evaluate(() => {
      const w = window as any;
      performance.clearMeasures();
      w.benchLong = [];
      w.benchLongObserver = new PerformanceObserver(list => list.getEntries().forEach(e => w.benchLong.push(e.duration)));
      w.benchLongObserver.observe({ type: 'longtask', buffered: false });
    });
    for (let i = 0; i < 20; i++) {
      await page.keyboard.type(i % 2 ? 'x' : 'y');
      await page.waitForTimeout(250);
    }
    const { long, own } = await page.evaluate(() => {
      (window as any).benchLongObserver.disconnect();
      const own = performance.getEntriesByType('measure').filter(m => m.name.startsWith('dagcells-')).map(m => m.duration);
      return { long: (window as any).benchLong as number[], own };
    });
    return {
      keystrokes: 20,
      tasksOver50ms: long.length,
      longestMs: Math.round(Math.max(0, ...long)),
      medianLongMs: Math.round(stats(long.length ? long : [0]).median),
      // The panel's own work (layout, then drawing), each a task of its own.
      panelWork: own.length ? stats(own) : undefined
    };
  };
  // Baseline: the same typing with the panel closed (JupyterLab and the notebook alone).
  await lab.command('dagcells:toggle-panel');
  await editor.click();
  const closed = await typeAndWatch();
  await lab.command('dagcells:toggle-panel');
  await page.waitForTimeout(1500);
  await editor.click();
  const open = await typeAndWatch();
  results.typing_1000_long_tasks = { panelClosed: closed, panelOpen: open };
  console.log(`typing at 1,000 nodes: ${JSON.stringify(results.typing_1000_long_tasks)}`);
  await closeNotebook(lab);
});

test('execute overhead against a cell', async ({ lab, page }) => {
  test.skip(process.env.BENCH_PANEL_NODES !== undefined, 'only some sizes asked for');
  await lab.openNotebook('hello_world.ipynb');
  if (!(await page.locator('#dagcells-panel').isVisible())) {
    await lab.command('dagcells:toggle-panel');
    await lab.resizeSidebar('right', 640);
  }
  await lab.runAll();
  await page.locator('[data-dagcells-node="spend_per_signup"]').click();
  await page.fill('[data-dagcells-input="raw_spend"]', '[10, 10, 20, 40, 40, 50]');
  await page.fill('[data-dagcells-input="raw_signups"]', '[1, 10, 50, 100, 200, 400]');
  // The same computation as a cell, appended at the end.
  await page.evaluate(() => {
    const notebook = (window as any).jupyterapp.shell.currentWidget.content;
    notebook.model.sharedModel.insertCell(notebook.widgets.length, {
      cell_type: 'code',
      source: 'spend_per_signup(spend([10, 10, 20, 40, 40, 50]), signups([1, 10, 50, 100, 200, 400]))'
    });
  });
  const panelTimes: number[] = [];
  const cellTimes: number[] = [];
  for (let i = 0; i < 12; i++) {
    panelTimes.push(
      await page.evaluate(async () => {
        // Click to result on screen: the panel draws the result in the frame after the run ends.
        const selector = '[data-dagcells-result="spend_per_signup"]';
        let shownAt = 0;
        const observer = new MutationObserver(records => {
          for (const record of records) {
            for (const added of record.addedNodes) {
              if (added instanceof Element && (added.matches(selector) || added.querySelector(selector))) {
                shownAt = performance.now();
              }
            }
          }
        });
        observer.observe(document.querySelector('#dagcells-panel') as Node, { subtree: true, childList: true });
        const t0 = performance.now();
        await (window as any).jupyterapp.commands.execute('dagcells:execute');
        const ended = performance.now();
        for (let frame = 0; frame < 2; frame++) {
          await new Promise(resolve => requestAnimationFrame(resolve));
        }
        observer.disconnect();
        if (!shownAt || !document.querySelector(selector)?.textContent?.includes('0.125')) {
          throw new Error('no result shown');
        }
        return Math.max(shownAt, ended) - t0;
      })
    );
    cellTimes.push(
      await page.evaluate(async () => {
        const app = (window as any).jupyterapp;
        const notebook = app.shell.currentWidget.content;
        notebook.activeCellIndex = notebook.widgets.length - 1;
        const cell = notebook.widgets[notebook.widgets.length - 1];
        const before = cell.model.executionCount;
        const t0 = performance.now();
        await app.commands.execute('notebook:run-cell');
        while (cell.model.executionCount === before || cell.model.outputs.length === 0) {
          await new Promise(r => setTimeout(r, 2));
        }
        return performance.now() - t0;
      })
    );
  }
  // The first panel run installs the runtime in the kernel: reported apart.
  results.execute = {
    firstPanelRunMs: round(panelTimes[0]),
    panel: stats(panelTimes.slice(1)),
    cell: stats(cellTimes.slice(1)),
    overheadMedianMs: round(stats(panelTimes.slice(1)).median - stats(cellTimes.slice(1)).median)
  };
  console.log(`execute: ${JSON.stringify(results.execute)}`);
});

test.afterAll(() => {
  const dir = join(__dirname, '..', '..', 'test-output', 'bench');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, process.env.BENCH_PANEL_JSON ?? 'panel.json'), JSON.stringify(results, null, 2) + '\n');
});

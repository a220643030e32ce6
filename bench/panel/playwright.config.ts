import { defineConfig } from '@playwright/test';

import base from '../../tests/browser/playwright.config';

/** The panel benchmarks: the browser tests' set-up (JupyterLab, Debian Chromium), one long run. */
export default defineConfig({
  ...base,
  testDir: '.',
  testMatch: 'panel.bench.ts',
  outputDir: '../../test-output/bench/artifacts',
  globalSetup: '../../tests/browser/global-setup.ts',
  timeout: 900_000
});

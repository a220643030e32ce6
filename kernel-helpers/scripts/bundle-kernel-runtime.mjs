// Bundles the kernel-side runtime into one self-contained script and writes it as a
// string constant, so the notebook extension can install it into a tslab kernel with
// a single `eval` and nothing needs to be npm-installed beside the notebook.
import { build } from 'esbuild';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const result = await build({
  entryPoints: [join(root, 'src/kernel/entry.ts')],
  bundle: true,
  write: false,
  format: 'iife',
  platform: 'neutral',
  target: 'es2020',
  minify: true,
  legalComments: 'none'
});
const code = result.outputFiles[0].text;
const outDir = join(root, 'dist/kernel');
mkdirSync(outDir, { recursive: true });
// Written only when it changed, so that builds depending on it stay incremental.
const writeIfChanged = (file, text) => {
  if (!existsSync(file) || readFileSync(file, 'utf8') !== text) {
    writeFileSync(file, text);
  }
};
writeIfChanged(
  join(outDir, 'runtime-source.js'),
  `"use strict";\nObject.defineProperty(exports, "__esModule", { value: true });\n` +
    `/** Source of the kernel runtime bundle, evaluated once per kernel. */\n` +
    `exports.KERNEL_RUNTIME_SOURCE = ${JSON.stringify(code)};\n`
);
writeIfChanged(
  join(outDir, 'runtime-source.d.ts'),
  `/** Source of the kernel runtime bundle, evaluated once per kernel. */\nexport declare const KERNEL_RUNTIME_SOURCE: string;\n`
);
console.log(`kernel runtime bundle: ${(code.length / 1024).toFixed(1)} KiB`);

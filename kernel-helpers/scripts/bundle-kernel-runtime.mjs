// Bundles the kernel-side runtime into one self-contained script and writes it as
// a string constant, so the notebook extension can install it into a tslab kernel
// with a single `eval` and nothing needs to be npm-installed beside the notebook.
// The bundle's version is a hash of its content: a kernel holding another build
// is told to reinstall.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const PLACEHOLDER = '__DAGCELLS_VERSION_PLACEHOLDER__';
const result = await build({
  entryPoints: [join(root, 'src/kernel/entry.ts')],
  bundle: true,
  write: false,
  format: 'iife',
  platform: 'neutral',
  target: 'es2020',
  minify: true,
  legalComments: 'none',
  define: { __DAGCELLS_RUNTIME_VERSION__: JSON.stringify(PLACEHOLDER) }
});
const built = result.outputFiles[0].text;
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const runtimeVersion = `${version}+${createHash('sha256').update(built).digest('hex').slice(0, 12)}`;
const code = built.replace(PLACEHOLDER, runtimeVersion);

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
    `exports.KERNEL_RUNTIME_SOURCE = ${JSON.stringify(code)};\n` +
    `/** Its version: the package version and a hash of the bundle. */\n` +
    `exports.KERNEL_RUNTIME_VERSION = ${JSON.stringify(runtimeVersion)};\n`
);
writeIfChanged(
  join(outDir, 'runtime-source.d.ts'),
  `/** Source of the kernel runtime bundle, evaluated once per kernel. */\n` +
    `export declare const KERNEL_RUNTIME_SOURCE: string;\n` +
    `/** Its version: the package version and a hash of the bundle. */\n` +
    `export declare const KERNEL_RUNTIME_VERSION: string;\n`
);
console.log(`kernel runtime bundle: ${(code.length / 1024).toFixed(1)} KiB, version ${runtimeVersion}`);

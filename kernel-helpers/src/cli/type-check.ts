/**
 * `--strict`: the module type-checked with TypeScript's compiler before it
 * runs. Off by default: building a program with the standard library and
 * `@types/node` takes seconds (4-6 s for a small module), against well under
 * one for a whole `dagcells run`. The module's own `tsconfig.json` (the
 * nearest one above it) gives the options, else strict defaults.
 */
import { dirname, relative } from 'path';
import ts from 'typescript';

const DEFAULTS: ts.CompilerOptions = {
  strict: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.CommonJS,
  moduleResolution: ts.ModuleResolutionKind.Node10,
  esModuleInterop: true,
  skipLibCheck: true,
  resolveJsonModule: true
};

/** The type errors of the module and of what it imports, as `file:line:column: message` lines. */
export function typeErrors(file: string): string[] {
  const program = ts.createProgram([file], { ...optionsFor(file), noEmit: true });
  return ts
    .getPreEmitDiagnostics(program)
    .filter(d => d.category === ts.DiagnosticCategory.Error)
    .map(d => {
      const text = ts.flattenDiagnosticMessageText(d.messageText, ' ').replace(/\.$/, '');
      if (!d.file || d.start === undefined) {
        return `TS${d.code}: ${text}`;
      }
      const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
      const shown = relative(process.cwd(), d.file.fileName) || d.file.fileName;
      return `${shown}:${line + 1}:${character + 1}: TS${d.code}: ${text}`;
    });
}

function optionsFor(file: string): ts.CompilerOptions {
  const config = ts.findConfigFile(dirname(file), ts.sys.fileExists);
  if (!config) {
    return DEFAULTS;
  }
  const parsed = ts.getParsedCommandLineOfConfigFile(config, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
  if (!parsed) {
    return DEFAULTS;
  }
  // Options about building the project, not about types: one file is checked, nothing written.
  const { composite, rootDir, outDir, declaration, incremental, tsBuildInfoFile, ...options } = parsed.options;
  void [composite, rootDir, outDir, declaration, incremental, tsBuildInfoFile];
  return options;
}

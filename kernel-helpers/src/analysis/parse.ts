/**
 * Parsing that never throws. TypeScript's parser is recursive: text nested
 * deeply enough (a thousand parentheses) makes it run out of stack. That is
 * turned into a diagnostic at the deepest point of the text, with an empty
 * tree of the same lines, so that every caller goes on as with any other
 * syntax error.
 */
import ts from 'typescript';

import type { Diagnostic } from './types';

/** A parsed source; `tooDeep` is set when the parser gave up (the tree is then empty). */
export interface Parsed {
  sourceFile: ts.SourceFile;
  tooDeep?: Diagnostic;
}

/** `ts.createSourceFile`, with a stack overflow of the parser reported instead of thrown. */
export function parseSource(
  fileName: string,
  text: string,
  setParentNodes: boolean,
  kind: ts.ScriptKind = ts.ScriptKind.TS
): Parsed {
  try {
    return { sourceFile: ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, setParentNodes, kind) };
  } catch (error) {
    if (!(error instanceof RangeError)) {
      throw error;
    }
    // Same length and line breaks, no code: places computed on it are places in the text.
    const blank = text.replace(/[^\r\n\u2028\u2029]/g, ' ');
    const sourceFile = ts.createSourceFile(fileName, blank, ts.ScriptTarget.Latest, setParentNodes, kind);
    return { sourceFile, tooDeep: tooDeepDiagnostic(text, sourceFile) };
  }
}

/** Where brackets nest deepest, found with the scanner (a loop, no recursion). */
function tooDeepDiagnostic(text: string, sourceFile: ts.SourceFile): Diagnostic {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.Standard, text);
  let depth = 0;
  let deepest = 0;
  let at = 0;
  for (let token = scanner.scan(); token !== ts.SyntaxKind.EndOfFileToken; token = scanner.scan()) {
    if (
      token === ts.SyntaxKind.OpenParenToken ||
      token === ts.SyntaxKind.OpenBracketToken ||
      token === ts.SyntaxKind.OpenBraceToken
    ) {
      depth++;
      if (depth > deepest) {
        deepest = depth;
        at = scanner.getTokenStart();
      }
    } else if (
      token === ts.SyntaxKind.CloseParenToken ||
      token === ts.SyntaxKind.CloseBracketToken ||
      token === ts.SyntaxKind.CloseBraceToken
    ) {
      depth = Math.max(0, depth - 1);
    }
  }
  const { line, character } = sourceFile.getLineAndCharacterOfPosition(at);
  return {
    severity: 'error',
    message:
      `the code nests too deeply for the TypeScript parser, which ran out of stack` +
      (deepest > 1 ? ` (brackets ${deepest} deep at line ${line + 1}, column ${character + 1})` : '') +
      `. Split the expression into smaller named parts.`,
    range: { start: at, end: at + 1, line: line + 1, column: character + 1, endLine: line + 1 }
  };
}

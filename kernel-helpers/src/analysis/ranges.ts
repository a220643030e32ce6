import type ts from 'typescript';

import type { SourceRange } from './types';

/** Makes {@link SourceRange}s for offsets of one source file. */
export type RangeFactory = (start: number, end: number) => SourceRange;

export function makeRangeFactory(sourceFile: ts.SourceFile): RangeFactory {
  return (start, end) => {
    const from = sourceFile.getLineAndCharacterOfPosition(start);
    const to = sourceFile.getLineAndCharacterOfPosition(Math.max(start, end - 1));
    return { start, end, line: from.line + 1, column: from.character + 1, endLine: to.line + 1 };
  };
}

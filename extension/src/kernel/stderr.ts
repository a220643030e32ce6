/**
 * Reading tslab's errors: it reports them only as stderr text, compile errors as
 * `LINE:COLUMN - message` lines (positions in the code sent), run-time errors as
 * a stack trace.
 */

/** One problem tslab reported; line and column are 1-based, in the code sent. */
export interface KernelDiagnostic {
  line?: number;
  column?: number;
  message: string;
}

const POSITIONED = /^(\d+):(\d+) - (.*)$/;

/** The problems in tslab's stderr text; the whole text when it has no positions. */
export function parseKernelErrors(stderr: string): KernelDiagnostic[] {
  const text = stderr.trim();
  if (!text) {
    return [];
  }
  const found: KernelDiagnostic[] = [];
  for (const line of text.split('\n')) {
    const match = POSITIONED.exec(line.trim());
    if (match) {
      found.push({ line: Number(match[1]), column: Number(match[2]), message: match[3] });
    } else if (found.length > 0 && found[found.length - 1].line !== undefined && /^\s/.test(line)) {
      // A continuation of the previous message (TypeScript's chained messages).
      found[found.length - 1].message += `\n${line.trim()}`;
    }
  }
  if (found.length > 0) {
    return found;
  }
  // A run-time error: the first line says what; keep the rest (the stack) out of the message.
  const [first, ...rest] = text.split('\n');
  const frame = rest.find(line => /^\s+at /.test(line));
  return [{ message: frame ? first : text }];
}

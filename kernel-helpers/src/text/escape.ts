/**
 * Outside text (a notebook's path, a name, a value given on the command line)
 * placed into generated TypeScript, escaped for the place it lands. A path may
 * hold any character but `/` and NUL: a line terminator in it (`\n`, `\r`, and
 * for JavaScript also U+2028 and U+2029) would end a `//` comment or a string
 * and make the rest of the path code. Generated TypeScript takes outside text
 * only through these helpers, one per place:
 *
 * - {@link tsLineComment}: the text of a `//` comment (the module header)
 * - {@link tsStringLiteral}: a string literal (a rewritten import specifier)
 *
 * Generated Python (the Airflow DAG file) has its own, with the same rules:
 * `pyString` and `pyCommentText` in ../airflow/python.ts.
 *
 * Besides line terminators they escape every character that is invisible or
 * reorders what a reader sees (other control characters, the bidirectional
 * overrides of "Trojan source" attacks, lone surrogates that UTF-8 cannot
 * hold), so that the generated file shows exactly what it does. Other
 * characters, accented letters included, stay as they are.
 *
 * No Node built-ins here: the notebook extension generates code in the browser.
 */

/**
 * Characters never written raw: C0 controls but tab, DEL and C1 controls
 * (U+0085, NEXT LINE, among them), U+2028/U+2029, zero-width and bidirectional
 * formatting characters, the byte order mark, and lone surrogates.
 */
const UNSAFE =
  /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** `\u2028`-style: four hex digits, as both JavaScript and Python read them. */
function unicodeEscape(char: string): string {
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/**
 * Text made safe for a `//` comment of TypeScript or JavaScript: it stays on
 * one line. Backslashes are doubled so that {@link readTsLineComment} gives the
 * text back exactly.
 *
 * @example
 * ```ts
 * `// from ${tsLineComment("a\u2028b.ipynb")}`; // "// from a\\u2028b.ipynb"
 * ```
 */
export function tsLineComment(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(UNSAFE, unicodeEscape);
}

/** The text {@link tsLineComment} was given, from what it wrote. */
export function readTsLineComment(escaped: string): string {
  return escaped.replace(/\\(\\|u[0-9a-fA-F]{4})/g, (_, code: string) =>
    code === '\\' ? '\\' : String.fromCharCode(parseInt(code.slice(1), 16))
  );
}

/**
 * A TypeScript or JavaScript string literal holding `text`, in `quote` marks.
 *
 * @example
 * ```ts
 * tsStringLiteral("../it's/here", "'"); // "'../it\\'s/here'"
 * ```
 */
export function tsStringLiteral(text: string, quote: '"' | "'" = '"'): string {
  const body = text
    .replace(/\\/g, '\\\\')
    .replace(quote === '"' ? /"/g : /'/g, `\\${quote}`)
    .replace(UNSAFE, unicodeEscape);
  return quote + body + quote;
}

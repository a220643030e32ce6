/**
 * Writing Python source safely: every string that comes from a module, a
 * path or a command line lands in the DAG file as a string literal or a
 * comment written by these functions, and nowhere else (never in a Jinja
 * template, never in code). Literals are ASCII with escapes, so no character
 * can end a line, close the string or be misread by an editor; comments show
 * control characters and line terminators escaped, so text cannot leave them.
 */

/** Python's keywords and soft keywords that cannot name a variable. */
const KEYWORDS = new Set(
  ('False None True and as assert async await break class continue def del elif else except finally for from ' +
    'global if import in is lambda nonlocal not or pass raise return try while with yield').split(' ')
);

/** A Python string literal (double quotes, ASCII only) for any JavaScript string, lone surrogates included. */
export function pyString(text: string): string {
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    // A surrogate pair is one code point: Python writes it as \UXXXXXXXX.
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        out += `\\U${(((code - 0xd800) << 10) + (low - 0xdc00) + 0x10000).toString(16).padStart(8, '0')}`;
        i++;
        continue;
      }
    }
    out += escapeUnit(code);
  }
  return out + '"';
}

function escapeUnit(code: number): string {
  switch (code) {
    case 0x22:
      return '\\"';
    case 0x5c:
      return '\\\\';
    case 0x0a:
      return '\\n';
    case 0x0d:
      return '\\r';
    case 0x09:
      return '\\t';
  }
  if (code >= 0x20 && code < 0x7f) {
    return String.fromCharCode(code);
  }
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * Text for a `#` comment: printable characters as they are (non-ASCII
 * included), and anything that could end the line or hide in it (controls,
 * line and paragraph separators, byte order marks, lone surrogates) escaped.
 */
export function pyCommentText(text: string): string {
  return text.replace(
    /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
    ch => {
      const code = ch.charCodeAt(0);
      return code === 0x0a ? '\\n' : code === 0x0d ? '\\r' : code === 0x09 ? '\\t' : code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
    }
  );
}

/** `#` comment lines, wrapped at `width` columns, each line's text made safe. */
export function pyComment(text: string, indent = '', width = 88): string[] {
  const words = pyCommentText(text).split(' ').filter(Boolean);
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    if (line && indent.length + 2 + line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) {
    lines.push(line);
  }
  return lines.map(l => `${indent}# ${l}`);
}

/** A Python literal for a JSON value (dicts, lists, strings, numbers, True/False/None). */
export function pyValue(value: unknown): string {
  if (value === null || value === undefined) {
    return 'None';
  }
  switch (typeof value) {
    case 'boolean':
      return value ? 'True' : 'False';
    case 'number':
      if (!Number.isFinite(value)) {
        throw new TypeError(`${value} has no JSON form`);
      }
      return String(value);
    case 'string':
      return pyString(value);
  }
  if (Array.isArray(value)) {
    return `[${value.map(pyValue).join(', ')}]`;
  }
  if (typeof value === 'object') {
    return `{${Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${pyString(k)}: ${pyValue(v)}`)
      .join(', ')}}`;
  }
  throw new TypeError(`a ${typeof value} has no JSON form`);
}

/** Python variable names for ids, one each, distinct from each other and from `taken`. */
export function pyIdentifiers(ids: readonly string[], taken: ReadonlySet<string>): Map<string, string> {
  const used = new Set(taken);
  const names = new Map<string, string>();
  for (const id of ids) {
    let base = id.replace(/[^A-Za-z0-9_]/g, '_');
    if (!/^[A-Za-z_]/.test(base) || KEYWORDS.has(base)) {
      base = `task_${base}`;
    }
    let name = base;
    for (let i = 2; used.has(name); i++) {
      name = `${base}_${i}`;
    }
    used.add(name);
    names.set(id, name);
  }
  return names;
}

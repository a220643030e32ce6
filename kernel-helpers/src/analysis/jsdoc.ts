import ts from 'typescript';

/** Tags that document parameters and results rather than tag the node. */
const SIGNATURE_TAGS = new Set(['param', 'arg', 'argument', 'returns', 'return', 'template']);

/**
 * The JSDoc of a declaration: its summary text and its tags (`@owner data` as
 * `{ owner: "data" }`; a repeated tag keeps every value, one per line).
 */
export function jsDocOf(node: ts.Node): { doc?: string; tags: Record<string, string> } {
  // The parser attaches JSDoc to the declaration even without parent pointers;
  // it is not part of the public typings, hence the cast.
  const docs = (node as unknown as { jsDoc?: ts.JSDoc[] }).jsDoc;
  const tags: Record<string, string> = {};
  if (!docs || docs.length === 0) {
    return { tags };
  }
  const last = docs[docs.length - 1];
  const summary = commentText(last.comment);
  for (const tag of last.tags ?? []) {
    const name = tag.tagName.text;
    if (SIGNATURE_TAGS.has(name)) {
      continue;
    }
    const value = commentText(tag.comment) ?? '';
    tags[name] = name in tags ? `${tags[name]}\n${value}` : value;
  }
  return summary ? { doc: summary, tags } : { tags };
}

function commentText(
  comment: string | ts.NodeArray<ts.JSDocComment> | undefined
): string | undefined {
  const trimmed = (ts.getTextOfJSDocComment(comment) ?? '').trim();
  return trimmed.length > 0 ? trimmed : undefined;
}

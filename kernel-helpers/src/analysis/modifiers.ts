import ts from 'typescript';

/** Whether a declaration has a modifier; read from the node's own list, which ts.getModifiers would copy. */
export function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  const modifiers = ts.canHaveModifiers(node) ? node.modifiers : undefined;
  return modifiers !== undefined && modifiers.some(m => m.kind === kind);
}

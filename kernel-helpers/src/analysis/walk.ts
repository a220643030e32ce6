/**
 * Walking syntax trees without recursion. Generated code and hostile input
 * nest deeply (a constant of 5,000 `+` terms is a tree 5,000 levels deep), and
 * a recursive walk runs out of stack long before the parser does.
 */
import ts from 'typescript';

/**
 * Visits `root` and its descendants in source order (parents before children).
 * `visit` returns `false` to skip a node's children, a node to walk instead of
 * them (one child that matters), or `'stop'` to end the walk.
 */
export function walkTree(root: ts.Node, visit: (node: ts.Node) => boolean | 'stop' | ts.Node | void): void {
  const stack: ts.Node[] = [root];
  const children: ts.Node[] = [];
  const collect = (child: ts.Node): undefined => {
    children.push(child); // returning nothing: a value would end forEachChild early
    return undefined;
  };
  while (stack.length > 0) {
    const node = stack.pop() as ts.Node;
    const verdict = visit(node);
    if (verdict === 'stop') {
      return;
    }
    if (verdict === false) {
      continue;
    }
    if (typeof verdict === 'object') {
      stack.push(verdict);
      continue;
    }
    ts.forEachChild(node, collect);
    for (let i = children.length - 1; i >= 0; i--) {
      stack.push(children[i]);
    }
    children.length = 0;
  }
}

/**
 * The code version of a node: a hash of its function's tokens (comments and
 * formatting do not count) and of the tokens of everything it uses from its
 * module or notebook (`_` helpers, constants, types, imports), as the export
 * resolves them. One notion serves the cache and lineage.
 */
import ts from 'typescript';

import { hashText } from '../analysis/hash';
import { unwrap } from '../analysis/modifier-calls';
import { readNotebookPieces } from '../export/export-notebook';
import { inlineModuleImports } from '../export/module-cells';
import { functionPiece, holdersOf, neededPieces } from '../export/needs';
import { keptNodes, planModule } from '../export/plan';
import type { Piece } from '../export/pieces';
import type { NotebookCell } from '../export/types';

/** A module's text, or a notebook's cells. */
export type CodeSource = string | readonly NotebookCell[];

/**
 * The tokens of a syntax node joined by spaces: comments, JSDoc and layout left
 * out. With `statement`, the node is a top-level statement and its `export`
 * is left out too (a function written in a cell and the same function
 * exported from a module are the same code).
 */
export function tokenText(node: ts.Node, sourceFile: ts.SourceFile, options: { statement?: boolean } = {}): string {
  const tokens: string[] = [];
  const exported =
    options.statement && ts.canHaveModifiers(node) ? ts.getModifiers(node)?.find(m => m.kind === ts.SyntaxKind.ExportKeyword) : undefined;
  const visit = (n: ts.Node) => {
    if (ts.isJSDoc(n) || n === exported) {
      return;
    }
    const children = n.getChildren(sourceFile);
    if (children.length === 0) {
      if (n.kind !== ts.SyntaxKind.EndOfFileToken) {
        tokens.push(n.getText(sourceFile));
      }
      return;
    }
    children.forEach(visit);
  };
  visit(node);
  return tokens.join(' ');
}

/** The version of a piece of code text alone (a live function's `toString()`), comments and layout ignored. */
export function textVersion(text: string): string {
  const sourceFile = ts.createSourceFile('code.ts', `(${text})`, ts.ScriptTarget.Latest, true);
  return hashText(tokenText(sourceFile, sourceFile));
}

/**
 * The code versions of every function of a module or notebook: `versions.get(name)`
 * is undefined for a name that no kept function defines.
 *
 * @example
 * ```ts
 * const versions = codeVersions(moduleText);
 * versions.get("spend_mean");   // "1f3a..." (14 hex digits)
 * ```
 */
export function codeVersions(source: CodeSource): { get(name: string): string | undefined } {
  const cells: readonly NotebookCell[] = typeof source === 'string' ? [{ type: 'code', source }] : source;
  const { pieces, modules } = readNotebookPieces(cells);
  // As the export writes the module: an import from a tslab module cell is that cell's code.
  const plan = planModule(inlineModuleImports(pieces, modules).pieces);
  const holders = holdersOf(plan);
  const pieceVersions = new Map<Piece, string>();
  const pieceVersion = (piece: Piece) => {
    let version = pieceVersions.get(piece);
    if (version === undefined) {
      version = keptNodes(piece, plan.kept.get(piece) ?? piece.bindings)
        .map(node => tokenText(node, piece.sourceFile, { statement: true }))
        .join(' ; ');
      pieceVersions.set(piece, version);
    }
    return version;
  };
  const memo = new Map<string, string | undefined>();
  return {
    get(name: string) {
      if (memo.has(name)) {
        return memo.get(name);
      }
      const own = functionPiece(holders, name);
      let version: string | undefined;
      if (own) {
        // Its own code first, then what it uses in notebook order: moving a helper does not matter, editing it does.
        // Its parameters name its inputs (data, versioned apart) and hide what the module calls so.
        const hidden = new Set(parameterNames(own.statement, name));
        // Only `get` is read: a view of the holders without the hidden names, not a copy per node.
        const value = { get: (n: string) => (hidden.has(n) ? undefined : holders.value.get(n)) } as Map<string, Piece>;
        const used = neededPieces(plan, [own], { value, type: holders.type }).filter(p => p !== own);
        version = hashText([pieceVersion(own), ...used.map(pieceVersion)].join('\n'));
      }
      memo.set(name, version);
      return version;
    }
  };
}

/**
 * The parameter names of the function a statement declares as `name`:
 * `function f(a)`, `const f = (a) => ...`, or the function inside modifiers,
 * `const f = config.when({ ... }, (a) => ...)`.
 */
function parameterNames(statement: ts.Statement, name: string): string[] {
  let fn: ts.SignatureDeclarationBase | undefined;
  if (ts.isFunctionDeclaration(statement)) {
    fn = statement;
  } else if (ts.isVariableStatement(statement)) {
    const declaration = statement.declarationList.declarations.find(d => ts.isIdentifier(d.name) && d.name.text === name);
    let current = declaration?.initializer && unwrap(declaration.initializer);
    while (current && ts.isCallExpression(current) && current.arguments.length > 0) {
      current = unwrap(current.arguments[current.arguments.length - 1]);
    }
    fn = current && (ts.isArrowFunction(current) || ts.isFunctionExpression(current)) ? current : undefined;
  }
  return (fn?.parameters ?? []).flatMap(p => (ts.isIdentifier(p.name) ? [p.name.text] : []));
}

/** The code version of one function of a module or notebook (see {@link codeVersions}). */
export function codeVersion(source: CodeSource, name: string): string | undefined {
  return codeVersions(source).get(name);
}

/**
 * How {@link nodeCodeVersions} finds a node: its name, its function (may be
 * unknown), the name it was declared under when a modifier made it, and the
 * modifiers that made or changed it.
 */
export type NodeCodeVersion = (name: string, fn: unknown, declaredAs?: string, modifiers?: readonly string[]) => string | undefined;

/**
 * True for a node a `subdag` embeds (`ns.name`): its function is written
 * elsewhere (often another module), so its declaration alone does not say
 * what it computes.
 */
export function isEmbedded(name: string, modifiers: readonly string[] | undefined): boolean {
  return name.includes('.') && (modifiers ?? []).includes('subdag');
}

/**
 * The code version of each function node of a dataflow: the one the cache keys
 * values with and artifact lineage records. With the source known, a node
 * declared by its own name has that declaration's version (with the helpers and
 * constants it uses); a node a modifier made from a declaration (`scaled__a`
 * making `scaled`, a saver, a parameterized node, an extracted field, a pipe
 * step) has that declaration's version with its own name, so that it is known
 * from the source alone (the notebook panel, which has no functions, computes
 * the same versions as a Driver of the exported module). A node a subdag embeds
 * has its declaration's version together with its own function's text (written
 * elsewhere, perhaps in another module); without that function it has none.
 * Otherwise, or for a name the source does not declare, its function's text's.
 * Comments, layout and a top-level `export` never count.
 */
export function nodeCodeVersions(source: CodeSource | undefined): NodeCodeVersion {
  const fromSource = source !== undefined ? codeVersions(source) : undefined;
  const ofText = new WeakMap<object, string>();
  const own = (fn: unknown) => {
    if (typeof fn !== 'function') {
      return undefined;
    }
    let version = ofText.get(fn);
    if (version === undefined) {
      version = textVersion(Function.prototype.toString.call(fn));
      ofText.set(fn, version);
    }
    return version;
  };
  return (name, fn, declaredAs, modifiers) => {
    const known = fromSource?.get(name);
    if (known !== undefined) {
      return known;
    }
    const declared = declaredAs !== undefined ? fromSource?.get(declaredAs) : undefined;
    if (declared !== undefined && !isEmbedded(name, modifiers)) {
      return hashText(`${declared}\n${name}`);
    }
    const text = own(fn);
    return declared === undefined || text === undefined ? text : hashText(`${declared}\n${text}`);
  };
}

/** The nodes {@link graphCodeVersions} reads: by name, with what a modifier made of them. */
interface VersionedNode {
  kind: string;
  fn?: unknown;
  declaredAs?: string;
  modifiers?: readonly string[];
}

/**
 * The code version of each function node `names` lists (default: all) of a
 * graph made from this source, as {@link nodeCodeVersions} gives it: a plain
 * object of strings, for a request to send. What has no version is left out.
 *
 * @example
 * ```ts
 * const versions = graphCodeVersions(cells, graph, ["spend", "save_report"]);
 * // { spend: "0a68...", save_report: "1d51..." }: the same as a Driver of the exported module gives
 * ```
 */
export function graphCodeVersions(
  source: CodeSource,
  graph: { nodes: ReadonlyMap<string, VersionedNode> },
  names?: readonly string[]
): Record<string, string> {
  const versionOf = nodeCodeVersions(source);
  const versions: Record<string, string> = {};
  for (const name of names ?? [...graph.nodes.keys()]) {
    const node = graph.nodes.get(name);
    if (node?.kind !== 'function') {
      continue;
    }
    const version = versionOf(name, node.fn, node.declaredAs, node.modifiers);
    if (version !== undefined) {
      versions[name] = version;
    }
  }
  return versions;
}

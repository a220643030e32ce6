/**
 * The graph rules' messages about a function's own signature, worded once for
 * every place that finds them: the analysis of a cell or file, and the reading
 * of a live function's text.
 */

/** A parameter that cannot name a dependency: a destructuring pattern or a rest parameter. */
export interface PatternParam {
  /** The pattern as written (`{ a, b }`), or the rest parameter's name. */
  name: string;
  pattern: 'destructured' | 'rest';
}

/**
 * Why a function whose parameters include patterns cannot be a plain node,
 * naming each such parameter and the fix.
 *
 * @example
 * ```ts
 * invalidParametersMessage("report", [{ name: "{ a, b }", pattern: "destructured" }]);
 * // "report: the destructured parameter '{ a, b }' cannot name a dependency. ..."
 * ```
 */
export function invalidParametersMessage(node: string, params: readonly PatternParam[]): string {
  const described = params.map(p =>
    p.pattern === 'rest' ? `the rest parameter '...${p.name.replace(/^\.\.\./, '')}'` : `the destructured parameter '${p.name}'`
  );
  const fixes: string[] = [];
  if (params.some(p => p.pattern === 'destructured')) {
    fixes.push('take the value whole and destructure it inside the body');
  }
  if (params.some(p => p.pattern === 'rest')) {
    fixes.push('list the dependencies one by one');
  }
  return (
    `${node}: ${described.join(' and ')} cannot name a dependency. ` +
    `Each parameter names the node it depends on: ${fixes.join('; ')}.`
  );
}

/**
 * What source analysis tells about a cell or a module file.
 *
 * These shapes are produced by {@link analyzeSource} and consumed by the graph
 * builder, the notebook extension and the module exporter.
 */

/** A span of the analysed text. Offsets are 0-based; lines and columns 1-based. */
export interface SourceRange {
  /** Offset of the first character. */
  start: number;
  /** Offset just past the last character. */
  end: number;
  /** Line of `start`. */
  line: number;
  /** Column of `start`. */
  column: number;
  /** Line of the last character. */
  endLine: number;
}

/** One parameter of a function, as written. */
export interface ParamInfo {
  /** The identifier; for a destructuring pattern, its source text. */
  name: string;
  /** The annotation as written (`number[]`), if any. */
  type?: string;
  /** Written with `?` or with a default value: the dependency is optional. */
  optional: boolean;
  /** The default value's source text, if any. */
  defaultText?: string;
  /**
   * Set when the parameter cannot name a dependency: a destructuring pattern
   * (`{ a, b }`, `[x]`) or a rest parameter (`...xs`).
   */
  pattern?: 'destructured' | 'rest';
  range: SourceRange;
}

/** How a function was declared. */
export type FunctionForm = 'function' | 'arrow' | 'function-expression';

/** A top-level function of a cell or a file: a candidate graph node. */
export interface FunctionInfo {
  name: string;
  form: FunctionForm;
  isAsync: boolean;
  params: ParamInfo[];
  /** The return annotation as written (`Promise<number[]>`), if any. */
  returnType?: string;
  /**
   * The node's value type: the return annotation, with `Promise<T>` unwrapped to
   * `T` for async functions. Absent when there is no annotation.
   */
  valueType?: string;
  /** JSDoc summary text (without tags), if any. */
  doc?: string;
  /** JSDoc tags, `@tag value` as `{ tag: "value" }` (a bare tag has value `""`). */
  tags: Record<string, string>;
  /** Written with `export`. */
  exported: boolean;
  /** The whole declaration statement, JSDoc excluded. */
  range: SourceRange;
  /** Source text of the declaration statement. */
  source: string;
  /** A stable hash of `source`: the function's version. */
  hash: string;
  /**
   * The modifiers wrapping the function (`config.when(...)`, `tag(...)`),
   * outermost first; params and types are those of the function inside.
   */
  modifiers?: StaticModifier[];
  /** The function inside the modifiers, when it is not written in this source (its text). */
  unresolvedBase?: string;
}

/**
 * A modifier's argument read from source as plain data: literals, and markers
 * for `source()` (`$source`), `value()` (`$value`), `group()` (`$group`),
 * `step()` (`$step`), a function (`$fn`: its parameter names, null when one is a
 * pattern), `undefined` (`$undefined`), and what is computed at run time
 * (`$dynamic`: the argument's text).
 */
export type StaticValue =
  | string
  | number
  | boolean
  | null
  | StaticValue[]
  | { [key: string]: StaticValue };

/** A modifier call read from source. */
export interface StaticModifier {
  kind:
    | 'config.when'
    | 'config.whenNot'
    | 'config.whenIn'
    | 'config.whenNotIn'
    | 'tag'
    | 'parameterize'
    | 'extractFields'
    | 'checkOutput'
    | 'pipeInput'
    | 'subdag'
    | 'does'
    | 'saveTo'
    | 'loadFrom';
  /** The callee as written (`config.when`, `dc.saveTo.csv`). */
  callee: string;
  /** Its arguments, by the names the runtime modifier gives them. */
  args: Record<string, StaticValue>;
  /** The whole call's text. */
  text: string;
}

/** What kind of top-level statement something is; decides what an export keeps. */
export type StatementKind =
  /** `import ... from`, `import x = require(...)` */
  | 'import'
  /** `type`, `interface`, `declare ...` */
  | 'type'
  /** a function declaration or a `const f = (...) => ...` */
  | 'function'
  /** `const`/`let`/`var` whose initialisers do not call or await anything */
  | 'constant'
  /** `class`, `enum`, `namespace` */
  | 'declaration'
  /** calls, `console.log`, bare expressions, awaits, loops: exploring, not defining */
  | 'exploration';

/** One top-level statement of a cell or file. */
export interface StatementInfo {
  kind: StatementKind;
  /** Names the statement declares at top level (empty for exploration). */
  names: string[];
  /** The statement including its leading comments and JSDoc. */
  range: SourceRange;
  text: string;
}

/** A problem found while reading source. */
export interface Diagnostic {
  severity: 'error' | 'warning';
  message: string;
  range?: SourceRange;
  /** The function (node) it concerns, if any. */
  node?: string;
}

/** A named type a source declares, so that type agreement can see through names. */
export interface TypeDefinition {
  name: string;
  /**
   * The type it stands for, as text: an alias's right side, an interface as a type
   * literal (`Base & { ... }` when it extends). Absent for generic types.
   */
  definition?: string;
}

/** Everything {@link analyzeSource} reads from one text. */
export interface SourceAnalysis {
  /** Top-level functions in source order, `_` helpers included (see `isPrivate`). */
  functions: FunctionInfo[];
  /** Every top-level statement in source order. */
  statements: StatementInfo[];
  /** Type aliases and interfaces, in source order. */
  types: TypeDefinition[];
  /** Syntax errors and dagcells rule violations, with their places. */
  diagnostics: Diagnostic[];
}

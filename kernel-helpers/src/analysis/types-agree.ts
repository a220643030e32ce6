/**
 * Whether a producer's declared return type agrees with a consumer's declared
 * parameter type, judged from the type text alone (no type checker, no lib files,
 * so it runs on every keystroke in the browser).
 *
 * The judgement is one-sided on purpose: it reports a mismatch only when it is
 * sure (`string` into `number`, `number[]` into `string[]`, a record missing a
 * required field). Whatever it cannot see through (generics, conditional and
 * mapped types, names it cannot resolve) agrees, because a false alarm on an edge
 * would block a dataflow that TypeScript itself accepts.
 */
import { ANY, KNOWN_CLASSES, parseType, Primitive, TypeModel } from './type-model';

/** Looks up a named type: the text of an alias's right side or of an interface as a type literal. */
export type TypeResolver = (name: string) => string | undefined;

const MAX_DEPTH = 12;

/**
 * True unless the producer's type certainly cannot be passed as the consumer's.
 * A missing annotation on either side agrees with everything.
 *
 * @example
 * ```ts
 * typesAgree("number[]", "readonly number[]"); // true
 * typesAgree("string", "number");              // false
 * typesAgree("Row[]", "Row[]");                // true
 * ```
 */
export function typesAgree(
  producer: string | undefined,
  consumer: string | undefined,
  resolve?: TypeResolver
): boolean {
  if (!producer || !consumer || producer === consumer) {
    return true;
  }
  return new Judge(resolve).assignable(parseType(producer), parseType(consumer), 0);
}

/** Decides assignability, resolving named types through the resolver, once each. */
class Judge {
  private readonly resolved = new Map<string, TypeModel>();
  private readonly resolving = new Set<string>();

  constructor(private readonly resolve?: TypeResolver) {}

  assignable(producer: TypeModel, consumer: TypeModel, depth: number): boolean {
    if (depth > MAX_DEPTH) {
      return true;
    }
    const p = this.expand(producer);
    const c = this.expand(consumer);
    const next = depth + 1;
    if (p.k === 'any' || c.k === 'any' || p.k === 'never') {
      return true;
    }
    if (p.k === 'union') {
      return p.members.every(m => this.assignable(m, c, next));
    }
    if (c.k === 'union') {
      return c.members.some(m => this.assignable(p, m, next));
    }
    switch (c.k) {
      case 'never':
        return false;
      case 'prim':
        return this.toPrimitive(p, c.name);
      case 'lit':
        return p.k === 'lit' && p.base === c.base && p.text === c.text;
      case 'array':
        return this.toArray(p, c, next);
      case 'tuple':
        return (
          p.k === 'tuple' &&
          p.elems.length === c.elems.length &&
          (c.readonly || !p.readonly) &&
          p.elems.every((e, i) => this.assignable(e, c.elems[i], next))
        );
      case 'obj':
        return this.toObject(p, c, next);
      case 'ref':
        return this.toReference(p, c, next);
      case 'fn':
        return !isPrimitiveLike(p) && p.k !== 'array' && p.k !== 'tuple';
    }
  }

  private toPrimitive(p: TypeModel, name: Primitive): boolean {
    if (name === 'object') {
      return !isPrimitiveLike(p);
    }
    if (p.k === 'prim') {
      return p.name === name || (name === 'void' && p.name === 'undefined');
    }
    if (p.k === 'lit') {
      return p.base === name;
    }
    return false;
  }

  private toArray(p: TypeModel, c: Extract<TypeModel, { k: 'array' }>, depth: number): boolean {
    if (p.k === 'array') {
      return (c.readonly || !p.readonly) && this.assignable(p.elem, c.elem, depth);
    }
    if (p.k === 'tuple') {
      return (c.readonly || !p.readonly) && p.elems.every(e => this.assignable(e, c.elem, depth));
    }
    return p.k === 'ref' && !KNOWN_CLASSES.has(p.name);
  }

  private toObject(p: TypeModel, c: Extract<TypeModel, { k: 'obj' }>, depth: number): boolean {
    if (isPrimitiveLike(p)) {
      // Only `{}` takes primitives (except null and undefined).
      return c.props.size === 0 && !c.index && !(p.k === 'prim' && ['null', 'undefined', 'void'].includes(p.name));
    }
    if (p.k !== 'obj') {
      return true; // arrays, classes, functions: structural checks need the checker
    }
    for (const [key, want] of c.props) {
      const have = p.props.get(key);
      if (!have) {
        if (!want.optional && !p.index) {
          return false;
        }
        continue;
      }
      if (!this.assignable(have.type, want.type, depth)) {
        return false;
      }
    }
    if (c.index) {
      const index = c.index;
      return [...p.props.values()].every(v => this.assignable(v.type, index, depth));
    }
    return true;
  }

  /** `c` is a library class here (names that are not were resolved or made unknown). */
  private toReference(p: TypeModel, c: Extract<TypeModel, { k: 'ref' }>, depth: number): boolean {
    if (p.k === 'ref') {
      return (
        p.name === c.name &&
        (p.args.length !== c.args.length || p.args.every((a, i) => this.assignable(a, c.args[i], depth)))
      );
    }
    return p.k === 'obj';
  }

  /**
   * Replaces a named alias or interface by its definition. A name it cannot
   * resolve (or a generic one) is unknown, so it agrees with everything.
   */
  private expand(model: TypeModel): TypeModel {
    if (model.k !== 'ref' || KNOWN_CLASSES.has(model.name)) {
      return model;
    }
    if (model.args.length > 0 || !this.resolve) {
      return ANY;
    }
    const cached = this.resolved.get(model.name);
    if (cached) {
      return cached;
    }
    if (this.resolving.has(model.name)) {
      return ANY; // a recursive type: stop here
    }
    const text = this.resolve(model.name);
    if (text === undefined) {
      return ANY;
    }
    this.resolving.add(model.name);
    const expanded = this.expand(parseType(text));
    this.resolving.delete(model.name);
    this.resolved.set(model.name, expanded);
    return expanded;
  }
}

function isPrimitiveLike(model: TypeModel): boolean {
  return (model.k === 'prim' && model.name !== 'object') || model.k === 'lit';
}

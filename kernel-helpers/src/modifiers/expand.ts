/**
 * Expanding wrapped functions into node specs, given the config: the runtime
 * truth of the modifiers. `expandFunctions` takes a set of named values (the
 * functions of a module, a notebook, an object) and gives every node they make:
 * variants chosen by config, parameterized nodes, extracted fields, pipe steps,
 * embedded subdags, savers and loaders. Arguments a modifier cannot use make an
 * INVALID_MODIFIER node, and the rest still expands.
 */
import { hashText } from '../analysis/hash';
import { DagError } from '../errors';
import { functionSpec } from '../specs/from-function';
import { readParameters } from '../specs/parameters';
import type { Dependency, NodeSpec } from '../specs/types';
import { CheckWarnings } from './warnings';
import type { CheckOptions, Step } from './wrappers';
import { AnyFunction, Binding, isBinding, Modifier, modifierOf, SourceRef, ValueRef } from './types';

const CONFIG_KINDS = new Set(['config.when', 'config.whenNot', 'config.whenIn', 'config.whenNotIn']);
const FORMATS = new Set(['json', 'ndjson', 'csv', 'parquet']);

/** Makes the spec of a plain function under a name (the Driver's own reading, with source when known). */
export type BaseSpec = (name: string, fn: AnyFunction) => NodeSpec;

export interface ExpandOptions {
  config?: Readonly<Record<string, unknown>>;
  baseSpec?: BaseSpec;
}

/** True when the value is a function wrapped by a modifier. */
export function isModified(value: unknown): boolean {
  return modifierOf(value) !== undefined;
}

class InvalidModifier extends Error {}

/** What a saver asks of the Driver that built its graph when it writes: the lineage to record. */
export interface SaverContext {
  record?: () => Record<string, unknown>;
}

/** Each saver's context, by its node function (the Driver fills it in once the graph is built). */
export const saverContexts = new WeakMap<object, SaverContext>();

/** The parameter names a function read from source stands for (a stand-in made by `fromStatic`). */
export const STATIC_PARAMS = Symbol.for('dagcells.staticParams');

/** A function's parameter names: a stand-in's from source, a live one's from its text; undefined when unreadable. */
function parametersOf(fn: AnyFunction): { names: string[]; optional: boolean[] } | undefined {
  const known = (fn as { [STATIC_PARAMS]?: string[] | null })[STATIC_PARAMS];
  if (known !== undefined) {
    return known === null ? undefined : { names: known, optional: known.map(() => false) };
  }
  const read = readParameters(fn as (...a: never[]) => unknown);
  if (read.error !== undefined || read.params.some(p => p.pattern !== undefined)) {
    return undefined;
  }
  return { names: read.params.map(p => p.name), optional: read.params.map(p => p.optional) };
}

function invalid(fnName: string, argument: string, why: string): never {
  throw new InvalidModifier(`${fnName}: the modifier argument ${argument} ${why}.`);
}

/**
 * Every node of a set of named values: plain functions as they are, wrapped
 * ones expanded. Two variants that apply at once are a DUPLICATE_NODE naming both.
 */
export function expandFunctions(fns: Record<string, unknown>, options: ExpandOptions = {}): NodeSpec[] {
  const config = options.config ?? {};
  const baseSpec = options.baseSpec ?? ((name: string, fn: AnyFunction) => functionSpec(name, fn as (...a: never[]) => unknown));
  const specs: NodeSpec[] = [];
  for (const key of Object.keys(fns)) {
    const value = fns[key];
    if (typeof value !== 'function') {
      continue;
    }
    if (!isModified(value)) {
      specs.push(baseSpec(key, value as AnyFunction));
      continue;
    }
    specs.push(...expandOne(key, value, config, baseSpec));
  }
  return mergeVariants(specs);
}

/**
 * Two variants of one node that both apply become one node with a
 * DUPLICATE_NODE problem naming both (the graph would otherwise let the later win).
 */
export function mergeVariants(specs: NodeSpec[]): NodeSpec[] {
  if (!specs.some(s => s.variant !== undefined)) {
    return specs;
  }
  const out: NodeSpec[] = [];
  const at = new Map<string, number>();
  for (const spec of specs) {
    const earlier = spec.variant !== undefined ? at.get(spec.name) : undefined;
    if (earlier !== undefined) {
      const first = out[earlier];
      const message =
        `${spec.name} has two variants that apply with this config: ${first.variant} and ${spec.variant}. ` +
        `Change the config or the conditions so that exactly one applies.`;
      out[earlier] = { ...spec, invalid: message, invalidCode: 'DUPLICATE_NODE', variant: `${first.variant}, ${spec.variant}` };
      continue;
    }
    if (spec.variant !== undefined) {
      at.set(spec.name, out.length);
    }
    out.push(spec);
  }
  return out;
}

/** The modifiers of a wrapped value, outermost first, and the function inside them all. */
function chainOf(value: unknown): { mods: Modifier[]; base: unknown } {
  const mods: Modifier[] = [];
  let current: unknown = value;
  for (let mod = modifierOf(current); mod; mod = modifierOf(current)) {
    mods.push(mod);
    current = mod.inner;
  }
  return { mods, base: current };
}

/** The nodes one wrapped value makes (none when its config conditions do not hold). */
export function expandOne(name: string, value: unknown, config: Readonly<Record<string, unknown>>, baseSpec: BaseSpec): NodeSpec[] {
  const { mods, base } = chainOf(value);
  return expandChain(name, mods, base, config, baseSpec);
}

/** The node name a wrapped value's name stands for: before the last `__` when a config modifier wraps it. */
export function nodeNameOf(name: string, kinds: readonly string[]): string {
  if (!kinds.some(k => CONFIG_KINDS.has(k)) || name.endsWith('__')) {
    return name;
  }
  const cut = name.lastIndexOf('__');
  return cut > 0 ? name.slice(0, cut) : name;
}

/** The nodes a chain of modifiers (outermost first) around a function makes. */
export function expandChain(
  name: string,
  mods: readonly Modifier[],
  base: unknown,
  config: Readonly<Record<string, unknown>>,
  baseSpec: BaseSpec
): NodeSpec[] {
  const hasConfig = mods.some(m => CONFIG_KINDS.has(m.kind));
  let nodeName = name;
  if (hasConfig) {
    if (name.endsWith('__')) {
      return [invalidSpec(name, `${name}: a config variant is named NODE__VARIANT, and this name ends in "__" with no variant after it. Name it like ${name}x.`)];
    }
    const cut = name.lastIndexOf('__');
    nodeName = cut > 0 ? name.slice(0, cut) : name;
  }
  try {
    if (typeof base !== 'function') {
      invalid(name, mods[mods.length - 1].kind, `wraps ${base === null ? 'null' : typeof base}, not a function`);
    }
    for (const mod of mods) {
      if (CONFIG_KINDS.has(mod.kind) && !conditionHolds(name, mod, config)) {
        return [];
      }
    }
    let specs: NodeSpec[] = [{ ...baseSpec(nodeName, base as AnyFunction) }];
    if (specs[0].hash === undefined) {
      // The code version of a wrapped function read without source: its own text's, not the wrapper's.
      specs[0].hash = hashText(Function.prototype.toString.call(base));
    }
    if (hasConfig) {
      specs[0].variant = name;
    }
    for (let i = mods.length - 1; i >= 0; i--) {
      specs = apply(name, nodeName, mods[i], specs, config, baseSpec);
    }
    // Every node made carries the declared name and the version of the declaration it comes from.
    const version = specs.find(s => s.name === nodeName)?.hash;
    return specs.map(s =>
      s.name === name || s.declaredAs !== undefined
        ? s
        : { ...s, declaredAs: name, ...(s.hash === undefined && version !== undefined ? { hash: version } : {}) }
    );
  } catch (error) {
    if (error instanceof InvalidModifier) {
      return [invalidSpec(nodeName, error.message)];
    }
    throw error;
  }
}

export function invalidSpec(name: string, message: string): NodeSpec {
  return {
    name,
    dependencies: [],
    invalid: message,
    invalidCode: 'INVALID_MODIFIER',
    fn: () => {
      throw new DagError('INVALID_MODIFIER', message, [name]);
    }
  };
}

/** True for the modifiers that pick a variant by config (`config.when`, `config.whenNot`, ...). */
export function isConfigKind(kind: string): boolean {
  return CONFIG_KINDS.has(kind);
}

/**
 * Whether every config condition of a chain holds with this config. A
 * condition that cannot be read counts as holding: the chain then makes an
 * INVALID_MODIFIER node, which is no variant left out.
 */
export function conditionsHold(name: string, mods: readonly Modifier[], config: Readonly<Record<string, unknown>>): boolean {
  try {
    return mods.every(mod => !CONFIG_KINDS.has(mod.kind) || conditionHolds(name, mod, config));
  } catch (error) {
    if (error instanceof InvalidModifier) {
      return true;
    }
    throw error;
  }
}

/**
 * The config that makes a chain's variant apply, as a reader would write it:
 * `region == "EU"`, `region != "US"`, `tier in ["a", "b"]`, `tier not in [...]`,
 * joined with `and`.
 */
export function conditionText(mods: readonly Pick<Modifier, 'kind' | 'args'>[]): string {
  const parts: string[] = [];
  const shown = (v: unknown): string => {
    try {
      return JSON.stringify(v) ?? String(v);
    } catch {
      return String(v);
    }
  };
  for (const mod of mods) {
    const conditions = mod.args.conditions;
    if (!CONFIG_KINDS.has(mod.kind) || !conditions || typeof conditions !== 'object' || Array.isArray(conditions)) {
      continue;
    }
    const op = { 'config.when': '==', 'config.whenNot': '!=', 'config.whenIn': 'in', 'config.whenNotIn': 'not in' }[mod.kind as string];
    for (const [key, v] of Object.entries(conditions as Record<string, unknown>)) {
      parts.push(`${key} ${op} ${shown(v)}`);
    }
  }
  return parts.join(' and ');
}

function conditionHolds(name: string, mod: Modifier, config: Readonly<Record<string, unknown>>): boolean {
  const conditions = mod.args.conditions;
  if (!conditions || typeof conditions !== 'object' || Array.isArray(conditions)) {
    invalid(name, `${mod.kind}(conditions)`, 'must be an object of config keys and values');
  }
  const entries = Object.entries(conditions as Record<string, unknown>);
  if (entries.length === 0) {
    invalid(name, `${mod.kind}(conditions)`, 'names no config key');
  }
  const has = (key: string) => Object.prototype.hasOwnProperty.call(config, key);
  const eq = (a: unknown, b: unknown) => a === b || (typeof a === 'object' && a !== null && JSON.stringify(a) === JSON.stringify(b));
  switch (mod.kind) {
    case 'config.when':
      return entries.every(([k, v]) => has(k) && eq(config[k], v));
    case 'config.whenNot':
      return entries.every(([k, v]) => !has(k) || !eq(config[k], v));
    case 'config.whenIn':
    case 'config.whenNotIn': {
      for (const [k, v] of entries) {
        if (!Array.isArray(v)) {
          invalid(name, `${mod.kind}({ ${k} })`, 'must be an array of values');
        }
      }
      const inList = ([k, v]: [string, unknown]) => has(k) && (v as unknown[]).some(x => eq(config[k], x));
      return mod.kind === 'config.whenIn' ? entries.every(inList) : entries.every(e => !inList(e));
    }
    default:
      return true;
  }
}

/** The spec the modifier acts on: the one named as the node. */
function mainOf(name: string, nodeName: string, kind: string, specs: NodeSpec[]): NodeSpec {
  const main = specs.find(s => s.name === nodeName);
  if (!main) {
    invalid(name, kind, `has no node ${nodeName} to act on (a modifier inside it replaced it)`);
  }
  return main;
}

function replace(specs: NodeSpec[], old: NodeSpec, next: NodeSpec[]): NodeSpec[] {
  const at = specs.indexOf(old);
  return [...specs.slice(0, at), ...next, ...specs.slice(at + 1)];
}

function apply(
  name: string,
  nodeName: string,
  mod: Modifier,
  specs: NodeSpec[],
  config: Readonly<Record<string, unknown>>,
  baseSpec: BaseSpec
): NodeSpec[] {
  switch (mod.kind) {
    case 'config.when':
    case 'config.whenNot':
    case 'config.whenIn':
    case 'config.whenNotIn':
      return specs;
    case 'tag':
      return applyTag(name, mod, specs);
    case 'parameterize':
      return applyParameterize(name, nodeName, mod, specs);
    case 'extractFields':
      return applyExtract(name, nodeName, mod, specs);
    case 'checkOutput':
      return applyCheck(name, nodeName, mod, specs);
    case 'pipeInput':
      return applyPipe(name, nodeName, mod, specs);
    case 'subdag':
      return applySubdag(name, nodeName, mod, specs, config, baseSpec);
    case 'does':
      return applyDoes(name, nodeName, mod, specs);
    case 'saveTo':
      return applySave(name, nodeName, mod, specs);
    case 'loadFrom':
      return applyLoad(name, nodeName, mod, specs);
    default:
      return invalid(name, String((mod as Modifier).kind), 'is no modifier');
  }
}

function applyTag(name: string, mod: Modifier, specs: NodeSpec[]): NodeSpec[] {
  const tags = mod.args.tags;
  if (!tags || typeof tags !== 'object' || Array.isArray(tags)) {
    invalid(name, 'tag(tags)', 'must be an object of names and string values');
  }
  const given: Record<string, string> = {};
  for (const [k, v] of Object.entries(tags as Record<string, unknown>)) {
    if (typeof v === 'string') {
      given[k] = v;
    } else if (Array.isArray(v) && v.every(x => typeof x === 'string')) {
      given[k] = v.join(',');
    } else {
      invalid(name, `tag({ ${k} })`, 'must be a string or an array of strings');
    }
  }
  return specs.map(s => ({ ...s, tags: { ...s.tags, ...given } }));
}

/** The parameter names of a function, read from its text. */
function paramNames(name: string, fn: AnyFunction, argument: string): string[] {
  const read = parametersOf(fn);
  if (read === undefined) {
    invalid(name, argument, 'has parameters that cannot be read by name');
  }
  return read.names;
}

function checkBinding(name: string, argument: string, binding: unknown, allowGroup: boolean): Binding {
  if (!isBinding(binding) || (!allowGroup && binding.dagcellsBinding === 'group')) {
    invalid(name, argument, `must be source("node") or value(x)${allowGroup ? ' or group(...)' : ''}`);
  }
  if (binding.dagcellsBinding === 'source' && (typeof binding.name !== 'string' || binding.name === '')) {
    invalid(name, argument, 'names no node: source() needs a node name');
  }
  if (binding.dagcellsBinding === 'group') {
    binding.items.forEach((item, i) => checkBinding(name, `${argument}[${i}]`, item, false));
  }
  return binding;
}

/**
 * The dependencies and argument maker of a function whose parameters are bound:
 * each parameter from its binding, or from the node of its own name.
 */
function bound(
  name: string,
  original: readonly Dependency[],
  bindings: Record<string, Binding>,
  rename: (dep: string) => string = d => d
): { dependencies: Dependency[]; args: (argv: unknown[]) => unknown[] } {
  const dependencies: Dependency[] = [];
  const makers: ((argv: unknown[]) => unknown)[] = [];
  for (const dep of original) {
    const binding = bindings[dep.name];
    if (binding === undefined) {
      const at = dependencies.push({ ...dep, name: rename(dep.name) }) - 1;
      makers.push(argv => argv[at]);
    } else if (binding.dagcellsBinding === 'source') {
      const at = dependencies.push({ name: binding.name, optional: false, ...(dep.type ? { type: dep.type } : {}) }) - 1;
      makers.push(argv => argv[at]);
    } else if (binding.dagcellsBinding === 'value') {
      const v = binding.value;
      makers.push(() => v);
    } else {
      const parts = binding.items.map(item => {
        if (item.dagcellsBinding === 'source') {
          const at = dependencies.push({ name: item.name, optional: false }) - 1;
          return (argv: unknown[]) => argv[at];
        }
        const v = item.value;
        return () => v;
      });
      makers.push(argv => parts.map(p => p(argv)));
    }
  }
  for (const key of Object.keys(bindings)) {
    if (!original.some(d => d.name === key)) {
      invalid(name, key, `binds no parameter (the parameters are ${original.map(d => d.name).join(', ') || 'none'})`);
    }
  }
  return { dependencies, args: argv => makers.map(m => m(argv)) };
}

function applyParameterize(name: string, nodeName: string, mod: Modifier, specs: NodeSpec[]): NodeSpec[] {
  const main = mainOf(name, nodeName, 'parameterize', specs);
  const nodes = mod.args.nodes;
  if (!nodes || typeof nodes !== 'object' || Array.isArray(nodes) || Object.keys(nodes).length === 0) {
    invalid(name, 'parameterize(nodes)', 'must be an object with one key per node to make');
  }
  const fn = main.fn as AnyFunction | undefined;
  const made: NodeSpec[] = [];
  for (const [out, raw] of Object.entries(nodes as Record<string, unknown>)) {
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
      invalid(name, out, 'must be an object binding parameters to source(...), value(...) or group(...)');
    }
    const bindings: Record<string, Binding> = {};
    for (const [param, b] of Object.entries(raw as Record<string, unknown>)) {
      bindings[param] = checkBinding(name, `${out}.${param}`, b, true);
    }
    const { dependencies, args } = bound(name, main.dependencies, bindings);
    made.push({
      ...main,
      name: out,
      dependencies,
      fn: fn && ((...argv: unknown[]) => fn(...args(argv))),
      origin: main.origin,
      modifiers: [...(main.modifiers ?? []), 'parameterize']
    });
  }
  return replace(specs, main, made);
}

function applyExtract(name: string, nodeName: string, mod: Modifier, specs: NodeSpec[]): NodeSpec[] {
  const main = mainOf(name, nodeName, 'extractFields', specs);
  const raw = mod.args.fields;
  const fields: [string, string | undefined][] = Array.isArray(raw)
    ? raw.map(f => [f, undefined])
    : raw && typeof raw === 'object'
      ? Object.entries(raw as Record<string, unknown>).map(([f, t]) => [f, typeof t === 'string' ? t : undefined])
      : [];
  if (fields.length === 0) {
    invalid(name, 'extractFields(fields)', 'must name at least one field');
  }
  const declared = main.type !== undefined ? literalMembers(main.type) : undefined;
  const extracted: NodeSpec[] = [];
  for (const [field, given] of fields) {
    const type = given ?? declared?.get(field);
    if (declared && !declared.has(field)) {
      invalid(name, field, `is not a field of ${nodeName}'s return type ${main.type}`);
    }
    if (typeof field !== 'string' || field === '') {
      invalid(name, 'extractFields(fields)', 'must hold field names (strings)');
    }
    if (field === nodeName) {
      invalid(name, field, `is the node's own name; a field becomes a node of its own`);
    }
    extracted.push({
      name: field,
      dependencies: [{ name: nodeName, optional: false }],
      ...(type !== undefined ? { type } : {}),
      tags: main.tags,
      origin: main.origin,
      modifiers: ['extractFields'],
      fn: (whole: unknown) => {
        if (whole === null || typeof whole !== 'object' || !(field in (whole as object))) {
          throw new Error(`the field ${field} is not in the value of ${nodeName} (extractFields of ${name})`);
        }
        return (whole as Record<string, unknown>)[field];
      }
    });
  }
  return [...specs.map(s => (s === main ? { ...s, modifiers: [...(s.modifiers ?? []), 'extractFields'] } : s)), ...extracted];
}

/**
 * The members of an object type literal written as text (`{ mean: number; sd: number }`),
 * by name; undefined for any other type (a named type, a union), whose fields are not known here.
 */
export function literalMembers(type: string): Map<string, string> | undefined {
  const text = type.trim();
  if (!text.startsWith('{') || !text.endsWith('}')) {
    return undefined;
  }
  const body = text.slice(1, -1);
  const members = new Map<string, string>();
  let depth = 0;
  let start = 0;
  const parts: string[] = [];
  for (let i = 0; i <= body.length; i++) {
    const c = body[i];
    if (c === '{' || c === '(' || c === '[' || c === '<') depth++;
    else if (c === '}' || c === ')' || c === ']' || (c === '>' && body[i - 1] !== '=')) depth--;
    else if ((c === ';' || c === ',' || c === '\n' || c === undefined) && depth === 0) {
      parts.push(body.slice(start, i));
      start = i + 1;
    }
  }
  for (const part of parts) {
    const m = /^\s*(?:readonly\s+)?([A-Za-z_$][\w$]*|"[^"]*"|'[^']*')\s*(\?)?\s*:\s*([\s\S]+?)\s*$/.exec(part);
    if (m) {
      members.set(m[1].replace(/^["']|["']$/g, ''), m[3]);
    } else if (part.trim() !== '') {
      return undefined; // an index signature or a method: not a plain literal
    }
  }
  return members;
}

function applyCheck(name: string, nodeName: string, mod: Modifier, specs: NodeSpec[]): NodeSpec[] {
  const main = mainOf(name, nodeName, 'checkOutput', specs);
  const options = (mod.args.options ?? {}) as CheckOptions;
  if (typeof options !== 'object') {
    invalid(name, 'checkOutput(options)', 'must be an object');
  }
  const importance = options.importance ?? 'fail';
  if (importance !== 'fail' && importance !== 'warn') {
    invalid(name, 'importance', `must be "warn" or "fail", not ${JSON.stringify(importance)}`);
  }
  const range = options.range;
  if (range !== undefined && !(Array.isArray(range) && range.length === 2 && range.every(x => typeof x === 'number') && range[0] <= range[1])) {
    invalid(name, 'range', 'must be [min, max] with min <= max');
  }
  if (options.validate !== undefined && typeof options.validate !== 'function') {
    invalid(name, 'validate', 'must be a function');
  }
  const known = new Set(['range', 'allowNaN', 'validate', 'importance']);
  for (const key of Object.keys(options)) {
    if (!known.has(key)) {
      invalid(name, key, 'is no option of checkOutput (range, allowNaN, validate, importance)');
    }
  }
  const described = [
    range ? `range [${range[0]}, ${range[1]}]` : '',
    options.allowNaN === false ? 'no NaN' : '',
    options.validate ? 'validate' : ''
  ].filter(Boolean);
  const check = (v: unknown): string | undefined => {
    const numbers = typeof v === 'number' ? [v] : isNumberList(v) ? Array.from(v as ArrayLike<number>) : undefined;
    if ((range || options.allowNaN === false) && numbers === undefined) {
      return `the value is not a number or an array of numbers`;
    }
    if (numbers) {
      const nan = numbers.findIndex(x => Number.isNaN(x));
      if (options.allowNaN === false && nan >= 0) {
        return typeof v === 'number' ? 'the value is NaN' : `element ${nan} is NaN`;
      }
      if (range) {
        const out = numbers.findIndex(x => !Number.isNaN(x) && (x < range[0] || x > range[1]));
        if (out >= 0) {
          return `${typeof v === 'number' ? 'the value' : `element ${out}`} (${numbers[out]}) is outside the range [${range[0]}, ${range[1]}]`;
        }
      }
    }
    if (options.validate) {
      const verdict = options.validate(v);
      if (verdict !== true) {
        return typeof verdict === 'string' ? verdict : 'validate returned false';
      }
    }
    return undefined;
  };
  const fn = main.fn as AnyFunction | undefined;
  const judged = (v: unknown): unknown => {
    const fault = check(v);
    if (fault === undefined) {
      return v;
    }
    const message = `${nodeName} failed its check: ${fault}.`;
    if (importance === 'warn') {
      return new CheckWarnings(v, [message]);
    }
    throw new DagError('CHECK_FAILED', message, [nodeName]);
  };
  const checked = (...argv: unknown[]) => {
    const out = (fn as AnyFunction)(...argv);
    return isThenable(out) ? Promise.resolve(out).then(judged) : judged(out);
  };
  return replace(specs, main, [
    { ...main, fn: fn && checked, checks: [...(main.checks ?? []), `${importance}: ${described.join(', ') || 'none'}`] }
  ]);
}

function isNumberList(v: unknown): boolean {
  return (Array.isArray(v) && v.every(x => typeof x === 'number')) || (ArrayBuffer.isView(v) && !(v instanceof DataView) && !(v instanceof BigInt64Array) && !(v instanceof BigUint64Array));
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return v !== null && (typeof v === 'object' || typeof v === 'function') && typeof (v as { then?: unknown }).then === 'function';
}

function applyPipe(name: string, nodeName: string, mod: Modifier, specs: NodeSpec[]): NodeSpec[] {
  const main = mainOf(name, nodeName, 'pipeInput', specs);
  const steps = mod.args.steps as Step[];
  if (!Array.isArray(steps) || steps.length === 0) {
    invalid(name, 'pipeInput(steps)', 'must be at least one step(fn)');
  }
  if (main.dependencies.length === 0) {
    invalid(name, 'pipeInput', 'needs a function with a first parameter to pipe into');
  }
  const first = main.dependencies[0];
  let previous = first.name;
  const made: NodeSpec[] = [];
  steps.forEach((s, i) => {
    if (!s || s.dagcellsStep !== true || typeof s.fn !== 'function') {
      invalid(name, `pipeInput step ${i + 1}`, 'must be step(fn, bindings?)');
    }
    const label = s.name ?? `with_${(s.fn.name || `step${i + 1}`).replace(/^_+/, '')}`;
    const stepName = `${nodeName}.${label}`;
    const params = paramNames(name, s.fn, `step ${label}`);
    if (params.length === 0) {
      invalid(name, `step ${label}`, 'needs a first parameter for the value piped in');
    }
    const bindings: Record<string, Binding> = {};
    for (const [k, b] of Object.entries(s.bindings ?? {})) {
      bindings[k] = checkBinding(name, `step ${label}: ${k}`, b, false);
    }
    if (bindings[params[0]]) {
      invalid(name, `step ${label}: ${params[0]}`, 'is the piped parameter and cannot be bound');
    }
    const original: Dependency[] = params.map((p, k) => ({ name: k === 0 ? previous : p, optional: false }));
    const { dependencies, args } = bound(name, original, Object.fromEntries(Object.entries(bindings).map(([k, b]) => [k, b])));
    const fn = s.fn;
    made.push({ name: stepName, dependencies, fn: (...argv: unknown[]) => fn(...args(argv)), tags: main.tags, origin: main.origin, modifiers: ['pipeInput'] });
    previous = stepName;
  });
  const piped: NodeSpec = {
    ...main,
    dependencies: [{ ...first, name: previous }, ...main.dependencies.slice(1)],
    modifiers: [...(main.modifiers ?? []), 'pipeInput']
  };
  return [...made, ...replace(specs, main, [piped])];
}

function applySubdag(
  name: string,
  nodeName: string,
  mod: Modifier,
  specs: NodeSpec[],
  config: Readonly<Record<string, unknown>>,
  baseSpec: BaseSpec
): NodeSpec[] {
  const main = mainOf(name, nodeName, 'subdag', specs);
  const functions = mod.args.functions as Record<string, unknown>;
  const options = (mod.args.options ?? {}) as { inputs?: Record<string, unknown>; config?: Record<string, unknown>; namespace?: string };
  if (!functions || typeof functions !== 'object') {
    invalid(name, 'subdag(functions)', 'must be a module or an object of functions');
  }
  const ns = options.namespace ?? nodeName;
  if (typeof ns !== 'string' || ns === '') {
    invalid(name, 'namespace', 'must be a non-empty string');
  }
  const innerConfig = { ...config, ...(options.config ?? {}) };
  const inner: Record<string, unknown> = {};
  for (const key of Object.keys(functions)) {
    if (key !== 'default' && key !== '__esModule' && !key.startsWith('_')) {
      inner[key] = functions[key];
    }
  }
  const innerSpecs = expandFunctions(inner, { config: innerConfig, baseSpec });
  const produced = new Set(innerSpecs.map(s => s.name));
  const inputs: Record<string, Binding> = {};
  for (const [k, b] of Object.entries(options.inputs ?? {})) {
    inputs[k] = checkBinding(name, `inputs.${k}`, b, false);
  }
  const constants = new Map<string, unknown>();
  const rename = (dep: string): string => {
    if (produced.has(dep)) {
      return `${ns}.${dep}`;
    }
    const b = inputs[dep];
    if (b && b.dagcellsBinding === 'source') {
      return (b as SourceRef).name;
    }
    if (b && b.dagcellsBinding === 'value') {
      constants.set(dep, (b as ValueRef).value);
      return `${ns}.${dep}`;
    }
    if (options.config && Object.prototype.hasOwnProperty.call(options.config, dep)) {
      constants.set(dep, options.config[dep]);
      return `${ns}.${dep}`;
    }
    return dep;
  };
  // Each embedded node says it was embedded: its function is written elsewhere (see `isEmbedded`).
  const embedded: NodeSpec[] = innerSpecs.map(s => ({
    ...s,
    name: `${ns}.${s.name}`,
    modifiers: [...(s.modifiers ?? []), 'subdag'],
    dependencies: s.dependencies.map(d => ({ ...d, name: rename(d.name) })),
    tags: { ...s.tags, ...main.tags }
  }));
  for (const [k, v] of constants) {
    embedded.push({ name: `${ns}.${k}`, dependencies: [], fn: () => v, modifiers: ['subdag'] });
  }
  const outer: NodeSpec = {
    ...main,
    dependencies: main.dependencies.map(d => (produced.has(d.name) ? { ...d, name: `${ns}.${d.name}` } : d)),
    modifiers: [...(main.modifiers ?? []), 'subdag']
  };
  return [...embedded, ...replace(specs, main, [outer])];
}

function applyDoes(name: string, nodeName: string, mod: Modifier, specs: NodeSpec[]): NodeSpec[] {
  const main = mainOf(name, nodeName, 'does', specs);
  const impl = mod.args.impl;
  if (typeof impl !== 'function') {
    invalid(name, 'does(impl)', 'must be a function');
  }
  const implParams = parametersOf(impl as AnyFunction);
  const names = main.dependencies.map(d => d.name);
  let order: number[] | undefined;
  if (implParams !== undefined) {
    order = implParams.names.map((p, i) => {
      const at = names.indexOf(p);
      if (at < 0 && !implParams.optional[i]) {
        invalid(name, `does(${(impl as AnyFunction).name || 'impl'})`, `takes ${p}, which is no parameter of ${nodeName}`);
      }
      return at;
    });
  }
  const call = impl as AnyFunction;
  const fn = !main.fn ? undefined : order ? (...argv: unknown[]) => call(...order!.map(i => (i < 0 ? undefined : argv[i]))) : (...argv: unknown[]) => call(...argv);
  return replace(specs, main, [{ ...main, fn, modifiers: [...(main.modifiers ?? []), 'does'] }]);
}

function pathBinding(name: string, kind: string, path: unknown): Binding {
  if (typeof path === 'string' && path !== '') {
    return { dagcellsBinding: 'value', value: path };
  }
  if (isBinding(path) && path.dagcellsBinding !== 'group') {
    return checkBinding(name, `${kind}(path)`, path, false);
  }
  return invalid(name, `${kind}(path)`, 'must be a path, source("node") or value("path")');
}

function artifactArgs(name: string, kind: 'saveTo' | 'loadFrom', mod: Modifier): { format: string; options: Record<string, unknown>; label: string } {
  const format = mod.args.format as string;
  const label = `${kind}.${format}`;
  if (!FORMATS.has(format)) {
    invalid(name, kind, `has no format ${JSON.stringify(format)} (formats: json, ndjson, csv, parquet)`);
  }
  const options = mod.args.options;
  if (!options || typeof options !== 'object') {
    invalid(name, `${label}(options)`, 'must be an object with a path');
  }
  return { format, options: options as Record<string, unknown>, label };
}

const SAVE_OPTIONS = new Set(['path', 'outputName', 'overwrite', 'types', 'columns', 'indent', 'delimiter']);
const LOAD_OPTIONS = new Set(['path', 'inject', 'outputName', 'shape', 'types', 'columns', 'delimiter']);

/** Every option of a saver or loader is one it knows, or INVALID_MODIFIER names the one it does not. */
function checkOptions(name: string, label: string, options: Record<string, unknown>, known: ReadonlySet<string>): void {
  for (const key of Object.keys(options)) {
    if (!known.has(key)) {
      invalid(name, `${label}({ ${key} })`, `is no option (options: ${[...known].join(', ')})`);
    }
  }
}

function applySave(name: string, nodeName: string, mod: Modifier, specs: NodeSpec[]): NodeSpec[] {
  const main = mainOf(name, nodeName, 'saveTo', specs);
  const { format, options, label } = artifactArgs(name, 'saveTo', mod);
  checkOptions(name, label, options, SAVE_OPTIONS);
  const path = pathBinding(name, label, options.path);
  const saverName = options.outputName ?? `save_${nodeName}`;
  if (typeof saverName !== 'string' || saverName === '' || saverName === nodeName) {
    invalid(name, `${label}({ outputName })`, 'must be a name other than the node\'s own');
  }
  const dependencies: Dependency[] = [{ name: nodeName, optional: false }];
  if (path.dagcellsBinding === 'source') {
    dependencies.push({ name: (path as SourceRef).name, optional: false, type: 'string' });
  }
  const fixed = path.dagcellsBinding === 'value' ? (path as ValueRef).value : undefined;
  const { path: _p, outputName: _o, ...write } = options;
  const context: SaverContext = {};
  const saver: NodeSpec = {
    name: saverName,
    dependencies,
    type: '{ path: string; format: string; bytes: number; rows?: number }',
    isAsync: true,
    tags: main.tags,
    origin: main.origin,
    role: 'saver',
    modifiers: [label],
    fn: async (v: unknown, p?: unknown) => {
      const target = path.dagcellsBinding === 'source' ? p : fixed;
      if (typeof target !== 'string' || target === '') {
        throw new Error(`the path given to ${saverName} is ${JSON.stringify(target)}, not a file path`);
      }
      const { writeArtifact } = require('../artifacts/artifact') as typeof import('../artifacts/artifact');
      const lineage = context.record?.();
      const result = await writeArtifact(format as 'json', target, v, {
        ...(write as object),
        owner: saverName,
        ...(lineage ? { record: { lineage } } : {})
      });
      return result.rows !== undefined
        ? { path: result.path, format: result.format, bytes: result.bytes, rows: result.rows }
        : { path: result.path, format: result.format, bytes: result.bytes };
    }
  };
  saverContexts.set(saver.fn as object, context);
  return [...specs, saver];
}

function applyLoad(name: string, nodeName: string, mod: Modifier, specs: NodeSpec[]): NodeSpec[] {
  const main = mainOf(name, nodeName, 'loadFrom', specs);
  const { format, options, label } = artifactArgs(name, 'loadFrom', mod);
  checkOptions(name, label, options, LOAD_OPTIONS);
  const path = pathBinding(name, label, options.path);
  let inject = options.inject as string | undefined;
  if (inject === undefined) {
    if (main.dependencies.length !== 1) {
      invalid(name, `${label}({ inject })`, `must name the parameter to feed, as ${nodeName} has ${main.dependencies.length} parameters`);
    }
    inject = main.dependencies[0].name;
  } else if (!main.dependencies.some(d => d.name === inject)) {
    invalid(name, `${label}({ inject: ${JSON.stringify(inject)} })`, `is no parameter of ${nodeName}`);
  }
  const loaderName = (options.outputName as string | undefined) ?? `load_${nodeName}`;
  const dependencies: Dependency[] = [];
  if (path.dagcellsBinding === 'source') {
    dependencies.push({ name: (path as SourceRef).name, optional: false, type: 'string' });
  }
  const fixed = path.dagcellsBinding === 'value' ? (path as ValueRef).value : undefined;
  const { path: _p, inject: _i, outputName: _o, ...read } = options;
  const loader: NodeSpec = {
    name: loaderName,
    dependencies,
    isAsync: true,
    tags: main.tags,
    origin: main.origin,
    role: 'loader',
    modifiers: [label],
    fn: async (p?: unknown) => {
      const target = path.dagcellsBinding === 'source' ? p : fixed;
      if (typeof target !== 'string' || target === '') {
        throw new Error(`the path given to ${loaderName} is ${JSON.stringify(target)}, not a file path`);
      }
      const { readArtifact } = require('../artifacts/artifact') as typeof import('../artifacts/artifact');
      try {
        return await readArtifact(format as 'json', target, read as object);
      } catch (error) {
        throw new Error(`the loader ${loaderName} could not read ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }
    }
  };
  const fed: NodeSpec = {
    ...main,
    dependencies: main.dependencies.map(d => (d.name === inject ? { ...d, name: loaderName } : d)),
    modifiers: [...(main.modifiers ?? []), label]
  };
  return [loader, ...replace(specs, main, [fed])];
}

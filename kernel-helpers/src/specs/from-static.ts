/**
 * The nodes a function wrapped by modifiers makes, read from source: the
 * modifier calls `analyzeSource` read are turned into the same modifiers the
 * runtime wrappers carry, and expanded by the same code, so that the live graph
 * and a run agree. An argument computed at run time is not guessed: the node is
 * shown as written, marked `unresolved` with what could not be read.
 */
import { dynamicIn } from '../analysis/modifier-calls';
import type { FunctionInfo, StaticValue } from '../analysis/types';
import { conditionsHold, conditionText, expandChain, isConfigKind, nodeNameOf, STATIC_PARAMS } from '../modifiers/expand';
import type { AnyFunction, Modifier, ModifierKind } from '../modifiers/types';
import { group, source, step, value } from '../modifiers/wrappers';
import { sourceSpec } from './from-source';
import type { NodeSpec, Origin, UnchosenVariant } from './types';

/** The specs a function read from source makes, given the config (one spec when it has no modifiers). */
export function sourceSpecs(
  info: FunctionInfo,
  origin: Origin | undefined,
  config: Readonly<Record<string, unknown>> = {},
  fn?: NodeSpec['fn']
): NodeSpec[] {
  if (!info.modifiers || info.modifiers.length === 0) {
    return [sourceSpec(info, origin, fn)];
  }
  const kinds = info.modifiers.map(m => m.kind);
  const nodeName = nodeNameOf(info.name, kinds);
  const unresolved = unresolvedOf(info);
  if (unresolved !== undefined) {
    const spec: NodeSpec = { ...sourceSpec({ ...info, name: nodeName }, origin, fn), unresolved, modifiers: kinds };
    return [nodeName === info.name ? spec : { ...spec, declaredAs: info.name }];
  }
  const mods = liveModifiers(info);
  const base = standIn(info.params.some(p => p.pattern) ? null : info.params.map(p => p.name), info.name);
  return expandChain(info.name, mods, base, config, name => sourceSpec({ ...info, name }, origin, fn)).map(s =>
    // Read from source alone, no node has a body: the stand-in's wrappers are dropped.
    fn !== undefined || s.fn === undefined ? s : { ...s, fn: undefined }
  );
}

/**
 * The variant a function read from source declares, when the config does not
 * choose it (its config conditions do not hold); undefined for anything else:
 * a plain function, a chosen variant, a modifier that cannot be read.
 */
export function unchosenVariant(
  info: FunctionInfo,
  origin: Origin | undefined,
  config: Readonly<Record<string, unknown>> = {}
): UnchosenVariant | undefined {
  if (!info.modifiers?.some(m => isConfigKind(m.kind)) || info.name.endsWith('__') || unresolvedOf(info) !== undefined) {
    return undefined;
  }
  const mods = liveModifiers(info);
  if (conditionsHold(info.name, mods, config)) {
    return undefined;
  }
  const node = nodeNameOf(info.name, info.modifiers.map(m => m.kind));
  const spec = sourceSpec({ ...info, name: node }, origin);
  return {
    node,
    declaredAs: info.name,
    condition: conditionText(mods),
    dependencies: spec.dependencies,
    ...(spec.type !== undefined ? { type: spec.type } : {}),
    ...(spec.doc !== undefined ? { doc: spec.doc } : {}),
    ...(spec.hash !== undefined ? { hash: spec.hash } : {}),
    ...(origin !== undefined ? { origin } : {})
  };
}

/**
 * What consumers of a node that no variant defines are told: which config
 * would make it exist (`No variant of spend applies with this config;
 * region == "US" (spend__us) or region == "EU" (spend__eu) would define it.`).
 */
export function absentVariantMessage(node: string, variants: readonly UnchosenVariant[]): string {
  const ways = variants.filter(v => v.node === node).map(v => `${v.condition} (${v.declaredAs})`);
  return `No variant of ${node} applies with this config; ${ways.join(' or ')} would define it.`;
}

/** The modifiers of a function read from source, as the runtime wrappers would carry them. */
function liveModifiers(info: FunctionInfo): Modifier[] {
  return (info.modifiers ?? []).map(m => ({ kind: m.kind as ModifierKind, args: live(m.args) as Record<string, unknown>, inner: undefined }));
}

/** What of the modifiers cannot be read from source, described; undefined when all can. */
function unresolvedOf(info: FunctionInfo): string | undefined {
  if (info.unresolvedBase !== undefined) {
    return `the function inside the modifiers (${info.unresolvedBase || 'an expression'}) is not written in this source: its nodes are known when it runs`;
  }
  for (const m of info.modifiers ?? []) {
    if (m.kind === 'subdag') {
      return `subdag embeds functions known only when it runs (${m.callee})`;
    }
    for (const [arg, v] of Object.entries(m.args)) {
      if (m.kind === 'checkOutput' && arg === 'options' && v && typeof v === 'object' && !Array.isArray(v)) {
        // A check's function needs only to exist; its other options must be read.
        const { validate: _v, ...rest } = v as Record<string, StaticValue>;
        const found = dynamicIn(rest);
        if (found !== undefined) {
          return `${m.callee}'s argument ${found} is computed at run time`;
        }
        continue;
      }
      if (m.kind === 'does') {
        continue;
      }
      const found = dynamicIn(v);
      if (found !== undefined) {
        return `${m.callee}'s argument ${found} is computed at run time`;
      }
    }
  }
  return undefined;
}

/** A function that stands for one read in source: only its parameter names are known. */
function standIn(params: string[] | null, name: string): AnyFunction {
  const fn = function () {
    throw new Error(`${name} was read from source and cannot run here`);
  };
  Object.defineProperty(fn, STATIC_PARAMS, { value: params });
  Object.defineProperty(fn, 'name', { value: name });
  return fn;
}

/** A static argument as the value the runtime wrapper would have been given. */
function live(v: StaticValue): unknown {
  if (v === null || typeof v !== 'object') {
    return v;
  }
  if (Array.isArray(v)) {
    return v.map(live);
  }
  const o = v as Record<string, StaticValue>;
  if (typeof o.$source === 'string') {
    return source(o.$source);
  }
  if ('$value' in o) {
    return value(live(o.$value));
  }
  if (Array.isArray(o.$group)) {
    return group(...(o.$group.map(live) as Parameters<typeof group>));
  }
  if ('$step' in o) {
    const s = step(live(o.$step) as AnyFunction, live(o.bindings ?? {}) as never);
    return typeof o.name === 'string' ? s.named(o.name) : s;
  }
  if ('$fn' in o) {
    return standIn(o.$fn as string[] | null, typeof o.name === 'string' ? o.name : '');
  }
  if ('$undefined' in o) {
    return undefined;
  }
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(o)) {
    out[k] = live(x);
  }
  return out;
}

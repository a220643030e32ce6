/**
 * The modifiers read from source: analyzeSource recognises the same calls the
 * runtime wrappers make, and the graph built from source alone shows the same
 * nodes and edges as the Driver built from the live module.
 */
import { readFileSync } from 'fs';
import { join } from 'path';

import { absentVariantMessage, analyzeSource, buildGraph, Driver, NotebookGraph, sourceSpecs, unchosenVariant } from '../src';
import type { GraphSnapshot } from '../src';
import * as variants from './fixtures/variants_module';

const fixtureSource = readFileSync(join(__dirname, 'fixtures', 'variants_module.ts'), 'utf8');

function staticGraph(code: string, config: Record<string, unknown> = {}): GraphSnapshot {
  const analysis = analyzeSource(code);
  return buildGraph(analysis.functions.flatMap(f => sourceSpecs(f, undefined, config)), { config });
}

const shape = (graph: GraphSnapshot) => ({
  nodes: [...graph.nodes.values()].map(n => `${n.name}:${n.role ?? n.kind}`).sort(),
  edges: graph.edges.map(e => `${e.from}->${e.to}`).sort()
});

describe('static recognition in analyzeSource', () => {
  test('a wrapped function is a function of the source, with the inner function\'s parameters and types', () => {
    const analysis = analyzeSource(fixtureSource);
    const spend = analysis.functions.find(f => f.name === 'spend__eu');
    expect(spend?.modifiers?.map(m => m.kind)).toEqual(['config.when']);
    expect(spend?.params.map(p => `${p.name}: ${p.type}`)).toEqual(['raw_spend_eur: number[]', 'eur_usd: number']);
    expect(spend?.valueType).toBe('number[]');
    const statement = analysis.statements.find(s => s.names.includes('spend__eu'));
    expect(statement?.kind).toBe('function');
  });

  test('the graph from source shows expanded nodes with types before anything runs', () => {
    const graph = staticGraph(fixtureSource, { region: 'EU' });
    expect(graph.nodes.get('spend')?.variant).toBe('spend__eu');
    expect(graph.nodes.get('spend')?.dependencies.map(d => d.name)).toEqual(['raw_spend_eur', 'eur_usd']);
    expect(graph.nodes.has('spend__us')).toBe(false);
    expect(graph.nodes.get('weekly')?.tags).toEqual({ owner: 'growth', stage: 'features' });
    expect(graph.nodes.get('spend_per_signup')?.type).toBe('number[]');
    expect(graph.nodes.has('ratio')).toBe(false);
    expect(graph.nodes.get('mean')?.type).toBe('number'); // typed from the return type
    expect(graph.nodes.get('clean')?.checks).toEqual(['warn: range [0, 1000]']);
    expect(graph.nodes.get('piped.with_double')?.dependencies.map(d => d.name)).toEqual(['clean']);
    expect(graph.nodes.get('save_predictions')?.role).toBe('saver');
    expect(graph.nodes.get('load_orders')?.role).toBe('loader');
    expect(graph.nodes.get('orders')?.dependencies.map(d => d.name)).toEqual(['load_orders']);
    expect(graph.problems.filter(p => !p.severity)).toEqual([]);
  });

  test('import * as dc is read the same way', () => {
    const code = `import * as dc from "dagcells";
export const a__x = dc.config.when({ k: 1 }, (): number => 1);
export const b = dc.saveTo.csv({ path: "b.csv" }, (a: number): number[] => [a]);`;
    const graph = staticGraph(code, { k: 1 });
    expect(graph.nodes.get('a')?.variant).toBe('a__x');
    expect(graph.nodes.get('save_b')?.role).toBe('saver');
  });

  test('a modifier call with run-time arguments is shown as such on its node, never guessed', () => {
    const code = `import { parameterize, tag } from "dagcells";
const _bindings = makeBindings();
export const r = parameterize(_bindings, (x: number): number => x);
export const t = tag({ owner: whoOwns() }, (x: number): number => x);
export const plain = (x: number): number => x;`;
    const graph = staticGraph(code);
    expect(graph.nodes.get('r')?.unresolved).toMatch(/_bindings.*run time/);
    expect(graph.nodes.get('t')?.unresolved).toMatch(/whoOwns\(\).*run time/);
    expect(graph.nodes.get('t')?.tags).toEqual({});
    expect(graph.nodes.get('plain')?.dependencies.map(d => d.name)).toEqual(['x']);
  });

  test('bad modifier arguments are an INVALID_MODIFIER naming function and argument; the rest still works', () => {
    const code = `import { config, extractFields, parameterize, source, saveTo } from "dagcells";
export const op__x = config.whenIn({ region: "US" }, (): number => 1);
export const s = extractFields(["mean", "median"], (x: number[]): { mean: number } => ({ mean: 1 }));
export const p = parameterize({ q: { nope: source("x") } }, (x: number): number => x);
export const w = saveTo.xml({ path: "a.xml" }, (): number => 1);
export const ok = (x: number): number => x;`;
    const graph = staticGraph(code, { region: 'US' });
    const invalid = graph.problems.filter(p => p.code === 'INVALID_MODIFIER');
    expect(invalid.map(p => p.nodes[0]).sort()).toEqual(['op', 'p', 's', 'w']);
    expect(invalid.find(p => p.nodes[0] === 'w')?.message).toMatch(/w: .*saveTo.*"xml"/);
    expect(invalid.find(p => p.nodes[0] === 's')?.message).toMatch(/s: .*median/);
    expect(invalid.find(p => p.nodes[0] === 'op')?.message).toMatch(/op__x: .*whenIn\(\{ region \}\)/);
    // `p` binds a parameter the function lacks
    expect(invalid.find(p => p.nodes[0] === 'p')?.message).toMatch(/p: .*nope/);
    expect(graph.nodes.get('ok')?.dependencies.map(d => d.name)).toEqual(['x']);
  });

  test('the notebook graph re-resolves variants when the config changes', () => {
    const nb = new NotebookGraph();
    nb.setCell('c1', `import { config } from "dagcells";`);
    nb.setCell('c2', `const spend__us = config.when({ region: "US" }, (raw_spend: number[]): number[] => raw_spend);
const spend__eu = config.when({ region: "EU" }, (raw_eur: number[]): number[] => raw_eur);
function total(spend: number[]): number { return 0; }`);
    nb.setConfig({ region: 'US' });
    expect(nb.snapshot().nodes.get('spend')?.dependencies.map(d => d.name)).toEqual(['raw_spend']);
    nb.setConfig({ region: 'EU' });
    expect(nb.snapshot().nodes.get('spend')?.dependencies.map(d => d.name)).toEqual(['raw_eur']);
    nb.setConfig({ region: 'EU', extra: 1 });
    nb.setCell('c3', `const spend__any = config.whenNot({ region: "US" }, (): number[] => []);`);
    const dup = nb.snapshot().problems.find(p => p.code === 'DUPLICATE_NODE');
    expect(dup?.message).toContain('spend__eu');
    expect(dup?.message).toContain('spend__any');
  });
});

describe('the variants the config does not choose (drawn dimmed, never run)', () => {
  const cells = `import { config } from "dagcells";
/** US spend, as reported. */
const spend__us = config.when({ region: "US" }, (raw_spend: number[]): number[] => raw_spend);
const spend__eu = config.when({ region: "EU" }, (raw_eur: number[], eur_usd: number): number[] => raw_eur.map(x => x * eur_usd));
function total(spend: number[]): number { return 0; }`;

  test('each variant left out is listed with the node it would define and the config that would choose it', () => {
    const nb = new NotebookGraph({ config: { region: 'US' } });
    nb.setCell('c1', cells);
    expect(nb.unchosenVariants()).toEqual([
      expect.objectContaining({ node: 'spend', declaredAs: 'spend__eu', condition: 'region == "EU"', type: 'number[]', origin: expect.objectContaining({ cellId: 'c1', cellIndex: 1 }) })
    ]);
    expect(nb.unchosenVariants()[0].dependencies.map(d => d.name)).toEqual(['raw_eur', 'eur_usd']);
    nb.setConfig({ region: 'EU' });
    expect(nb.unchosenVariants().map(v => [v.declaredAs, v.condition, v.doc])).toEqual([['spend__us', 'region == "US"', 'US spend, as reported.']]);
  });

  test('the variants left out never enter the graph: only the chosen one is a node, and its consumers follow it', () => {
    const nb = new NotebookGraph({ config: { region: 'EU' } });
    nb.setCell('c1', cells);
    const graph = nb.snapshot();
    expect([...graph.nodes.keys()].sort()).toEqual(['eur_usd', 'raw_eur', 'region', 'spend', 'total']);
    expect(graph.nodes.get('spend')?.variant).toBe('spend__eu');
    expect(graph.edges.map(e => `${e.from}->${e.to}`).sort()).toEqual(['eur_usd->spend', 'raw_eur->spend', 'spend->total']);
    // The same graph object while nothing changes; a new list only with a new snapshot.
    const list = nb.unchosenVariants();
    expect(nb.snapshot()).toBe(graph);
    expect(nb.unchosenVariants()).toBe(list);
  });

  test('no variant applies: both are left out, and the consumers can be told which config would define the node', () => {
    const nb = new NotebookGraph({ config: { region: 'APAC' } });
    nb.setCell('c1', cells);
    const left = nb.unchosenVariants();
    expect(left.map(v => v.declaredAs)).toEqual(['spend__us', 'spend__eu']);
    expect(nb.snapshot().nodes.get('spend')?.kind).toBe('input');
    expect(absentVariantMessage('spend', left)).toBe(
      'No variant of spend applies with this config; region == "US" (spend__us) or region == "EU" (spend__eu) would define it.'
    );
  });

  test('every config operator is described as it reads, conditions joined with and', () => {
    const code = `import { config } from "dagcells";
const a__x = config.whenNot({ region: "US", tier: 1 }, (): number => 1);
const b__x = config.whenIn({ region: ["EU", "UK"] }, (): number => 1);
const c__x = config.whenNotIn({ region: ["US"] }, (): number => 1);
const d__x = tag({ owner: "me" }, config.when({ region: "US" }, (): number => 1));`;
    const conditions = analyzeSource(code).functions.map(f => unchosenVariant(f, undefined, { region: 'US', tier: 1 })?.condition);
    expect(conditions).toEqual([
      'region != "US" and tier != 1',
      'region in ["EU","UK"]',
      'region not in ["US"]',
      undefined // chosen
    ]);
  });

  test('a chosen variant, a plain function, unreadable or invalid conditions are no variant left out', () => {
    const code = `import { config } from "dagcells";
const a__x = config.when({ region: "US" }, (): number => 1);
function plain(): number { return 1; }
const b__x = config.when(pickConditions(), (): number => 1);
const c__x = config.whenIn({ region: "US" }, (): number => 1);
const d__ = config.when({ region: "EU" }, (): number => 1);`;
    const left = analyzeSource(code).functions.map(f => unchosenVariant(f, undefined, { region: 'US' }));
    expect(left).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });

  test('a name declared again in a later cell: the later declaration is the one listed', () => {
    const nb = new NotebookGraph({ config: { region: 'US' } });
    nb.setCell('c1', cells);
    nb.setCell('c2', `const spend__eu = config.when({ region: "EU", tier: "gold" }, (raw_eur: number[]): number[] => raw_eur);`);
    expect(nb.unchosenVariants().map(v => [v.declaredAs, v.condition, v.origin?.cellId])).toEqual([['spend__eu', 'region == "EU" and tier == "gold"', 'c2']]);
  });
});

describe('static and runtime agree', () => {
  for (const region of ['US', 'EU', 'APAC']) {
    test(`the same nodes and edges from source and from the live module (region ${region})`, () => {
      const config = { region };
      const live = Driver.fromModule(variants as Record<string, unknown>, { config }).graph;
      expect(shape(staticGraph(fixtureSource, config))).toEqual(shape(live));
    });
  }

  test('with the source given, the Driver keeps the runtime nodes and takes the types from source', () => {
    const dr = Driver.fromModule(variants as Record<string, unknown>, { config: { region: 'US' }, source: fixtureSource });
    const vars = dr.listAvailableVariables();
    expect(vars.find(v => v.name === 'spend')).toMatchObject({ type: 'number[]', variant: 'spend__us' });
    expect(vars.find(v => v.name === 'mean')?.type).toBe('number');
    expect(vars.find(v => v.name === 'save_predictions')?.kind).toBe('saver');
  });
});

/**
 * The graph in Graphviz DOT, drawn the way Hamilton draws a dataflow: external
 * inputs dashed, config as its own shape, requested outputs and overrides
 * highlighted, a legend of what appears.
 */
import type { GraphNode, GraphSnapshot } from './types';

export interface DotOptions {
  /** Outputs to highlight (a run's requested outputs). */
  outputs?: readonly string[];
  /** Nodes replaced by overrides. */
  overrides?: readonly string[];
  /** Left to right (default) or top to bottom. */
  orientation?: 'LR' | 'TB';
  /** Draw the legend (default true). */
  legend?: boolean;
}

const STYLE = {
  function: 'shape=box, style="rounded,filled", fillcolor="#b4d8e4"',
  input: 'shape=box, style="dashed", color="#56646d"',
  config: 'shape=note, style="filled", fillcolor="#ffffff"',
  saver: 'shape=cylinder, style="filled", fillcolor="#c7e9c0"',
  loader: 'shape=cylinder, style="filled", fillcolor="#fdd0a2"',
  output: 'shape=box, style="rounded,filled", fillcolor="#ffc857"',
  override: 'shape=box, style="rounded,filled", fillcolor="#cea5e0"'
} as const;

/** DOT text for a graph. */
export function graphToDot(graph: GraphSnapshot, options: DotOptions = {}): string {
  const outputs = new Set(options.outputs ?? []);
  const overrides = new Set(options.overrides ?? []);
  const used = new Set<keyof typeof STYLE>();
  const lines = [
    'digraph dataflow {',
    `  graph [rankdir=${options.orientation ?? 'LR'}, fontname="Helvetica", compound=true];`,
    '  node [fontname="Helvetica", fontsize=11];',
    '  edge [color="#56646d"];'
  ];
  const nodes = [...graph.nodes.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const node of nodes) {
    const style = overrides.has(node.name)
      ? 'override'
      : outputs.has(node.name)
        ? 'output'
        : (node.role ?? node.kind);
    used.add(style);
    lines.push(`  ${quote(node.name)} [label=${label(node)}, ${STYLE[style]}];`);
  }
  const edges = [...graph.edges].sort((a, b) => (a.from + '\0' + a.to < b.from + '\0' + b.to ? -1 : 1));
  for (const edge of edges) {
    const attrs = [
      edge.optional ? 'style=dashed' : '',
      edge.typeMismatch ? 'color="#d62728", penwidth=2' : ''
    ].filter(Boolean);
    lines.push(`  ${quote(edge.from)} -> ${quote(edge.to)}${attrs.length ? ` [${attrs.join(', ')}]` : ''};`);
  }
  if (options.legend !== false && used.size > 0) {
    lines.push('  subgraph cluster_legend {', '    label="Legend"; fontname="Helvetica"; color="#cccccc";');
    const names: Record<keyof typeof STYLE, string> = {
      function: 'function',
      input: 'input',
      config: 'config',
      saver: 'saver',
      loader: 'loader',
      output: 'output',
      override: 'override'
    };
    for (const kind of Object.keys(STYLE) as (keyof typeof STYLE)[]) {
      if (used.has(kind)) {
        lines.push(`    ${quote(`_legend_${kind}`)} [label=${quote(names[kind])}, ${STYLE[kind]}];`);
      }
    }
    lines.push('  }');
  }
  lines.push('}');
  return lines.join('\n') + '\n';
}

/** A two-line label: the name in bold, the type under it. */
function label(node: GraphNode): string {
  const name = `<B>${escapeHtml(node.name)}</B>`;
  const extra = [
    node.variant !== undefined ? `variant ${node.variant}` : '',
    ...Object.entries(node.tags).map(([k, v]) => `${k}=${v}`),
    ...(node.checks ?? []).map(c => `check ${c}`)
  ].filter(Boolean);
  if (extra.length > 0) {
    const lines = [node.type ?? '', ...extra].filter(Boolean).map(l => `<FONT POINT-SIZE="9">${escapeHtml(l)}</FONT>`);
    return `<${name}<BR/>${lines.join('<BR/>')}>`;
  }
  return node.type ? `<${name}<BR/><FONT POINT-SIZE="9">${escapeHtml(node.type)}</FONT>>` : `<${name}>`;
}

function quote(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

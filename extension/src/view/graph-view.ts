/**
 * The d3 drawing of a dataflow: a data join keyed by node name over the
 * model's immutable view and a layout; zoom and pan, fit, focus; hovering a
 * node lights up what it needs and what needs it. It keeps no state on the
 * model's objects: what it remembers (the zoom) is its own.
 */
import type { GraphNode } from 'dagcells/notebook';
import { select, Selection } from 'd3-selection';
import 'd3-transition';
import { zoom, ZoomBehavior, zoomIdentity, zoomTransform } from 'd3-zoom';

import { Layout, NODE_HEIGHT, Point } from '../layout/types';
import type { ModelView } from '../model/graph-model';
import { edgePath, extent, nodeWidth, shortType } from './geometry';
import { formatMs, tooltipOf } from './tooltip';

export namespace GraphView {
  export interface ICallbacks {
    /** A click on a node: toggles it as an output. */
    toggle(name: string): void;
    /** A double click: shows the node's cell. */
    open(name: string): void;
    /** A context menu opens on a node (JupyterLab's hit test sees only HTML elements, not SVG). */
    context(name: string): void;
  }
}

interface NodeDatum {
  node: GraphNode;
  at: Point;
  width: number;
  state: string;
  selected: boolean;
  problems: string[];
  title: string;
}

interface EdgeDatum {
  key: string;
  d: string;
  optional: boolean;
  mismatch: boolean;
  title: string;
}

let instances = 0;

/** Automatic framing never shrinks the graph below this: names stay readable. */
const READABLE_SCALE = 0.6;
/** Nor enlarges a small graph beyond this. */
const MAX_FIT_SCALE = 1.5;
/** Room kept around a framed graph, in pixels. */
const FRAME_PAD = 24;

export class GraphView {
  readonly svg: Selection<SVGSVGElement, unknown, null, undefined>;
  private readonly layer: Selection<SVGGElement, unknown, null, undefined>;
  private readonly zoomer: ZoomBehavior<SVGSVGElement, unknown>;
  private readonly markerId: string;
  private view: ModelView | undefined;
  private layout: Layout | undefined;
  private framedByUser = false;
  /**
   * What each drawn node and edge showed at the last render, as one string:
   * a render touches only the elements whose picture changed, so a keystroke
   * in a large notebook costs the nodes it changed, not the whole graph.
   */
  private drawnNodes = new Map<string, string>();
  private drawnEdges = new Map<string, string>();
  /** The drawing's size as last observed: reading it on each render would force a layout. */
  private observedSize: { width: number; height: number } | undefined;
  private readonly resizeObserver: ResizeObserver | undefined;

  constructor(
    readonly host: HTMLElement,
    private readonly callbacks: GraphView.ICallbacks
  ) {
    this.markerId = `jp-DagcellsGraph-arrow-${++instances}`;
    this.svg = select(host)
      .append('svg')
      .attr('class', 'jp-DagcellsGraph-svg')
      .attr('role', 'img')
      .attr('aria-label', 'Dataflow graph');
    const defs = this.svg.append('defs');
    for (const [suffix, cls] of [
      ['', 'jp-DagcellsGraph-arrow'],
      ['-mismatch', 'jp-DagcellsGraph-arrow jp-mod-mismatch']
    ]) {
      defs
        .append('marker')
        .attr('id', this.markerId + suffix)
        .attr('viewBox', '0 0 10 10')
        .attr('refX', 9)
        .attr('refY', 5)
        .attr('markerWidth', 7)
        .attr('markerHeight', 7)
        .attr('orient', 'auto-start-reverse')
        .append('path')
        .attr('class', cls)
        .attr('d', 'M 0 0 L 10 5 L 0 10 z');
    }
    this.layer = this.svg.append('g').attr('class', 'jp-DagcellsGraph-layer');
    this.layer.append('g').attr('class', 'jp-DagcellsGraph-edges');
    this.layer.append('g').attr('class', 'jp-DagcellsGraph-nodes');
    this.zoomer = zoom<SVGSVGElement, unknown>()
      .scaleExtent([0.05, 4])
      .on('zoom', event => {
        // A wheel or drag (not a programmatic fit or focus) hands framing to the user.
        if (event.sourceEvent) {
          this.framedByUser = true;
        }
        this.layer.attr('transform', event.transform.toString());
      });
    this.svg.call(this.zoomer).on('dblclick.zoom', null);
    if (typeof ResizeObserver !== 'undefined') {
      this.resizeObserver = new ResizeObserver(entries => {
        const { width, height } = entries[entries.length - 1].contentRect;
        this.observedSize = { width, height };
      });
      this.resizeObserver.observe(host);
    }
  }

  /** Stops watching the drawing's size. */
  dispose(): void {
    this.resizeObserver?.disconnect();
  }

  /**
   * The size of the drawing, in pixels, as last observed (it can lag a resize
   * by a frame: framing after a resize measures instead).
   */
  private size(): { width: number; height: number } {
    return this.observedSize && this.observedSize.width > 0 ? this.observedSize : this.host.getBoundingClientRect();
  }

  /** Draws a view with a layout; `fit` frames the graph afterwards (keeping it readable). */
  render(view: ModelView, layout: Layout, fit = false): void {
    this.view = view;
    this.layout = layout;
    const { graph } = view;
    const nodes: NodeDatum[] = [];
    const problemsOf = new Map<string, string[]>();
    for (const problem of graph.problems) {
      for (const name of problem.nodes) {
        problemsOf.set(name, [...(problemsOf.get(name) ?? []), problem.code]);
      }
    }
    for (const node of graph.nodes.values()) {
      const at = layout.positions[node.name];
      if (!at) {
        continue;
      }
      nodes.push({
        node,
        at,
        width: nodeWidth(node),
        state: view.states.get(node.name) ?? 'unrun',
        selected: view.selection.has(node.name),
        problems: [...new Set(problemsOf.get(node.name) ?? [])],
        title: tooltipOf(node, view)
      });
    }
    const byName = new Map(nodes.map(n => [n.node.name, n]));
    const edges: EdgeDatum[] = [];
    for (const edge of graph.edges) {
      const from = byName.get(edge.from);
      const to = byName.get(edge.to);
      if (!from || !to) {
        continue;
      }
      edges.push({
        key: `${edge.from}->${edge.to}`,
        d: edgePath(from.at, from.width, to.at, to.width, layout.orientation),
        optional: edge.optional,
        mismatch: edge.typeMismatch,
        title: edge.typeMismatch
          ? `Types disagree: ${edge.from} returns ${edge.producerType ?? '(a type other consumers disagree with)'}, ${edge.to} expects ${edge.consumerType}`
          : `${edge.from} → ${edge.to}${edge.optional ? ' (optional)' : ''}`
      });
    }
    const fresh = this.drawnNodes.size > 0 ? nodes.filter(n => !this.drawnNodes.has(n.node.name)) : [];
    this.drawEdges(edges);
    this.drawNodes(nodes);
    if (fit) {
      this.fit(false, READABLE_SCALE);
    } else if (fresh.length > 0 && !this.framedByUser && !this.allInView(fresh) && this.frame(this.size()).whole >= READABLE_SCALE) {
      // A node typed into being lands out of sight: frame the graph again, gently,
      // as long as the user has not framed it and the whole graph stays readable.
      this.fit(true, READABLE_SCALE);
    }
  }

  /** Whether these nodes' boxes lie within the visible part of the drawing. */
  private allInView(nodes: readonly NodeDatum[]): boolean {
    const t = zoomTransform(this.svg.node() as SVGSVGElement);
    const { width, height } = this.size();
    return nodes.every(
      node =>
        t.applyX(node.at.x - node.width / 2) >= 0 &&
        t.applyX(node.at.x + node.width / 2) <= width &&
        t.applyY(node.at.y - NODE_HEIGHT / 2) >= 0 &&
        t.applyY(node.at.y + NODE_HEIGHT / 2) <= height
    );
  }

  /** Removes everything drawn (no graph to show). */
  clear(): void {
    this.layer.selectAll('g.jp-DagcellsGraph-nodes > *, g.jp-DagcellsGraph-edges > *').remove();
    this.drawnNodes = new Map();
    this.drawnEdges = new Map();
    this.view = undefined;
    this.layout = undefined;
  }

  /**
   * Whether the user zoomed or panned since the graph was last framed: a
   * resized panel then keeps the user's view instead of framing it again.
   */
  get userFramed(): boolean {
    return this.framedByUser;
  }

  /**
   * Frames the whole graph. With `minScale`, never shrinks below it: a large
   * graph then shows its beginning, readable, and the rest is a pan away.
   */
  fit(animate = true, minScale = 0): void {
    const { box, width, height, whole } = this.frame(this.host.getBoundingClientRect());
    if (!this.layout || !box) {
      return;
    }
    this.framedByUser = false;
    const k = Math.max(whole, minScale);
    const transform =
      k === whole
        ? zoomIdentity.translate(width / 2, height / 2).scale(k).translate(-(box.x0 + box.x1) / 2, -(box.y0 + box.y1) / 2)
        : // Too big to show whole: the start of the flow (left, or top), centred across it.
          this.layout.orientation === 'LR'
          ? zoomIdentity.translate(FRAME_PAD, height / 2).scale(k).translate(-box.x0, -(box.y0 + box.y1) / 2)
          : zoomIdentity.translate(width / 2, FRAME_PAD).scale(k).translate(-(box.x0 + box.x1) / 2, -box.y0);
    (animate ? this.svg.transition().duration(250) : this.svg).call(this.zoomer.transform as never, transform);
  }

  /** The graph's bounding box and the scale that shows it whole in a drawing of this size (0 when there is none). */
  private frame({ width, height }: { width: number; height: number }) {
    const widthOf = (name: string) => {
      const node = this.view?.graph.nodes.get(name);
      return node ? nodeWidth(node) : 100;
    };
    const box = this.layout ? extent(this.layout.positions, widthOf) : undefined;
    if (!box || width === 0 || height === 0 || box.x1 <= box.x0) {
      return { box: undefined, width, height, whole: 0 };
    }
    const whole = Math.min(MAX_FIT_SCALE, (width - FRAME_PAD * 2) / (box.x1 - box.x0), (height - FRAME_PAD * 2) / (box.y1 - box.y0));
    return { box, width, height, whole };
  }

  zoomBy(factor: number): void {
    this.framedByUser = true;
    this.svg.transition().duration(150).call(this.zoomer.scaleBy as never, factor);
  }

  /** Centres a node and makes it blink, so the eye finds it. */
  focus(name: string): boolean {
    const at = this.layout?.positions[name];
    if (!at) {
      return false;
    }
    const { width, height } = this.size();
    const k = 1.2;
    this.framedByUser = true;
    this.svg
      .transition()
      .duration(300)
      .call(this.zoomer.transform as never, zoomIdentity.translate(width / 2, height / 2).scale(k).translate(-at.x, -at.y));
    const target = this.nodeSelection().filter(d => d.node.name === name);
    target.classed('jp-mod-focused', false);
    // Restart the highlight animation.
    void (target.node() as SVGGElement | null)?.getBoundingClientRect();
    target.classed('jp-mod-focused', true);
    return true;
  }

  private nodeSelection() {
    return this.layer.select<SVGGElement>('.jp-DagcellsGraph-nodes').selectAll<SVGGElement, NodeDatum>('g.jp-DagcellsGraph-node');
  }

  private drawEdges(edges: EdgeDatum[]): void {
    const before = this.drawnEdges;
    const drawn = new Map<string, string>();
    this.drawnEdges = drawn;
    this.layer
      .select<SVGGElement>('.jp-DagcellsGraph-edges')
      .selectAll<SVGPathElement, EdgeDatum>('path')
      .data(edges, d => d.key)
      .join(enter => enter.append('path').attr('class', 'jp-DagcellsGraph-edge').call(p => p.append('title')))
      .filter(d => changed(before, drawn, d.key, `${d.d}|${d.optional}|${d.mismatch}|${d.title}`))
      .attr('data-dagcells-edge', d => d.key)
      .attr('data-type-mismatch', d => (d.mismatch ? 'true' : null))
      .attr('data-optional', d => (d.optional ? 'true' : null))
      .attr('marker-end', d => `url(#${this.markerId}${d.mismatch ? '-mismatch' : ''})`)
      .attr('d', d => d.d)
      .select('title')
      .text(d => d.title);
  }

  private drawNodes(nodes: NodeDatum[]): void {
    const joined = this.nodeSelection()
      .data(nodes, d => d.node.name)
      .join(enter => {
        const g = enter
          .append('g')
          .attr('class', 'jp-DagcellsGraph-node')
          .attr('tabindex', 0)
          .attr('role', 'button')
          .attr('transform', d => `translate(${d.at.x},${d.at.y})`);
        g.append('rect').attr('class', 'jp-DagcellsGraph-box').attr('rx', 6).attr('ry', 6);
        g.append('text').attr('class', 'jp-DagcellsGraph-name').attr('text-anchor', 'middle');
        g.append('text').attr('class', 'jp-DagcellsGraph-type').attr('text-anchor', 'middle');
        g.append('text').attr('class', 'jp-DagcellsGraph-time').attr('text-anchor', 'end');
        g.append('title');
        g.on('click', (event: MouseEvent, d) => {
          event.stopPropagation();
          this.callbacks.toggle(d.node.name);
        })
          .on('dblclick', (event: MouseEvent, d) => {
            event.stopPropagation();
            this.callbacks.open(d.node.name);
          })
          .on('keydown', (event: KeyboardEvent, d) => {
            if (event.key === 'Enter' || event.key === ' ') {
              event.preventDefault();
              this.callbacks.toggle(d.node.name);
            }
          })
          .on('contextmenu', (_: MouseEvent, d) => this.callbacks.context(d.node.name))
          .on('mouseenter', (_: MouseEvent, d) => this.highlight(d.node.name))
          .on('mouseleave', () => this.highlight(undefined));
        return g;
      });
    const before = this.drawnNodes;
    const drawn = new Map<string, string>();
    this.drawnNodes = drawn;
    const ms = (d: NodeDatum) => this.view?.runs.get(d.node.name)?.ms;
    // A new node starts where it belongs (set on enter); a placed one glides to its new place.
    const moved = joined.filter(d => {
      const was = before.get(d.node.name);
      return was !== undefined && !was.startsWith(`${d.at.x},${d.at.y}|`);
    });
    const updated = joined.filter(d =>
      changed(
        before,
        drawn,
        d.node.name,
        `${d.at.x},${d.at.y}|${d.width}|${d.node.kind}|${d.node.type}|${d.state}|${d.selected}|${d.problems.join(' ')}|${ms(d)}|${d.title}`
      )
    );
    moved
      .transition()
      .duration(180)
      .attr('transform', d => `translate(${d.at.x},${d.at.y})`);
    updated
      .attr('data-dagcells-node', d => d.node.name)
      .attr('data-kind', d => d.node.kind)
      .attr('data-state', d => d.state)
      .attr('data-selected', d => String(d.selected))
      .attr('data-problem', d => (d.problems.length ? d.problems.join(' ') : null))
      .attr('aria-pressed', d => String(d.selected))
      .attr('aria-label', d => `${d.node.name}, ${d.node.kind}, ${d.state}`);
    updated
      .select('rect')
      .attr('x', d => -d.width / 2)
      .attr('y', -NODE_HEIGHT / 2)
      .attr('width', d => d.width)
      .attr('height', NODE_HEIGHT);
    updated
      .select('.jp-DagcellsGraph-name')
      .attr('y', d => (d.node.type ? -3 : 4))
      .text(d => d.node.name);
    updated
      .select('.jp-DagcellsGraph-type')
      .attr('y', 12)
      .text(d => shortType(d.node.type));
    updated
      .select('.jp-DagcellsGraph-time')
      .attr('x', d => d.width / 2 - 4)
      .attr('y', -NODE_HEIGHT / 2 - 3)
      .text(d => {
        const time = ms(d);
        return time === undefined ? '' : formatMs(time);
      });
    updated.select('title').text(d => d.title);
  }

  /** Lights up what a node needs and what needs it; dims the rest. */
  private highlight(name: string | undefined): void {
    const graph = this.view?.graph;
    const nodes = this.nodeSelection();
    const edges = this.layer.select('.jp-DagcellsGraph-edges').selectAll<SVGPathElement, EdgeDatum>('path');
    if (!name || !graph) {
      nodes.classed('jp-mod-upstream jp-mod-downstream jp-mod-dimmed jp-mod-hovered', false);
      edges.classed('jp-mod-lit jp-mod-dimmed', false);
      return;
    }
    const walk = (start: string, next: (n: string) => readonly string[]) => {
      const seen = new Set<string>([start]);
      const queue = [start];
      while (queue.length) {
        for (const other of next(queue.pop() as string)) {
          if (!seen.has(other)) {
            seen.add(other);
            queue.push(other);
          }
        }
      }
      return seen;
    };
    const up = walk(name, n => graph.nodes.get(n)?.dependencies.map(d => d.name) ?? []);
    const down = walk(name, n => graph.nodes.get(n)?.dependents ?? []);
    nodes
      .classed('jp-mod-hovered', d => d.node.name === name)
      .classed('jp-mod-upstream', d => d.node.name !== name && up.has(d.node.name))
      .classed('jp-mod-downstream', d => d.node.name !== name && down.has(d.node.name))
      .classed('jp-mod-dimmed', d => !up.has(d.node.name) && !down.has(d.node.name));
    edges
      .classed('jp-mod-lit', d => {
        const [from, to] = d.key.split('->');
        return (up.has(from) && up.has(to)) || (down.has(from) && down.has(to));
      })
      .classed('jp-mod-dimmed', d => {
        const [from, to] = d.key.split('->');
        return !((up.has(from) && up.has(to)) || (down.has(from) && down.has(to)));
      });
  }
}

/**
 * Records what an element shows now and says whether that differs from what
 * it showed at the last render (a new element always differs).
 */
function changed(before: ReadonlyMap<string, string>, drawn: Map<string, string>, key: string, signature: string): boolean {
  drawn.set(key, signature);
  return before.get(key) !== signature;
}

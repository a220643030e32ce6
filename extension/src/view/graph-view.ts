/**
 * The d3 drawing of a dataflow: a data join keyed by node name over the
 * model's immutable view and a layout; edges routed around boxes; zoom and
 * pan, framing that keeps names readable, an overview for large graphs;
 * keyboard moves between neighbours; hovering a node lights up what it needs
 * and what needs it. A graph of more than CULL_ABOVE boxes has only the boxes
 * and edges in view (and a margin around it) in the page, updated as the view
 * moves; the overview still shows it all, and focus and the keyboard reach
 * any node (it is drawn, then brought into view). It keeps no state on the
 * model's objects: what it remembers (the zoom, the focused node) is its own.
 */
import type { GraphNode } from 'dagcells/notebook';
import { select, Selection } from 'd3-selection';
import 'd3-transition';
import { zoom, ZoomBehavior, zoomIdentity, ZoomTransform, zoomTransform } from 'd3-zoom';

import { reroute, Routed } from '../layout/reroute';
import type { Layout, Point, Route } from '../layout/types';
import type { ModelView } from '../model/graph-model';
import { CULL_ABOVE, CULL_MARGIN, intersects, Region, regionInView, stillCovers } from './culling';
import { clampedOffset, extent, KIND_ROOM, NAME_FONT, nodeWidth, shortType, shownName } from './geometry';
import { directionOf, nextNode } from './keyboard';
import { accessibleName, foldPaths, isArtifactKind, KIND_MARKS, STATE_MARKS, STROKED_MARKS } from './marks';
import { Minimap } from './minimap';
import { formatMs, tooltipOf } from './tooltip';
import { variantBoxes, variantTooltip } from './variants';

export namespace GraphView {
  export interface ICallbacks {
    /** A click on a node (or Enter, Space): toggles it as an output. */
    toggle(name: string): void;
    /** A double click: shows the node's cell. */
    open(name: string): void;
    /** A context menu opens on a node (JupyterLab's hit test sees only HTML elements, not SVG). */
    context(name: string): void;
    /** What a node needs and what needs it, both including the node (for hover). */
    lineage?(name: string): { up: ReadonlySet<string>; down: ReadonlySet<string> } | undefined;
  }
}

interface NodeDatum {
  node: GraphNode;
  at: Point;
  width: number;
  state: string;
  selected: boolean;
  problems: string[];
  /** What a `warn` check said of the node's last value. */
  warning?: string;
  /** The Airflow task it is assigned to, and that task's colour (its place among the tasks). */
  task?: string;
  taskColour?: number;
  title: string;
  /** A config variant the config does not choose (drawn dimmed, never picked): the config that would choose it. */
  unchosen?: string;
}

/** How many task colours the style defines; more tasks reuse them in turn. */
export const TASK_COLOURS = 8;

/** The CSS colour of the task in this place among the tasks (the style defines one per theme). */
export function taskColour(place: number): string {
  return `var(--jp-DagcellsTask-${place % TASK_COLOURS})`;
}

interface EdgeDatum {
  key: string;
  d: string;
  /** The rectangle the path lies in. */
  box: Region;
  optional: boolean;
  mismatch: boolean;
  title: string;
}

let instances = 0;

/** Framing never shrinks names below 11 px on screen. */
export const READABLE_SCALE = 11 / NAME_FONT + 0.001;
/** Nor enlarges a small graph beyond this. */
const MAX_FIT_SCALE = 1.5;
/** Room kept around a framed graph, in pixels. */
export const FRAME_PAD = 10;

/** A rectangle in layout units. */
type Box = { x0: number; y0: number; x1: number; y1: number };

export class GraphView {
  readonly svg: Selection<SVGSVGElement, unknown, null, undefined>;
  private readonly layer: Selection<SVGGElement, unknown, null, undefined>;
  private readonly zoomer: ZoomBehavior<SVGSVGElement, unknown>;
  private readonly markerId: string;
  private readonly minimap: Minimap;
  private view: ModelView | undefined;
  /** The boxes of the variants not chosen, by name: drawn, but no nodes of the graph. */
  private variants = new Map<string, GraphNode>();
  private layout: Layout | undefined;
  private routed: Routed | undefined;
  private framedByUser = false;
  /** The node that takes the keyboard focus when the graph is tabbed into. */
  private current: string | undefined;
  private matches: ReadonlySet<string> = new Set();
  /**
   * What each drawn node and edge showed at the last render, as one string:
   * a render touches only the elements whose picture changed, so a keystroke
   * in a large notebook costs the nodes it changed, not the whole graph.
   */
  private drawnNodes = new Map<string, string>();
  private drawnEdges = new Map<string, string>();
  /** Everything the last render had to show, drawn or not (a large graph draws only what is in view). */
  private allNodes: NodeDatum[] = [];
  private allEdges: EdgeDatum[] = [];
  /** The names of the last render's nodes, drawn or not: what a new render finds new. */
  private known = new Set<string>();
  /** Whether only the part in view is drawn (a graph of more than CULL_ABOVE boxes). */
  private culling = false;
  /** The region of the layout last drawn, when culling with a known size. */
  private drawnRegion: Region | undefined;
  private cullFrame = 0;
  /** The node `focus` last went to: kept drawn while the view travels there. */
  private focused: string | undefined;
  /** The node whose lineage is lit, if any: nodes drawn later get lit too. */
  private hovered: string | undefined;
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
      .attr('role', 'group')
      .attr('aria-label', 'Dataflow graph: arrow keys move between nodes, Enter or Space picks an output');
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
    this.layer.append('g').attr('class', 'jp-DagcellsGraph-edges').attr('aria-hidden', 'true');
    this.layer.append('g').attr('class', 'jp-DagcellsGraph-nodes');
    // The overview moves the view to the point pressed, but never past the graph's edge: its top shows the start of the flow.
    this.minimap = new Minimap((x, y) => this.centreOn({ x, y }, false, undefined, true));
    host.append(this.minimap.node);
    this.zoomer = zoom<SVGSVGElement, unknown>()
      // The drawing's size as observed: d3's default reads the SVG's size, forcing a layout on every call.
      .extent(() => {
        const { width, height } = this.size();
        return [
          [0, 0],
          [width, height]
        ];
      })
      .scaleExtent([0.05, 4])
      .on('zoom', event => {
        // A wheel or drag (not a programmatic fit or focus) hands framing to the user.
        if (event.sourceEvent) {
          this.framedByUser = true;
        }
        this.layer.attr('transform', event.transform.toString());
        this.updateMinimapViewport(event.transform);
        this.scheduleCull();
      });
    this.svg.call(this.zoomer).on('dblclick.zoom', null);
    if (typeof ResizeObserver !== 'undefined') {
      this.resizeObserver = new ResizeObserver(entries => {
        const { width, height } = entries[entries.length - 1].contentRect;
        this.observedSize = { width, height };
        this.scheduleCull();
      });
      this.resizeObserver.observe(host);
    }
  }

  /** Stops watching the drawing's size. */
  dispose(): void {
    this.resizeObserver?.disconnect();
    this.minimap.dispose();
    cancelAnimationFrame(this.cullFrame);
  }

  /**
   * The size of the drawing, in pixels, as last observed (it can lag a resize
   * by a frame: framing after a resize measures instead).
   */
  private size(): { width: number; height: number } {
    return this.observedSize && this.observedSize.width > 0 ? this.observedSize : this.host.getBoundingClientRect();
  }

  /**
   * Draws a view with a layout. `fit` frames it afterwards: the whole graph
   * when it can be read whole, else the `focus` nodes (the active cell's and
   * their neighbours), else the start of the flow.
   */
  render(view: ModelView, layout: Layout, fit = false, focus: readonly string[] = []): void {
    this.view = view;
    this.layout = layout;
    const { graph } = view;
    const density = layout.density;
    const nodes: NodeDatum[] = [];
    const taskPlace = new Map(view.tasks.map((t, i) => [t.name, i % TASK_COLOURS]));
    for (const node of graph.nodes.values()) {
      const at = layout.positions[node.name];
      if (!at) {
        continue;
      }
      nodes.push({
        node,
        at,
        width: nodeWidth(node, density),
        state: view.states.get(node.name) ?? 'unrun',
        selected: view.selection.has(node.name),
        problems: [...new Set((view.problemsOf.get(node.name) ?? []).map(p => p.code))],
        warning: view.runs.get(node.name)?.warning,
        ...taskOf(view, node.name, taskPlace),
        title: tooltipOf(node, view)
      });
    }
    this.variants = new Map();
    for (const box of variantBoxes(view)) {
      const at = layout.positions[box.node.name];
      if (!at) {
        continue;
      }
      this.variants.set(box.node.name, box.node);
      nodes.push({
        node: box.node,
        at,
        width: nodeWidth(box.node, density),
        state: 'unrun',
        selected: false,
        problems: [],
        title: variantTooltip(box, view.configText),
        unchosen: box.variant.condition
      });
    }
    const byName = new Map(nodes.map(n => [n.node.name, n]));
    const paths = this.routesFor(layout, byName, graph.edges);
    const edges: EdgeDatum[] = [];
    for (const edge of graph.edges) {
      const key = `${edge.from}->${edge.to}`;
      const route = paths.get(key);
      if (!route) {
        continue;
      }
      edges.push({
        key,
        d: route.d,
        box: route.box,
        optional: edge.optional,
        mismatch: edge.typeMismatch,
        title: edge.typeMismatch
          ? `Types disagree: ${edge.from} returns ${edge.producerType ?? '(a type other consumers disagree with)'}, ${edge.to} expects ${edge.consumerType}`
          : `${edge.from} → ${edge.to}${edge.optional ? ' (optional)' : ''}`
      });
    }
    const fresh = this.known.size > 0 ? nodes.filter(n => !this.known.has(n.node.name)) : [];
    this.known = new Set(byName.keys());
    this.allNodes = nodes;
    this.allEdges = edges;
    this.culling = nodes.length > CULL_ABOVE;
    this.keepCurrent(nodes);
    this.minimap.setLayout(layout, name => byName.get(name)?.width ?? 0);
    // Framed first (that needs only the layout), then drawn where the view now is.
    if (fit) {
      this.fit(false, focus);
    } else if (fresh.length > 0 && !this.framedByUser && !this.allInView(fresh) && this.frame(this.size()).whole >= READABLE_SCALE) {
      // A node typed into being lands out of sight: frame the graph again, gently,
      // as long as the user has not framed it and the whole graph stays readable.
      this.fit(true);
    } else {
      this.updateMinimapViewport(zoomTransform(this.svg.node() as SVGSVGElement));
    }
    this.draw();
    this.svg.attr('data-nodes', nodes.length);
  }

  /**
   * Puts in the page what the last render has to show: everything, or for a
   * large graph the boxes and edges in the region around the view, with the
   * node that takes the keyboard focus and the one last focused.
   */
  private draw(): void {
    let nodes = this.allNodes;
    let edges = this.allEdges;
    this.drawnRegion = undefined;
    if (this.culling) {
      const { width, height } = this.size();
      const region = regionInView(zoomTransform(this.svg.node() as SVGSVGElement), width, height, CULL_MARGIN);
      // With no size yet, nothing says what is in view: everything is drawn until there is one.
      if (region) {
        this.drawnRegion = region;
        const h = (this.layout?.nodeHeight ?? 40) / 2 + 8; // the task ring and the time above the box
        nodes = nodes.filter(n => {
          const w = n.width / 2 + 8;
          return (
            n.node.name === this.current ||
            n.node.name === this.focused ||
            intersects(region, { x0: n.at.x - w, y0: n.at.y - h, x1: n.at.x + w, y1: n.at.y + h })
          );
        });
        edges = edges.filter(e => intersects(region, e.box));
      }
    }
    this.drawEdges(edges);
    this.drawNodes(nodes);
    this.markCurrent();
    this.svg.attr('data-drawn', this.drawnRegion ? 'in-view' : 'all');
    if (this.hovered !== undefined) {
      this.highlight(this.hovered);
    }
  }

  /** After the view moved (at most once a frame): draws what came into the region around it, if it left the region drawn. */
  private scheduleCull(): void {
    if (!this.culling || this.cullFrame) {
      return;
    }
    this.cullFrame = requestAnimationFrame(() => {
      this.cullFrame = 0;
      if (!this.culling) {
        return;
      }
      const t = zoomTransform(this.svg.node() as SVGSVGElement);
      const { width, height } = this.size();
      const view = regionInView(t, width, height);
      const wanted = regionInView(t, width, height, CULL_MARGIN);
      if (!this.drawnRegion || !view || !wanted || !stillCovers(this.drawnRegion, view, wanted)) {
        this.draw();
      }
    });
  }

  /**
   * Shows the layout at a transform at once, as a pan or zoom of the user's
   * would (what is in view is drawn by the next frame).
   */
  transformTo(transform: ZoomTransform): void {
    this.framedByUser = true;
    this.svg.call(this.zoomer.transform as never, transform);
  }

  /** Whether a node is in the page now (a large graph draws only the part in view). */
  isDrawn(name: string): boolean {
    return this.drawnNodes.has(name);
  }

  /** Makes sure a node is in the page (it stays while it is current or focused). */
  private ensureDrawn(name: string): void {
    if (!this.drawnNodes.has(name)) {
      this.draw();
    }
  }

  /** Edge paths for a layout: computed once per layout, and only for the edges a small change touched. */
  private routesFor(layout: Layout, byName: Map<string, NodeDatum>, graphEdges: ModelView['graph']['edges']): ReadonlyMap<string, Route> {
    const edges = graphEdges.filter(e => byName.has(e.from) && byName.has(e.to)).map(e => [e.from, e.to] as [string, string]);
    if (!this.routed || this.routed.layout !== layout || this.routed.edges.size !== edges.length || edges.some(([f, t]) => !this.routed?.edges.has(`${f}->${t}`))) {
      const widths = new Map([...byName].map(([name, d]) => [name, d.width]));
      this.routed = reroute(this.routed, layout, widths, edges);
    }
    return this.routed.routes;
  }

  /** Whether these nodes' boxes lie within the visible part of the drawing. */
  private allInView(nodes: readonly NodeDatum[]): boolean {
    const t = zoomTransform(this.svg.node() as SVGSVGElement);
    const { width, height } = this.size();
    const h = this.layout?.nodeHeight ?? 40;
    return nodes.every(
      node =>
        t.applyX(node.at.x - node.width / 2) >= 0 &&
        t.applyX(node.at.x + node.width / 2) <= width &&
        t.applyY(node.at.y - h / 2) >= 0 &&
        t.applyY(node.at.y + h / 2) <= height
    );
  }

  /** Removes everything drawn (no graph to show). */
  clear(): void {
    this.layer.selectAll('g.jp-DagcellsGraph-nodes > *, g.jp-DagcellsGraph-edges > *').remove();
    this.drawnNodes = new Map();
    this.drawnEdges = new Map();
    this.allNodes = [];
    this.allEdges = [];
    this.known = new Set();
    this.culling = false;
    this.drawnRegion = undefined;
    this.focused = undefined;
    this.hovered = undefined;
    cancelAnimationFrame(this.cullFrame);
    this.cullFrame = 0;
    this.svg.attr('data-nodes', null).attr('data-drawn', null);
    this.view = undefined;
    this.layout = undefined;
    this.routed = undefined;
    this.current = undefined;
    this.minimap.visible = false;
  }

  /**
   * Whether the user zoomed or panned since the graph was last framed: a
   * resized panel then keeps the user's view instead of framing it again.
   */
  get userFramed(): boolean {
    return this.framedByUser;
  }

  /** The scale at which the whole graph fits the drawing (0 without a graph). */
  get wholeScale(): number {
    return this.frame(this.size()).whole;
  }

  /**
   * Frames the graph: whole when it can be read whole; otherwise, at a
   * readable size, the `focus` nodes if any, else the start of the flow. The
   * overview shows whenever the graph is not all in view.
   */
  fit(animate = true, focus: readonly string[] = []): void {
    const { box, width, height, whole } = this.frame(this.size());
    if (!this.layout || !box) {
      return;
    }
    this.framedByUser = false;
    let transform: ZoomTransform;
    if (whole >= READABLE_SCALE) {
      transform = centred(box, width, height, whole);
      this.minimap.visible = false;
    } else {
      const k = READABLE_SCALE;
      const known = focus.filter(name => this.layout?.positions[name]);
      if (known.length > 0) {
        const part = extent(this.layout.positions, this.widthOf, this.layout.nodeHeight, known);
        const fits = Math.min(MAX_FIT_SCALE, (width - FRAME_PAD * 2) / (part.x1 - part.x0), (height - FRAME_PAD * 2) / (part.y1 - part.y0));
        // The part in the middle, but the graph's edge never inside the view: a part at the top is shown at the top.
        transform = withinBox(centred(part, width, height, Math.max(k, Math.min(fits, 1))), box, width, height);
      } else {
        // The start of the flow (left, or top), centred across it.
        transform =
          this.layout.orientation === 'LR'
            ? zoomIdentity.translate(FRAME_PAD, height / 2).scale(k).translate(-box.x0, -(box.y0 + box.y1) / 2)
            : zoomIdentity.translate(width / 2, FRAME_PAD).scale(k).translate(-(box.x0 + box.x1) / 2, -box.y0);
      }
      this.minimap.visible = true;
    }
    (animate ? this.svg.transition().duration(250) : this.svg).call(this.zoomer.transform as never, transform);
    this.updateMinimapViewport(transform);
  }

  private readonly widthOf = (name: string): number => {
    const node = this.view?.graph.nodes.get(name) ?? this.variants.get(name);
    return node ? nodeWidth(node, this.layout?.density) : 100;
  };

  /** The graph's bounding box and the scale that shows it whole in a drawing of this size (0 when there is none). */
  private frame({ width, height }: { width: number; height: number }) {
    const box = this.layout ? extent(this.layout.positions, this.widthOf, this.layout.nodeHeight) : undefined;
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

  /** Centres a node, makes it blink so the eye finds it, and gives it the keyboard focus. */
  focus(name: string, keyboard = false): boolean {
    const at = this.layout?.positions[name];
    if (!at) {
      return false;
    }
    this.focused = name;
    if (keyboard) {
      this.setCurrent(name);
    }
    // Out of view in a large graph, it is not in the page yet: drawn now, and kept while the view travels to it.
    this.ensureDrawn(name);
    this.centreOn(at, true, Math.max(1, zoomTransform(this.svg.node() as SVGSVGElement).k));
    const target = this.nodeSelection().filter(d => d.node.name === name);
    target.classed('jp-mod-focused', false);
    // Restart the highlight animation.
    void (target.node() as SVGGElement | null)?.getBoundingClientRect();
    target.classed('jp-mod-focused', true);
    if (keyboard) {
      (target.node() as SVGGElement | null)?.focus({ preventScroll: true });
    }
    return true;
  }

  /** Marks the nodes a search matched (an empty set clears the marks). */
  setMatches(names: ReadonlySet<string>): void {
    this.matches = names;
    this.nodeSelection()
      .classed('jp-mod-match', d => names.has(d.node.name))
      .attr('data-match', d => (names.has(d.node.name) ? 'true' : null));
    this.svg.classed('jp-mod-searching', names.size > 0);
  }

  /**
   * Moves the view so that a point of the layout is in the middle, at scale `k`
   * (the current one by default); `withinGraph`: as near the middle as keeps
   * the graph's edges out of the view.
   */
  private centreOn(at: Point, animate: boolean, k?: number, withinGraph = false): void {
    const { width, height } = this.size();
    const scale = k ?? zoomTransform(this.svg.node() as SVGSVGElement).k;
    this.framedByUser = true;
    const centred = zoomIdentity.translate(width / 2, height / 2).scale(scale).translate(-at.x, -at.y);
    const box = withinGraph ? this.frame({ width, height }).box : undefined;
    const transform = box ? withinBox(centred, box, width, height) : centred;
    (animate ? this.svg.transition().duration(300) : this.svg).call(this.zoomer.transform as never, transform);
  }

  private updateMinimapViewport(t: ZoomTransform): void {
    if (!this.minimap.visible) {
      return;
    }
    const { width, height } = this.size();
    this.minimap.setViewport({ x0: t.invertX(0), y0: t.invertY(0), x1: t.invertX(width), y1: t.invertY(height) });
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
    let entered: Selection<SVGGElement, NodeDatum, SVGGElement, unknown> | undefined;
    const joined = this.nodeSelection()
      .data(nodes, d => d.node.name)
      .join(enter => {
        const g = enter
          .append('g')
          .attr('class', 'jp-DagcellsGraph-node')
          .attr('tabindex', -1)
          .attr('role', 'button')
          .attr('transform', d => `translate(${d.at.x},${d.at.y})`);
        g.append('rect').attr('class', 'jp-DagcellsGraph-box').attr('rx', 5).attr('ry', 5);
        // The task group: a ring in the task's colour around the box (outside it: the box's colours stay).
        g.append('rect').attr('class', 'jp-DagcellsGraph-task').attr('rx', 8).attr('ry', 8);
        // A saver or a loader is drawn as a file: its box's corner folded, and a glyph at its right.
        g.append('path').attr('class', 'jp-DagcellsGraph-cut');
        g.append('path').attr('class', 'jp-DagcellsGraph-fold');
        g.append('path').attr('class', 'jp-DagcellsGraph-kind');
        g.append('path').attr('class', 'jp-DagcellsGraph-mark');
        g.append('text').attr('class', 'jp-DagcellsGraph-name').attr('text-anchor', 'middle');
        g.append('text').attr('class', 'jp-DagcellsGraph-type').attr('text-anchor', 'middle');
        g.append('text').attr('class', 'jp-DagcellsGraph-time').attr('text-anchor', 'end');
        g.append('title');
        g.on('click', (event: MouseEvent, d) => {
          event.stopPropagation();
          this.setCurrent(d.node.name);
          if (d.unchosen === undefined) {
            this.callbacks.toggle(d.node.name);
          }
        })
          .on('dblclick', (event: MouseEvent, d) => {
            event.stopPropagation();
            this.callbacks.open(d.node.name);
          })
          .on('keydown', (event: KeyboardEvent, d) => this.onKey(event, d.node.name))
          .on('focus', (_: FocusEvent, d) => this.setCurrent(d.node.name))
          .on('contextmenu', (_: MouseEvent, d) => this.callbacks.context(d.node.name))
          .on('mouseenter', (_: MouseEvent, d) => this.highlight(d.node.name))
          .on('mouseleave', () => this.highlight(undefined));
        entered = g;
        return g;
      });
    const before = this.drawnNodes;
    const drawn = new Map<string, string>();
    this.drawnNodes = drawn;
    const layout = this.layout as Layout;
    const h = layout.nodeHeight;
    const full = layout.density === 'full';
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
        `${d.at.x},${d.at.y}|${d.width}|${h}|${d.node.role ?? d.node.kind}|${d.node.variant ?? ''}|${d.unchosen ?? ''}|${d.node.type}|${d.state}|${d.selected}|${d.problems.join(' ')}|${d.warning ?? ''}|${d.task ?? ''}:${d.taskColour ?? ''}|${ms(d)}|${d.title}`
      )
    );
    moved
      .transition()
      .duration(180)
      .attr('transform', d => `translate(${d.at.x},${d.at.y})`);
    updated
      .attr('data-dagcells-node', d => d.node.name)
      .attr('data-kind', d => d.node.role ?? d.node.kind)
      .attr('data-variant', d => (d.unchosen !== undefined ? 'unchosen' : d.node.variant !== undefined ? 'chosen' : null))
      .attr('aria-disabled', d => (d.unchosen !== undefined ? 'true' : null))
      .attr('data-state', d => d.state)
      .attr('data-selected', d => String(d.selected))
      .attr('data-problem', d => (d.problems.length ? d.problems.join(' ') : null))
      .attr('data-warning', d => (d.warning !== undefined ? 'check' : null))
      .attr('data-task', d => d.task ?? null)
      .attr('aria-pressed', d => String(d.selected))
      .attr('aria-label', d =>
        d.unchosen !== undefined
          ? `${d.node.name}, variant not chosen by this config, chosen when ${d.unchosen}`
          : accessibleName(d.node.name, d.node.role ?? d.node.kind, d.state, d.selected, d.problems) + (d.task !== undefined ? `, Airflow task ${d.task}` : '')
      );
    updated
      .select('.jp-DagcellsGraph-task')
      .attr('class', d => (d.task !== undefined ? `jp-DagcellsGraph-task jp-mod-task${d.taskColour}` : 'jp-DagcellsGraph-task'))
      .style('--jp-DagcellsTask', d => (d.taskColour !== undefined ? taskColour(d.taskColour) : null))
      .attr('x', d => -d.width / 2 - 4)
      .attr('y', -h / 2 - 4)
      .attr('width', d => (d.task !== undefined ? d.width + 8 : 0))
      .attr('height', d => (d.task !== undefined ? h + 8 : 0));
    updated
      .select('.jp-DagcellsGraph-box')
      .attr('x', d => -d.width / 2)
      .attr('y', -h / 2)
      .attr('width', d => d.width)
      .attr('height', h);
    const artifact = (d: NodeDatum) => isArtifactKind(d.node.role);
    const fold = (d: NodeDatum) => (artifact(d) ? foldPaths(d.width, h, full ? 10 : 7) : { cut: '', fold: '' });
    updated.select('.jp-DagcellsGraph-cut').attr('d', d => fold(d).cut);
    updated.select('.jp-DagcellsGraph-fold').attr('d', d => fold(d).fold);
    updated
      .select('.jp-DagcellsGraph-kind')
      .attr('transform', d => `translate(${d.width / 2 - 10},${full ? 3 : 1})`)
      .attr('d', d => (d.node.role !== undefined ? KIND_MARKS[d.node.role] ?? '' : ''));
    updated
      .select('.jp-DagcellsGraph-mark')
      .attr('transform', d => `translate(${-d.width / 2 + 10},0)`)
      .attr('d', d => STATE_MARKS[d.state] ?? STATE_MARKS.unrun)
      .classed('jp-mod-stroked', d => STROKED_MARKS.has(d.state));
    // The text sits between the state mark and, on a saver or loader, its glyph.
    const textX = (d: NodeDatum) => (artifact(d) ? 6 - KIND_ROOM / 2 : 6);
    updated
      .select('.jp-DagcellsGraph-name')
      .attr('x', textX)
      .attr('y', d => (full && d.node.type ? -3 : 4))
      .text(d => shownName(d.node.name));
    updated
      .select('.jp-DagcellsGraph-type')
      .attr('x', textX)
      .attr('y', 12)
      .text(d => (full ? shortType(d.node.type) : ''));
    updated
      .select('.jp-DagcellsGraph-time')
      .attr('x', d => d.width / 2 - 4)
      .attr('y', -h / 2 - 3)
      .text(d => {
        const time = ms(d);
        return time === undefined ? '' : formatMs(time);
      });
    updated.select('title').text(d => d.title);
    if (this.matches.size > 0 && entered) {
      // A node that comes (typed in, or into view) carries the search's mark like the others.
      entered.classed('jp-mod-match', d => this.matches.has(d.node.name)).attr('data-match', d => (this.matches.has(d.node.name) ? 'true' : null));
    }
  }

  /** Keeps one node reachable by Tab (the one last focused, else the first of the flow). */
  private keepCurrent(nodes: readonly NodeDatum[]): void {
    if (this.current && nodes.some(n => n.node.name === this.current)) {
      return;
    }
    let first: NodeDatum | undefined;
    for (const n of nodes) {
      if (!first || n.at.y < first.at.y - 1 || (Math.abs(n.at.y - first.at.y) <= 1 && n.at.x < first.at.x)) {
        first = n;
      }
    }
    this.current = first?.node.name;
  }

  /** A node entering with the current name starts unreachable: makes it reachable (only if it is not). */
  private markCurrent(): void {
    if (this.current === undefined) {
      return;
    }
    this.nodeSelection()
      .filter(d => d.node.name === this.current)
      .filter(function () {
        return (this as SVGGElement).getAttribute('tabindex') !== '0';
      })
      .attr('tabindex', 0);
  }

  private setCurrent(name: string): void {
    if (name === this.current) {
      return;
    }
    const previous = this.current;
    this.current = name;
    this.nodeSelection()
      .filter(d => d.node.name === previous || d.node.name === name)
      .attr('tabindex', d => (d.node.name === name ? 0 : -1));
  }

  private onKey(event: KeyboardEvent, name: string): void {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      if (!this.variants.has(name)) {
        this.callbacks.toggle(name);
      }
      return;
    }
    const direction = directionOf(event.key);
    const layout = this.layout;
    const node = this.view?.graph.nodes.get(name) ?? this.variants.get(name);
    if (!direction || !layout || !node) {
      return;
    }
    event.preventDefault();
    event.stopPropagation();
    const next = nextNode(name, direction, layout.positions, [...node.dependencies.map(d => d.name), ...node.dependents]);
    if (next) {
      this.setCurrent(next);
      this.ensureDrawn(next);
      const element = this.nodeSelection()
        .filter(d => d.node.name === next)
        .node();
      element?.focus({ preventScroll: true });
      this.bringIntoView(next);
      this.highlight(next);
    }
  }

  /** Pans (at the same scale) until a node's box is in view. */
  private bringIntoView(name: string): void {
    const at = this.layout?.positions[name];
    if (!at || this.allInView(this.nodeSelection().filter(d => d.node.name === name).data())) {
      return;
    }
    this.centreOn(at, true);
  }

  /** Lights up what a node needs and what needs it; dims the rest. */
  private highlight(name: string | undefined): void {
    this.hovered = name;
    const nodes = this.nodeSelection();
    const edges = this.layer.select('.jp-DagcellsGraph-edges').selectAll<SVGPathElement, EdgeDatum>('path');
    const lineage = name ? this.callbacks.lineage?.(name) : undefined;
    if (!name || !lineage) {
      nodes.classed('jp-mod-upstream jp-mod-downstream jp-mod-dimmed jp-mod-hovered', false);
      edges.classed('jp-mod-lit jp-mod-dimmed', false);
      return;
    }
    const { up, down } = lineage;
    const lit = (d: EdgeDatum) => {
      const [from, to] = d.key.split('->');
      return (up.has(from) && up.has(to)) || (down.has(from) && down.has(to));
    };
    nodes
      .classed('jp-mod-hovered', d => d.node.name === name)
      .classed('jp-mod-upstream', d => d.node.name !== name && up.has(d.node.name))
      .classed('jp-mod-downstream', d => d.node.name !== name && down.has(d.node.name))
      .classed('jp-mod-dimmed', d => !up.has(d.node.name) && !down.has(d.node.name));
    edges.classed('jp-mod-lit', lit).classed('jp-mod-dimmed', d => !lit(d));
  }
}

/** A transform moved, at its scale, so that the box (padded) covers the drawing wherever it is larger than it (see {@link clampedOffset}). */
function withinBox(t: ZoomTransform, box: Box, width: number, height: number): ZoomTransform {
  const x = clampedOffset(t.x, box.x0, box.x1, t.k, width, FRAME_PAD);
  const y = clampedOffset(t.y, box.y0, box.y1, t.k, height, FRAME_PAD);
  return zoomIdentity.translate(x, y).scale(t.k);
}

/** The transform that shows a box in the middle of a drawing at scale k. */
function centred(box: Box, width: number, height: number, k: number): ZoomTransform {
  return zoomIdentity
    .translate(width / 2, height / 2)
    .scale(k)
    .translate(-(box.x0 + box.x1) / 2, -(box.y0 + box.y1) / 2);
}

/**
 * Records what an element shows now and says whether that differs from what
 * it showed at the last render (a new element always differs).
 */
function changed(before: ReadonlyMap<string, string>, drawn: Map<string, string>, key: string, signature: string): boolean {
  drawn.set(key, signature);
  return before.get(key) !== signature;
}

/** A node's task and its colour, when it has one. */
function taskOf(view: ModelView, name: string, place: ReadonlyMap<string, number>): Pick<NodeDatum, 'task' | 'taskColour'> {
  const task = view.taskOf.get(name);
  return task === undefined ? {} : { task, taskColour: place.get(task) ?? 0 };
}

/**
 * Edge routing: a path for every edge that never crosses a box. The boxes of a
 * layout fall into bands across the flow (rows for top to bottom, columns for
 * left to right); between two bands there is only empty room. A forward edge
 * leaves its producer's downstream side, bends in the room after each band,
 * crosses every band in between through a gap between boxes (the slot d3-dag
 * reserved for it, or any gap wide enough), and enters its consumer's upstream
 * side. An edge against the flow (a cycle), within one band, or of a node that
 * needs itself goes around all the boxes. Curves only bend in the empty room
 * between bands: a cubic whose control points lie in that room stays in it.
 */
import type { Layout, Point, Route } from './types';

export type { Route };

/** Room kept between an edge and a box it passes. */
const CLEARANCE = 4;
/** How far apart edges sharing a gap are drawn. */
const SPREAD = 5;
/** How far an edge stops before its consumer, for the arrowhead. */
const ARROW_ROOM = 2;
/** The corner radius of edges going around. */
const RADIUS = 6;

interface Box {
  name: string;
  /** Centre along the flow and across it. */
  along: number;
  across: number;
  alongHalf: number;
  acrossHalf: number;
  band: number;
}

interface Band {
  start: number;
  end: number;
  /** The boxes' extents across the flow, widened by the clearance, sorted. */
  blocked: [number, number][];
  /** How many edges already pass each gap (keyed by the gap's start). */
  used: Map<number, number>;
}

/**
 * A path for each edge, keyed `from->to`; edges whose ends are not laid out
 * get none. With `only`, just those edges are routed (the rest of the graph
 * still shapes their paths).
 */
export function routeEdges(
  layout: Layout,
  widthOf: (name: string) => number,
  edges: readonly [string, string][],
  only?: ReadonlySet<string>
): Map<string, Route> {
  const lr = layout.orientation === 'LR';
  const h = layout.nodeHeight;
  const boxes = new Map<string, Box>();
  for (const [name, p] of Object.entries(layout.positions)) {
    const w = widthOf(name);
    boxes.set(name, {
      name,
      along: lr ? p.x : p.y,
      across: lr ? p.y : p.x,
      alongHalf: (lr ? w : h) / 2,
      acrossHalf: (lr ? h : w) / 2,
      band: -1
    });
  }
  const bands = bandsOf([...boxes.values()]);
  let outside = Infinity;
  for (const box of boxes.values()) {
    outside = Math.min(outside, box.across - box.acrossHalf);
  }
  let box = { x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity };
  const toPoint = (along: number, across: number): Point => {
    const point = lr ? { x: along, y: across } : { x: across, y: along };
    box = { x0: Math.min(box.x0, point.x), y0: Math.min(box.y0, point.y), x1: Math.max(box.x1, point.x), y1: Math.max(box.y1, point.y) };
    return point;
  };
  const ports = portsOf(boxes, edges);
  const routes = new Map<string, Route>();
  let lanes = 0;
  for (const [from, to] of edges) {
    const p = boxes.get(from);
    const c = boxes.get(to);
    const key = `${from}->${to}`;
    if (!p || !c) {
      continue;
    }
    if (c.band <= p.band) {
      lanes++; // every edge around keeps its lane, routed or not, so lanes do not shift
    }
    if (only && !only.has(key)) {
      continue;
    }
    box = { x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity };
    const out = ports.get(`out:${key}`) ?? p.across;
    const into = ports.get(`in:${key}`) ?? c.across;
    const start = { along: p.along + p.alongHalf, across: out };
    const end = { along: c.along - c.alongHalf - ARROW_ROOM, across: into };
    let d: string;
    if (c.band > p.band) {
      d = forward(start, end, p, c, bands, toPoint);
    } else {
      d = around(start, end, p, c, bands, outside - 14 - lanes * SPREAD, toPoint);
    }
    routes.set(key, { d, box });
  }
  return routes;
}

/** Groups boxes whose extents along the flow overlap into bands, in flow order. */
function bandsOf(boxes: Box[]): Band[] {
  const sorted = [...boxes].sort((a, b) => a.along - a.alongHalf - (b.along - b.alongHalf));
  const bands: Band[] = [];
  let current: { start: number; end: number; members: Box[] } | undefined;
  const close = () => {
    if (current) {
      const blocked = current.members
        .map(b => [b.across - b.acrossHalf - CLEARANCE, b.across + b.acrossHalf + CLEARANCE] as [number, number])
        .sort((a, b) => a[0] - b[0]);
      bands.push({ start: current.start, end: current.end, blocked, used: new Map() });
    }
  };
  for (const box of sorted) {
    const start = box.along - box.alongHalf;
    const end = box.along + box.alongHalf;
    if (!current || start >= current.end) {
      close();
      current = { start, end, members: [] };
    }
    current.end = Math.max(current.end, end);
    current.members.push(box);
    box.band = bands.length;
  }
  close();
  return bands;
}

/**
 * Where each edge leaves its producer and enters its consumer: spread along
 * the box's side in the order of the other ends, so arrowheads do not pile up.
 */
function portsOf(boxes: Map<string, Box>, edges: readonly [string, string][]): Map<string, number> {
  const outgoing = new Map<string, [string, string][]>();
  const incoming = new Map<string, [string, string][]>();
  const add = (map: Map<string, [string, string][]>, key: string, edge: [string, string]) => {
    const list = map.get(key);
    if (list) {
      list.push(edge);
    } else {
      map.set(key, [edge]);
    }
  };
  for (const edge of edges) {
    add(outgoing, edge[0], edge);
    add(incoming, edge[1], edge);
  }
  const ports = new Map<string, number>();
  const spread = (prefix: string, box: Box | undefined, list: [string, string][], other: (e: [string, string]) => Box | undefined) => {
    if (!box) {
      return;
    }
    const sorted = [...list].sort((a, b) => (other(a)?.across ?? 0) - (other(b)?.across ?? 0));
    const step = Math.min(8, (box.acrossHalf * 2 - 12) / Math.max(1, sorted.length));
    sorted.forEach((edge, i) => ports.set(`${prefix}:${edge[0]}->${edge[1]}`, box.across + (i - (sorted.length - 1) / 2) * step));
  };
  for (const [name, list] of outgoing) {
    spread('out', boxes.get(name), list, e => boxes.get(e[1]));
  }
  for (const [name, list] of incoming) {
    spread('in', boxes.get(name), list, e => boxes.get(e[0]));
  }
  return ports;
}

type Flow = { along: number; across: number };

/** Down the flow: through a gap of every band between producer and consumer. */
function forward(start: Flow, end: Flow, p: Box, c: Box, bands: Band[], toPoint: (along: number, across: number) => Point): string {
  const points: Flow[] = [start];
  const leave = bands[p.band].end;
  if (leave > start.along) {
    points.push({ along: leave, across: start.across });
  }
  for (let k = p.band + 1; k < c.band; k++) {
    const band = bands[k];
    const t = ((band.start + band.end) / 2 - start.along) / Math.max(1, end.along - start.along);
    const across = passage(band, start.across + (end.across - start.across) * t);
    points.push({ along: band.start, across }, { along: band.end, across });
  }
  const enter = bands[c.band].start;
  if (enter < end.along) {
    points.push({ along: enter, across: end.across });
  }
  points.push(end);
  let d = '';
  points.forEach((q, i) => {
    const at = toPoint(q.along, q.across);
    if (i === 0) {
      d = `M${r(at.x)},${r(at.y)}`;
      return;
    }
    const prev = points[i - 1];
    if (Math.abs(prev.across - q.across) < 0.5) {
      d += `L${r(at.x)},${r(at.y)}`;
    } else {
      // A bend in the room between two bands: both control points stay in it.
      const mid = (prev.along + q.along) / 2;
      const c1 = toPoint(mid, prev.across);
      const c2 = toPoint(mid, q.across);
      d += `C${r(c1.x)},${r(c1.y)} ${r(c2.x)},${r(c2.y)} ${r(at.x)},${r(at.y)}`;
    }
  });
  return d;
}

/** The place across a band, nearest the wanted one, where an edge passes no box. */
function passage(band: Band, wanted: number): number {
  const gaps: [number, number][] = [];
  let from = -Infinity;
  for (const [a, b] of band.blocked) {
    if (a > from) {
      gaps.push([from, a]);
    }
    from = Math.max(from, b);
  }
  gaps.push([from, Infinity]);
  let best = wanted;
  let bestGap: [number, number] = gaps[0];
  let distance = Infinity;
  for (const gap of gaps) {
    const at = Math.min(Math.max(wanted, gap[0]), gap[1]);
    if (Math.abs(at - wanted) < distance) {
      distance = Math.abs(at - wanted);
      best = at;
      bestGap = gap;
    }
  }
  // Edges through the same gap are drawn side by side while there is room.
  const count = band.used.get(bestGap[0]) ?? 0;
  band.used.set(bestGap[0], count + 1);
  const offset = (count % 2 === 0 ? 1 : -1) * Math.ceil(count / 2) * SPREAD;
  return Math.min(Math.max(best + offset, bestGap[0]), bestGap[1]);
}

/**
 * Against the flow (or within a band): out of the producer's downstream side
 * into the room after its band, across to beyond every box, along the flow to
 * the room before the consumer's band, and into the consumer from upstream,
 * as every other edge enters. Corners are rounded.
 */
function around(
  start: Flow,
  end: Flow,
  p: Box,
  c: Box,
  bands: Band[],
  outside: number,
  toPoint: (along: number, across: number) => Point
): string {
  const after = p.band + 1 < bands.length ? (bands[p.band].end + bands[p.band + 1].start) / 2 : bands[p.band].end + 16;
  const before = c.band > 0 ? (bands[c.band - 1].end + bands[c.band].start) / 2 : bands[c.band].start - 16;
  const corners: Flow[] = [
    start,
    { along: after, across: start.across },
    { along: after, across: outside },
    { along: before, across: outside },
    { along: before, across: end.across },
    end
  ];
  return rounded(corners.map(q => toPoint(q.along, q.across)));
}

/** A polyline of axis-parallel segments with its corners rounded. */
function rounded(points: Point[]): string {
  let d = `M${r(points[0].x)},${r(points[0].y)}`;
  for (let i = 1; i < points.length - 1; i++) {
    const [a, b, c] = [points[i - 1], points[i], points[i + 1]];
    const rad = Math.min(RADIUS, distance(a, b) / 2, distance(b, c) / 2);
    const inTo = towards(b, a, rad);
    const outOf = towards(b, c, rad);
    d += `L${r(inTo.x)},${r(inTo.y)}Q${r(b.x)},${r(b.y)} ${r(outOf.x)},${r(outOf.y)}`;
  }
  const last = points[points.length - 1];
  return `${d}L${r(last.x)},${r(last.y)}`;
}

function distance(a: Point, b: Point): number {
  return Math.hypot(a.x - b.x, a.y - b.y);
}

/** The point `by` away from `from` in the direction of `to`. */
function towards(from: Point, to: Point, by: number): Point {
  const length = distance(from, to) || 1;
  return { x: from.x + ((to.x - from.x) / length) * by, y: from.y + ((to.y - from.y) / length) * by };
}

function r(value: number): number {
  return Math.round(value * 10) / 10;
}

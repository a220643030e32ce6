/**
 * Keeping edges still while the user types: when a layout only extends the
 * previous one (placed nodes kept their places), an edge keeps its path unless
 * one of its ends came, went or changed its set of edges, or a new box landed
 * on the rectangle its path lies in. Only those are routed again, so a
 * keystroke in a large notebook costs the edges it touched.
 */
import { routeEdges } from './route';
import type { Layout, Route } from './types';

/** The routes of one layout, with what they were made from. */
export interface Routed {
  layout: Layout;
  widths: ReadonlyMap<string, number>;
  edges: ReadonlySet<string>;
  routes: Map<string, Route>;
}

/** Routes for a layout, reusing those of the previous one where nothing they depend on changed. */
export function reroute(previous: Routed | undefined, layout: Layout, widths: ReadonlyMap<string, number>, edges: readonly [string, string][]): Routed {
  const keys = new Set(edges.map(([from, to]) => `${from}->${to}`));
  const widthOf = (name: string) => widths.get(name) ?? 0;
  if (layout.routes && edges.every(([from, to]) => layout.routes?.[`${from}->${to}`] || !layout.positions[from] || !layout.positions[to])) {
    return { layout, widths, edges: keys, routes: new Map(Object.entries(layout.routes)) };
  }
  const touched = previous ? changedNodes(previous, layout, widths, keys) : undefined;
  if (!previous || !touched) {
    return { layout, widths, edges: keys, routes: routeEdges(layout, widthOf, edges) };
  }
  const fresh = [...touched].filter(name => layout.positions[name] && !previous.layout.positions[name]);
  const h = layout.nodeHeight / 2;
  const hit = (route: Route) =>
    fresh.some(name => {
      const p = layout.positions[name];
      const w = widthOf(name) / 2;
      return p.x + w >= route.box.x0 && p.x - w <= route.box.x1 && p.y + h >= route.box.y0 && p.y - h <= route.box.y1;
    });
  const redo = new Set<string>();
  for (const key of keys) {
    const [from, to] = key.split('->');
    const old = previous.routes.get(key);
    if (!old || touched.has(from) || touched.has(to) || hit(old)) {
      redo.add(key);
    }
  }
  const routes = new Map<string, Route>();
  const fresher = redo.size > 0 ? routeEdges(layout, widthOf, edges, redo) : new Map<string, Route>();
  for (const key of keys) {
    const route = redo.has(key) ? fresher.get(key) : previous.routes.get(key);
    if (route) {
      routes.set(key, route);
    }
  }
  return { layout, widths, edges: keys, routes };
}

/**
 * The nodes whose edges must be routed again: new, gone, resized, or with an
 * edge added or removed. Undefined when a placed node moved (a new layout:
 * everything is routed again).
 */
function changedNodes(previous: Routed, layout: Layout, widths: ReadonlyMap<string, number>, keys: ReadonlySet<string>): Set<string> | undefined {
  if (previous.layout.orientation !== layout.orientation || previous.layout.nodeHeight !== layout.nodeHeight) {
    return undefined;
  }
  const touched = new Set<string>();
  for (const [name, p] of Object.entries(layout.positions)) {
    const was = previous.layout.positions[name];
    if (!was) {
      touched.add(name);
    } else if (was.x !== p.x || was.y !== p.y) {
      return undefined;
    } else if (previous.widths.get(name) !== widths.get(name)) {
      touched.add(name);
    }
  }
  for (const name of Object.keys(previous.layout.positions)) {
    if (!layout.positions[name]) {
      touched.add(name);
    }
  }
  const flip = (key: string) => key.split('->').forEach(name => touched.add(name));
  keys.forEach(key => previous.edges.has(key) || flip(key));
  previous.edges.forEach(key => keys.has(key) || flip(key));
  return touched;
}

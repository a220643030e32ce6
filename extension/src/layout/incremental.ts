/**
 * Keeping the picture still while the user types: nodes that were already
 * placed keep their places, a new node goes into the layer its producers imply,
 * next to its neighbours, in the nearest free slot. Removed nodes just go. A
 * full layout happens only when asked for, on first show, or when too much
 * changed for this to look right.
 */
import { gapsOf, Layout, LayoutInput, Point } from './types';

/** Above this share of new nodes, a fresh full layout reads better than patching. */
const MAX_NEW_SHARE = 0.3;

/**
 * The previous layout extended to the new graph, or undefined when a full
 * layout is needed instead.
 */
export function extendLayout(previous: Layout | undefined, input: LayoutInput): Layout | undefined {
  if (
    !previous ||
    previous.orientation !== input.orientation ||
    previous.density !== (input.density ?? 'full') ||
    (input.maxAcross !== undefined && previous.width > input.maxAcross + 1 && input.orientation === 'TB')
  ) {
    return undefined;
  }
  const placed = input.nodes.filter(n => previous.positions[n.name]);
  const fresh = input.nodes.filter(n => !previous.positions[n.name]);
  if (fresh.length > Math.max(3, MAX_NEW_SHARE * input.nodes.length)) {
    return undefined;
  }
  const positions: Record<string, Point> = {};
  for (const node of placed) {
    positions[node.name] = previous.positions[node.name];
  }
  const lr = input.orientation === 'LR';
  const along = (p: Point) => (lr ? p.x : p.y); // position along the flow
  const across = (p: Point) => (lr ? p.y : p.x);
  const widths = new Map(input.nodes.map(n => [n.name, n.width]));
  const producers = new Map<string, string[]>();
  const consumers = new Map<string, string[]>();
  for (const [from, to] of input.edges) {
    producers.set(to, [...(producers.get(to) ?? []), from]);
    consumers.set(from, [...(consumers.get(from) ?? []), to]);
  }
  const h = previous.nodeHeight;
  const gaps = gapsOf(input.orientation, previous.density);
  const step = (name: string) => (lr ? (widths.get(name) ?? 120) : h) + gaps.along;
  const spacing = (name: string) => (lr ? h : (widths.get(name) ?? 120)) + gaps.across;

  // New nodes in dependency order, so a new node can lean on another new one.
  for (const node of orderByDependencies(fresh.map(n => n.name), producers)) {
    const before = (producers.get(node) ?? []).filter(p => positions[p]);
    const after = (consumers.get(node) ?? []).filter(c => positions[c]);
    let flow: number;
    if (before.length > 0) {
      flow = Math.max(...before.map(p => along(positions[p]) + step(p)));
    } else if (after.length > 0) {
      flow = Math.min(...after.map(c => along(positions[c]))) - step(node);
    } else {
      flow = 0;
    }
    const neighbours = [...before, ...after].map(n => across(positions[n])).sort((a, b) => a - b);
    const wanted = neighbours.length ? neighbours[Math.floor(neighbours.length / 2)] : maxAcross(positions, across) + spacing(node);
    const slot = freeSlot(positions, node, flow, wanted, along, across, spacing, step);
    positions[node] = lr ? { x: flow, y: slot } : { x: slot, y: flow };
  }
  return { ...bounds(positions, widths, h), positions, orientation: input.orientation, nodeHeight: h, density: previous.density };
}

/** The nearest place across the flow, from the wanted one, that no node in the same layer occupies. */
function freeSlot(
  positions: Record<string, Point>,
  node: string,
  flow: number,
  wanted: number,
  along: (p: Point) => number,
  across: (p: Point) => number,
  spacing: (name: string) => number,
  step: (name: string) => number
): number {
  const sameLayer = Object.entries(positions)
    .filter(([name, p]) => Math.abs(along(p) - flow) < Math.min(step(name), step(node)) * 0.75)
    .map(([name, p]) => ({ at: across(p), half: spacing(name) / 2 }));
  const half = spacing(node) / 2;
  const clash = (at: number) => sameLayer.some(o => Math.abs(o.at - at) < o.half + half);
  for (let k = 0; k < 1000; k++) {
    for (const at of k === 0 ? [wanted] : [wanted + k * half, wanted - k * half]) {
      if (!clash(at)) {
        return at;
      }
    }
  }
  return wanted;
}

function orderByDependencies(names: string[], producers: Map<string, string[]>): string[] {
  const pending = new Set(names);
  const ordered: string[] = [];
  while (pending.size > 0) {
    const ready = [...pending].filter(n => !(producers.get(n) ?? []).some(p => pending.has(p) && p !== n));
    const next = ready.length > 0 ? ready : [pending.values().next().value as string]; // a cycle: take any
    for (const n of next) {
      pending.delete(n);
      ordered.push(n);
    }
  }
  return ordered;
}

function maxAcross(positions: Record<string, Point>, across: (p: Point) => number): number {
  const values = Object.values(positions).map(across);
  return values.length ? Math.max(...values) : 0;
}

/** The layout's extent from the origin to its far box edges. */
function bounds(positions: Record<string, Point>, widths: Map<string, number>, nodeHeight: number): { width: number; height: number } {
  let width = 0;
  let height = 0;
  for (const [name, p] of Object.entries(positions)) {
    const w = widths.get(name) ?? 120;
    width = Math.max(width, p.x + w / 2);
    height = Math.max(height, p.y + nodeHeight / 2);
  }
  return { width, height };
}

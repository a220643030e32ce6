/**
 * Drawing a large graph only where it is in view: the region of the layout a
 * view shows (with a margin, so that a small pan draws nothing new), and
 * whether a drawn region still covers the view.
 */
import type { ZoomTransform } from 'd3-zoom';

/** A rectangle in layout units. */
export interface Region {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** Above this many boxes, only those in view (and a margin around it) are in the page. */
export const CULL_ABOVE = 300;
/** The margin drawn around the view on each side, as a share of the view's size... */
export const CULL_MARGIN = 0.5;
/** ...and at least this many pixels (a narrow sidebar still gets room to pan). */
export const CULL_MARGIN_PX = 160;

/**
 * The part of the layout a drawing of this size shows at transform `t`, grown
 * by `margin` (a share of the size, at least CULL_MARGIN_PX on each side when
 * not 0); undefined while the drawing has no size.
 */
export function regionInView(t: ZoomTransform, width: number, height: number, margin = 0): Region | undefined {
  if (!(width > 0 && height > 0)) {
    return undefined;
  }
  const mx = margin > 0 ? Math.max(CULL_MARGIN_PX, width * margin) : 0;
  const my = margin > 0 ? Math.max(CULL_MARGIN_PX, height * margin) : 0;
  return { x0: t.invertX(-mx), y0: t.invertY(-my), x1: t.invertX(width + mx), y1: t.invertY(height + my) };
}

export function intersects(a: Region, b: Region): boolean {
  return a.x0 <= b.x1 && a.x1 >= b.x0 && a.y0 <= b.y1 && a.y1 >= b.y0;
}

/**
 * Whether what was drawn for region `drawn` still serves a view of `view`:
 * it covers the view, and it is not much larger than a region drawn for this
 * view would be (after zooming in a long way, it would keep far too many
 * elements in the page).
 */
export function stillCovers(drawn: Region, view: Region, wanted: Region): boolean {
  const area = (r: Region) => Math.max(0, r.x1 - r.x0) * Math.max(0, r.y1 - r.y0);
  const covers = drawn.x0 <= view.x0 && drawn.y0 <= view.y0 && drawn.x1 >= view.x1 && drawn.y1 >= view.y1;
  return covers && area(drawn) <= 2 * area(wanted);
}

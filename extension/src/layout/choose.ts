/**
 * Choosing how to draw a graph for the room the panel has: the flow's
 * direction from the panel's shape (top to bottom when tall, left to right
 * when wide) unless the user chose one, boxes with types when they fit and
 * names alone when only that keeps them readable, and layers wrapped to the
 * panel's width. The first choice whose whole drawing can be read at a
 * readable size wins; a graph too large for any is drawn for overview.
 */
import type { ModelView } from '../model/graph-model';
import { layoutInput, LayoutChoice } from './input';
import { sugiyamaLayout } from './sugiyama';
import type { Density, Layout, Orientation } from './types';

/** The drawing's room, in pixels. */
export interface Room {
  width: number;
  height: number;
}

export interface ChooseOptions {
  /** The orientation the user chose, if any. */
  orientation?: Orientation;
  /** The smallest scale at which names stay readable. */
  readable: number;
  /** Room kept around the drawing, in pixels. */
  pad: number;
  /** Above this many nodes, no layout is tried here (they would not fit anyway; the worker lays them out). */
  tryUpTo?: number;
}

export interface Choice {
  choice: LayoutChoice;
  /** The layout made while choosing, when one was. */
  layout?: Layout;
  /** The whole graph can be read in the room. */
  fits: boolean;
}

/** How to draw the view's graph in this room. */
export function chooseLayout(view: ModelView, room: Room, options: ChooseOptions): Choice {
  const preferred: Orientation = options.orientation ?? (room.height >= room.width ? 'TB' : 'LR');
  const other: Orientation = preferred === 'TB' ? 'LR' : 'TB';
  const orientations: Orientation[] = options.orientation ? [preferred] : [preferred, other];
  const across = (o: Orientation) => Math.max(60, ((o === 'TB' ? room.width : room.height) - 2 * options.pad) / options.readable);
  const choiceOf = (orientation: Orientation, density: Density): LayoutChoice => ({ orientation, density, maxAcross: across(orientation) });
  const candidates: LayoutChoice[] = [];
  for (const orientation of orientations) {
    candidates.push(choiceOf(orientation, 'full'), choiceOf(orientation, 'compact'));
  }
  if (view.graph.nodes.size <= (options.tryUpTo ?? 120)) {
    for (const choice of candidates) {
      const layout = sugiyamaLayout(layoutInput(view, choice));
      const scale = Math.min((room.width - 2 * options.pad) / layout.width, (room.height - 2 * options.pad) / layout.height);
      if (scale >= options.readable || layout.width === 0) {
        return { choice, layout, fits: true };
      }
    }
  }
  // Too large to read whole: names alone show the most at a readable size in a narrow panel.
  return { choice: choiceOf(preferred, room.width < 500 ? 'compact' : 'full'), fits: false };
}

/**
 * What tells a node's state apart besides colour: a small mark drawn at the
 * left of its box (a shape per state), and the words a screen reader says.
 */
import type { NodeKind } from 'dagcells/notebook';

/** SVG paths of the marks, in a 10 x 10 box centred on the origin. */
export const STATE_MARKS: Record<string, string> = {
  // a hollow circle: not run yet
  unrun: 'M0,-4A4,4 0 1 1 0,4A4,4 0 1 1 0,-4Z',
  // a triangle pointing up, as a warning: changed since it ran
  stale: 'M0,-4.5L4.5,3.8L-4.5,3.8Z',
  // a triangle pointing on, as "play": running now
  running: 'M-3.5,-4.5L4.5,0L-3.5,4.5Z',
  // a tick: ran, up to date
  ok: 'M-4,0.5L-1.2,3.5L4.2,-3.5',
  // a diamond: up to date, taken from the cache
  cached: 'M0,-4.5L4.5,0L0,4.5L-4.5,0Z',
  // a cross: failed
  error: 'M-3.5,-3.5L3.5,3.5M3.5,-3.5L-3.5,3.5',
  // two bars: defined twice
  conflict: 'M-2,-4.5V4.5M2,-4.5V4.5'
};

/**
 * SVG paths of the glyphs at the right of a saver's and a loader's box (whose
 * top-right corner is folded, as a page's: see `foldPaths`), in a 10 x 10 box
 * centred on the origin, drawn as lines: an arrow down into a tray (writes a
 * file), an arrow up out of one (reads a file).
 */
export const KIND_MARKS: Record<string, string> = {
  saver: 'M0,-4.5V2M-3,-1L0,2L3,-1M-4,4.5H4',
  loader: 'M0,2V-4.5M-3,-1.5L0,-4.5L3,-1.5M-4,4.5H4'
};

/** True for the kinds drawn as files: a folded corner and a glyph. */
export function isArtifactKind(kind: string | undefined): boolean {
  return kind === 'saver' || kind === 'loader';
}

/**
 * The folded top-right corner of a box of this size centred on the origin:
 * `cut` paints over the corner (in the background's colour, hiding the box's
 * border there), `fold` is the page turned down.
 */
export function foldPaths(width: number, height: number, size: number): { cut: string; fold: string } {
  const right = width / 2;
  const top = -height / 2;
  const x0 = right - size;
  const y1 = top + size;
  return {
    cut: `M${x0},${top - 2}H${right + 2}V${y1}H${right}L${x0},${top}Z`,
    fold: `M${x0},${top}L${right},${y1}H${x0}Z`
  };
}

/** Marks drawn as lines (the others are filled shapes). */
export const STROKED_MARKS = new Set(['unrun', 'ok', 'error', 'conflict']);

const STATE_WORDS: Record<string, string> = {
  unrun: 'not run in this kernel',
  stale: 'changed since it ran',
  running: 'running',
  ok: 'ran, up to date',
  cached: 'up to date, from the cache',
  error: 'failed',
  conflict: 'defined in more than one cell'
};

const KIND_WORDS: Record<string, string> = {
  function: 'function',
  input: 'external input',
  config: 'config value',
  saver: 'saver',
  loader: 'loader'
};

/** What a screen reader says of a node: its name, what it is, its state, and whether it is picked. */
export function accessibleName(name: string, kind: NodeKind | string, state: string, selected: boolean, problems: readonly string[]): string {
  const parts = [name, KIND_WORDS[kind] ?? kind, STATE_WORDS[state] ?? state];
  if (problems.length > 0) {
    parts.push(`problem: ${problems.map(p => p.replace(/_/g, ' ').toLowerCase()).join(', ')}`);
  }
  if (selected) {
    parts.push('selected as an output');
  }
  return parts.join(', ');
}

/** The legend's wording of a state. */
export function stateWords(state: string): string {
  return STATE_WORDS[state] ?? state;
}

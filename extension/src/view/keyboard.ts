/**
 * Moving between nodes with the arrow keys: the next node in the arrow's
 * direction, preferring what the current node needs or feeds, so that
 * following the flow is one key per step.
 */
import type { Point } from '../layout/types';

export type Direction = 'up' | 'down' | 'left' | 'right';

const KEYS: Record<string, Direction> = { ArrowUp: 'up', ArrowDown: 'down', ArrowLeft: 'left', ArrowRight: 'right' };

/** The direction of an arrow key, if it is one. */
export function directionOf(key: string): Direction | undefined {
  return KEYS[key];
}

/**
 * The node to move to from `from` in `direction`: among its neighbours the
 * nearest in that direction (sideways distance counting double), else the
 * nearest of all nodes in that direction; undefined at the edge of the graph.
 */
export function nextNode(
  from: string,
  direction: Direction,
  positions: Readonly<Record<string, Point>>,
  neighbours: readonly string[]
): string | undefined {
  const at = positions[from];
  if (!at) {
    return undefined;
  }
  const score = (name: string): number | undefined => {
    const p = positions[name];
    if (!p || name === from) {
      return undefined;
    }
    const dx = p.x - at.x;
    const dy = p.y - at.y;
    const [ahead, aside] =
      direction === 'up' ? [-dy, dx] : direction === 'down' ? [dy, dx] : direction === 'left' ? [-dx, dy] : [dx, dy];
    return ahead > 0.5 ? ahead + 2 * Math.abs(aside) : undefined;
  };
  const best = (names: Iterable<string>) => {
    let found: string | undefined;
    let low = Infinity;
    for (const name of names) {
      const s = score(name);
      if (s !== undefined && s < low) {
        low = s;
        found = name;
      }
    }
    return found;
  };
  return best(neighbours) ?? best(Object.keys(positions));
}

import { NODE_HEIGHT } from '../src/layout/types';
import { edgePath } from '../src/view/geometry';

/** The numbers of a path, in order: start, two control points, end. */
function points(d: string): number[][] {
  const numbers = (d.match(/-?\d+(\.\d+)?/g) ?? []).map(Number);
  return [0, 2, 4, 6].map(i => numbers.slice(i, i + 2));
}

describe('edge paths', () => {
  it('run from the producer\'s downstream side to the consumer\'s upstream side', () => {
    const [start, , , end] = points(edgePath({ x: 0, y: 0 }, 100, { x: 300, y: 50 }, 120, 'LR'));
    expect(start).toEqual([50, 0]);
    expect(end).toEqual([300 - 60 - 2, 50]);
  });

  it('arc above both boxes when they run against the flow, still entering the consumer from upstream', () => {
    // c -> a where a lies upstream of c: a cycle drawn left to right.
    const [start, c1, c2, end] = points(edgePath({ x: 400, y: 0 }, 100, { x: 0, y: 20 }, 100, 'LR'));
    expect(start).toEqual([450, 0]);
    expect(end).toEqual([-52, 20]);
    expect(c1[0]).toBeGreaterThan(start[0]); // leaves rightwards, as every edge does
    expect(c2[0]).toBeLessThan(end[0]); // comes in from the left of the consumer
    expect(Math.max(c1[1], c2[1])).toBeLessThan(-NODE_HEIGHT / 2); // above both boxes
  });

  it('loop around a node that needs itself', () => {
    const [start, c1, c2, end] = points(edgePath({ x: 0, y: 0 }, 100, { x: 0, y: 0 }, 100, 'TB'));
    expect(start).toEqual([0, NODE_HEIGHT / 2]);
    expect(end).toEqual([0, -NODE_HEIGHT / 2 - 2]);
    expect(Math.max(c1[0], c2[0])).toBeLessThan(-50); // beside the box, on its left
  });
});

import { DagError, isDagError } from '../src/errors';

describe('DagError', () => {
  it('carries a code, the nodes concerned and the cause', () => {
    const cause = new TypeError('boom');
    const error = new DagError('NODE_FAILED', 'spend failed: boom', ['spend'], { cause });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('DagError');
    expect(error.code).toBe('NODE_FAILED');
    expect(error.nodes).toEqual(['spend']);
    expect((error as Error & { cause?: unknown }).cause).toBe(cause);
  });

  it('is recognised across copies of the library by name and code', () => {
    const foreign = Object.assign(new Error('x'), { name: 'DagError', code: 'CYCLE' });
    expect(isDagError(foreign)).toBe(true);
    expect(isDagError(new Error('x'))).toBe(false);
  });
});

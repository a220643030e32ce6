import { DagError, Driver } from '../src';

/**
 * The Driver under careless or hostile use: listeners that throw, outputs and
 * inputs named `__proto__`, nodes that mutate what they are given, odd things
 * thrown, and graphs large enough to make messages and suggestions explode.
 */
const settle = <T>(promise: Promise<T>) =>
  promise.then(
    value => ({ value }),
    error => ({ error: error as DagError })
  );

describe('an onEvent listener that throws', () => {
  it('fails the run with LISTENER_FAILED naming the event, on an async node, instead of leaving it pending', async () => {
    const dr = Driver.fromFunctions({ a: async (x: number) => x + 1, b: (a: number) => a + 1 });
    const outcome = await settle(
      dr.execute(['b'], {
        inputs: { x: 1 },
        onEvent: event => {
          if (event.type === 'node-finished') {
            throw new Error('the progress bar broke');
          }
        }
      })
    );
    expect(outcome).toMatchObject({
      error: { code: 'LISTENER_FAILED', nodes: ['a'], message: 'the onEvent listener failed on node-finished of a: the progress bar broke' }
    });
    expect((outcome as { error: DagError }).error.cause).toEqual(new Error('the progress bar broke'));
  });

  it('stops the run before the node whose start it was told of', async () => {
    const ran: string[] = [];
    const dr = Driver.fromFunctions({ a: () => ran.push('a'), b: (a: number) => ran.push('b') + a });
    const outcome = await settle(
      dr.execute(['b'], {
        onEvent: event => {
          if (event.type === 'node-started' && event.node === 'b') {
            throw new Error('no');
          }
        }
      })
    );
    expect(outcome).toMatchObject({ error: { code: 'LISTENER_FAILED', nodes: ['b'] } });
    expect(ran).toEqual(['a']);
  });

  it('waits for the nodes already running before the run rejects', async () => {
    let finished = false;
    const dr = Driver.fromFunctions({
      fast: async () => 1,
      slow: async () => {
        await new Promise(resolve => setTimeout(resolve, 20));
        finished = true;
        return 2;
      },
      both: (fast: number, slow: number) => fast + slow
    });
    const outcome = await settle(
      dr.execute(['both'], {
        onEvent: event => {
          if (event.type === 'node-finished' && event.node === 'fast') {
            throw new Error('no');
          }
        }
      })
    );
    expect(outcome).toMatchObject({ error: { code: 'LISTENER_FAILED' } });
    expect(finished).toBe(true);
  });

  it("keeps the node's own failure as the run's error when the listener also fails on it", async () => {
    const dr = Driver.fromFunctions({
      a: () => {
        throw new Error('bad data');
      }
    });
    const outcome = await settle(
      dr.execute(['a'], {
        onEvent: () => {
          throw new Error('listener');
        }
      })
    );
    expect(outcome).toMatchObject({ error: { code: 'LISTENER_FAILED' } });
    const failing = await settle(
      dr.execute(['a'], {
        onEvent: event => {
          if (event.type === 'node-failed') {
            throw new Error('listener');
          }
        }
      })
    );
    expect(failing).toMatchObject({ error: { code: 'NODE_FAILED', message: 'a failed: bad data' } });
  });
});

describe('outputs and inputs named __proto__', () => {
  it('returns an output named __proto__ as an own property, never as the prototype of the result', async () => {
    const dr = Driver.fromFunctions({ a: (x: number) => x + 1 });
    const given = { evil: true };
    const inputs = { ['__proto__']: given, x: 1 };
    const result = await dr.execute(['__proto__', 'a'], { inputs });
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
    expect(Object.keys(result)).toEqual(['__proto__', 'a']);
    expect(Object.getOwnPropertyDescriptor(result, '__proto__')?.value).toBe(given);
    expect((result as { evil?: boolean }).evil).toBeUndefined();
    expect(result.a).toBe(2);
  });

  it('reads an input named __proto__ parsed from JSON as an input, not as a prototype', async () => {
    const dr = Driver.fromFunctions({ a: (x: number) => x + 1 });
    const result = await dr.execute(['__proto__', 'a'], { inputs: JSON.parse('{"__proto__": {"evil": true}, "x": 1}') });
    expect(JSON.stringify(result)).toBe('{"__proto__":{"evil":true},"a":2}');
    expect(({} as { evil?: boolean }).evil).toBeUndefined();
  });
});

describe('nodes that mutate what they are given', () => {
  const appender = { appended: (list: number[]) => list.push(4) };

  it('gives nodes a frozen copy of config: a node mutating it fails, and neither the caller nor the next run sees a change', async () => {
    const config = { list: [1, 2, 3], nested: { deep: [1] } };
    const dr = Driver.fromFunctions(appender, { config });
    await expect(dr.execute(['appended'])).rejects.toMatchObject({ code: 'NODE_FAILED', nodes: ['appended'] });
    await expect(dr.execute(['appended'])).rejects.toMatchObject({ code: 'NODE_FAILED' });
    expect(config).toEqual({ list: [1, 2, 3], nested: { deep: [1] } });
    config.list.push(9); // the caller's object stays the caller's, and mutable
    expect(config.list).toEqual([1, 2, 3, 9]);
    const deep = Driver.fromFunctions({ poke: (nested: { deep: number[] }) => nested.deep.push(2) }, { config: { nested: { deep: [1] } } });
    await expect(deep.execute(['poke'])).rejects.toMatchObject({ code: 'NODE_FAILED', nodes: ['poke'] });
  });

  it('copies config when the Driver is built: changing the object afterwards does not change the runs', async () => {
    const config: Record<string, unknown> = { factor: 2 };
    const dr = Driver.fromFunctions({ doubled: (factor: number) => factor * 10 }, { config });
    config.factor = 5;
    await expect(dr.execute(['doubled'])).resolves.toEqual({ doubled: 20 });
  });

  it('lets nodes mutate inputs by default, as Hamilton does: the caller sees the change', async () => {
    const list = [1, 2, 3];
    await Driver.fromFunctions(appender).execute(['appended'], { inputs: { list } });
    expect(list).toEqual([1, 2, 3, 4]);
  });

  it('with freezeInputs, fails the node that mutates an input, and leaves the caller its own mutable object', async () => {
    const list = [1, 2, 3];
    const outcome = await settle(Driver.fromFunctions(appender).execute(['appended'], { inputs: { list }, freezeInputs: true }));
    expect(outcome).toMatchObject({ error: { code: 'NODE_FAILED', nodes: ['appended'] } });
    expect(list).toEqual([1, 2, 3]);
    list.push(4);
    expect(list).toEqual([1, 2, 3, 4]);
  });

  it('with freezeInputs, still gives nodes equal values, cycles and deep nesting included', async () => {
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    let deep: unknown[] = [];
    const root = deep;
    for (let i = 0; i < 100_000; i++) {
      const next: unknown[] = [];
      deep.push(next);
      deep = next;
    }
    const dr = Driver.fromFunctions({
      same: (cyclic: Record<string, unknown>) => cyclic.self === cyclic && Object.isFrozen(cyclic),
      depth: (root: unknown[]) => {
        let n = 0;
        for (let at = root; at.length > 0; at = at[0] as unknown[]) {
          n++;
        }
        return n;
      }
    });
    await expect(dr.execute(['same', 'depth'], { inputs: { cyclic, root }, freezeInputs: true })).resolves.toEqual({ same: true, depth: 100_000 });
  });
});

describe('what a failing node threw', () => {
  it.each([
    ['a Symbol', Symbol('boom'), 'thrower failed: Symbol(boom) (thrown, not an Error)'],
    ['undefined', undefined, 'thrower failed: undefined (thrown, not an Error)'],
    ['a string', 'plain text', 'thrower failed: plain text'],
    ['an object', { status: 404 }, 'thrower failed: {"status":404} (thrown, not an Error)'],
    ['an Error without a message', new TypeError(''), 'thrower failed: TypeError']
  ])('is named in the message when it is %s', async (_, thrown, message) => {
    const dr = Driver.fromFunctions({
      thrower: () => {
        throw thrown;
      }
    });
    await expect(dr.execute(['thrower'])).rejects.toMatchObject({ code: 'NODE_FAILED', message, cause: thrown });
  });
});

describe('errors of large graphs', () => {
  it('summarises 50,000 missing inputs, and lists every one in error.nodes', async () => {
    const fns: Record<string, unknown> = {};
    const names = Array.from({ length: 50_000 }, (_, i) => `input_${String(i).padStart(5, '0')}`);
    fns.total = new Function(...names, 'return 0;');
    const outcome = await settle(Driver.fromFunctions(fns).execute(['total']));
    const error = (outcome as { error: DagError }).error;
    expect(error.code).toBe('MISSING_INPUTS');
    expect(error.nodes).toEqual(names);
    expect(error.message.length).toBeLessThan(1000);
    expect(error.message).toBe(
      'missing inputs: ' +
        names.slice(0, 10).map(n => `${n} (needed by total)`).join(', ') +
        ' and 49,990 more (error.nodes lists them all). Pass them in inputs.'
    );
  });

  it('summarises a 10,000-node cycle, and names every node on it in error.nodes', async () => {
    const size = 10_000;
    const fns: Record<string, unknown> = {};
    for (let i = 0; i < size; i++) {
      fns[`n${i}`] = new Function(`n${(i + 1) % size}`, 'return 1;');
    }
    const outcome = await settle(Driver.fromFunctions(fns).execute(['n0']));
    const error = (outcome as { error: DagError }).error;
    expect(error.code).toBe('CYCLE');
    expect(new Set(error.nodes)).toEqual(new Set(Object.keys(fns)));
    expect(error.message.length).toBeLessThan(500);
    expect(error.message).toMatch(/^cycle of 10,000 nodes: (n\d+ -> ){10}\(9,990 more\) -> n\d+; /);
  });

  it('lists the first ten of many problems, counts the rest, and keeps them all in error.problems', () => {
    const dr = Driver.fromFunctions({ a: () => 1 });
    const unknown = Array.from({ length: 500 }, (_, i) => `missing_${i}`);
    let error: DagError | undefined;
    try {
      dr.validateExecution(unknown);
    } catch (e) {
      error = e as DagError;
    }
    expect(error?.problems).toHaveLength(500);
    expect(error?.message.split('\n')).toHaveLength(12);
    expect(error?.message).toMatch(/^500 problems:\n/);
    expect(error?.message).toMatch(/\n {2}- and 490 more \(error\.problems lists them all\)$/);
  });

  it("still suggests a near name among 1,000 names of 1,000 characters", () => {
    const fns: Record<string, unknown> = {};
    const long = (i: number) => `${'node_'.repeat(198)}${String(i).padStart(4, '0')}_x`;
    for (let i = 0; i < 1000; i++) {
      fns[long(i)] = () => i;
    }
    const dr = Driver.fromFunctions(fns);
    const typo = long(500).slice(0, -1) + 'y';
    expect(() => dr.validateExecution([typo])).toThrow(`is not a node of this dataflow. Did you mean '${long(500)}'?`);
    expect(() => dr.validateExecution(['q'.repeat(1000)])).toThrow(/is not a node of this dataflow\.$/);
  });
});

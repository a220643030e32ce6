import { parseKernelErrors } from '../src/kernel/stderr';

describe("reading tslab's errors", () => {
  it('reads compile errors with their places', () => {
    expect(parseKernelErrors("2:3 - Type 'number' is not assignable to type 'string'.\n5:1 - Cannot find name 'x'.\n")).toEqual([
      { line: 2, column: 3, message: "Type 'number' is not assignable to type 'string'." },
      { line: 5, column: 1, message: "Cannot find name 'x'." }
    ]);
  });

  it('keeps the continuation lines of a chained message', () => {
    expect(parseKernelErrors("1:7 - Type '{}' is not assignable to type 'Row'.\n  Property 'id' is missing.\n")).toEqual([
      { line: 1, column: 7, message: "Type '{}' is not assignable to type 'Row'.\nProperty 'id' is missing." }
    ]);
  });

  it('keeps the first line of a run-time error and drops its stack', () => {
    expect(parseKernelErrors('Error: boom\n    at spend (evalmachine.<anonymous>:3:9)\n    at x\n')).toEqual([{ message: 'Error: boom' }]);
  });

  it('keeps an unrecognised text whole, and nothing for no text', () => {
    expect(parseKernelErrors('something odd\nhappened')).toEqual([{ message: 'something odd\nhappened' }]);
    expect(parseKernelErrors('  \n')).toEqual([]);
  });
});

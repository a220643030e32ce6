import { execFileSync } from 'child_process';
import { join } from 'path';

/**
 * Whether values are released needs the garbage collector, so this runs a chain
 * in a child Node with --expose-gc: each node returns a fresh 10 MB array and
 * measures, after a full collection, the array memory still alive.
 */
describe('Driver memory', () => {
  it('keeps only the values that pending nodes still need (a chain holds about two at a time)', () => {
    const script = `
      // Load the runtime's TypeScript source directly, compiled on the fly.
      const ts = require('typescript');
      require.extensions['.ts'] = (module, file) => module._compile(
        ts.transpileModule(require('fs').readFileSync(file, 'utf8'), {
          compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true }
        }).outputText, file);
      const { Driver } = require(${JSON.stringify(join(__dirname, '..', 'src'))});
      const MB = 1024 * 1024;
      const fns = {};
      let peak = 0;
      let baseline = -1;
      for (let i = 0; i < 30; i++) {
        const previous = i === 0 ? 'seed' : 'n' + (i - 1);
        fns['n' + i] = new Function('measure', 'return function n' + i + '(' + previous + ') { return measure(' + previous + '); }')(
          () => {
            global.gc();
            const now = process.memoryUsage().arrayBuffers;
            if (baseline < 0) baseline = now; // what the process holds before the first node
            peak = Math.max(peak, now - baseline);
            return new Float64Array((10 * MB) / 8).fill(i);
          }
        );
      }
      Driver.fromFunctions(fns).execute(['n29'], { inputs: { seed: 0 } }).then(out => {
        process.stdout.write(JSON.stringify({ peakMB: peak / MB, last: out.n29[0] }));
      });
    `;
    const output = execFileSync(process.execPath, ['--expose-gc', '-e', script], {
      cwd: join(__dirname, '..'),
      encoding: 'utf8'
    });
    const { peakMB, last } = JSON.parse(output);
    expect(last).toBe(29);
    // While node i runs, its argument (node i-1's value) is alive; everything older must be gone.
    // (Less a few kilobytes the process held before the first node and freed since.)
    expect(peakMB).toBeGreaterThan(9.9);
    expect(peakMB).toBeLessThan(25);
  });
});

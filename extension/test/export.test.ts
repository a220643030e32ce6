import { readFileSync } from 'fs';
import { join } from 'path';

import { exportNotebook, hashText, readNotebook } from '../../kernel-helpers/src/export';
import { decideWrite } from '../src/export/safety';
import { summarize } from '../src/export/summary';
import { normalizeTarget, notebookFromTarget, targetFor, targetProblem } from '../src/export/target';

/**
 * The export command's decisions, apart from JupyterLab: where the module goes,
 * whether it may be written without asking, and what the dialog says.
 */
describe('where the module goes', () => {
  it.each([
    ['orders.ipynb', '{stem}.ts', 'orders.ts'],
    ['work/orders.ipynb', '{stem}.ts', 'work/orders.ts'],
    ['work/orders.ipynb', 'pipelines/{stem}_flow.ts', 'work/pipelines/orders_flow.ts'],
    ['work/orders.ipynb', '../pipelines/{stem}.ts', 'pipelines/orders.ts'],
    ['work/orders.ipynb', '/src/{stem}.ts', 'src/orders.ts'],
    ['work/my.orders.ipynb', '{stem}.ts', 'work/my.orders.ts']
  ])('%s with the pattern %s goes to %s', (notebook, pattern, target) => {
    expect(targetFor(notebook, pattern)).toBe(target);
  });

  it.each([
    ['', 'Give a path for the module file.'],
    ['../outside.ts', '../outside.ts is outside the folder the server serves.'],
    ['work/orders.py', 'work/orders.py: the module is TypeScript; give a file name ending in .ts.'],
    ['work/', 'work/: the module is TypeScript; give a file name ending in .ts.'],
    ['work/orders.ipynb', 'work/orders.ipynb: the module is TypeScript; give a file name ending in .ts.']
  ])('refuses the path %j, saying why', (path, message) => {
    expect(targetProblem(path)).toBe(message);
  });

  it('takes .ts, .mts and .cts files, and a path typed with a leading slash', () => {
    expect(['a.ts', 'b/c.mts', '/d.cts'].map(p => targetProblem(p))).toEqual([undefined, undefined, undefined]);
    expect(normalizeTarget(' /work/./lib/../orders.ts ')).toBe('work/orders.ts');
  });

  it('names the notebook, in the header and for relative imports, as the module\'s folder sees it', () => {
    expect(notebookFromTarget('work/orders.ipynb', 'work/orders.ts')).toEqual({ notebook: 'orders.ipynb', notebookDir: '.' });
    expect(notebookFromTarget('work/orders.ipynb', 'pipelines/orders.ts')).toEqual({
      notebook: '../work/orders.ipynb',
      notebookDir: '../work'
    });
    expect(notebookFromTarget('orders.ipynb', 'src/flows/orders.ts')).toEqual({ notebook: '../../orders.ipynb', notebookDir: '../..' });
  });
});

describe('whether the module may be written without asking', () => {
  const text = '// module v2\n';
  const base = { target: 'orders.ts', text, hash: hashText };

  it('writes when there is no file', () => {
    expect(decideWrite({ ...base, existing: undefined })).toEqual({ action: 'write' });
  });

  it('writes nothing when the file already holds the module', () => {
    expect(decideWrite({ ...base, existing: text })).toEqual({ action: 'unchanged' });
  });

  it("replaces this notebook's last export when nobody changed it since", () => {
    const previous = '// module v1\n';
    expect(decideWrite({ ...base, existing: previous, record: { target: 'orders.ts', hash: hashText(previous) } })).toEqual({
      action: 'write'
    });
  });

  it('asks when the file changed on disk since this notebook exported it', () => {
    const decision = decideWrite({ ...base, existing: '// edited by hand\n', record: { target: 'orders.ts', hash: hashText('// module v1\n') } });
    expect(decision).toEqual({
      action: 'ask',
      reason: 'edited',
      message: 'orders.ts changed on disk since this notebook last exported it. Overwrite the changes with the new export?'
    });
  });

  it('asks when a file exists that this notebook never wrote, saying which notebook generated it', () => {
    expect(decideWrite({ ...base, existing: 'export const x = 1;\n' })).toMatchObject({
      action: 'ask',
      reason: 'foreign',
      message: 'orders.ts already exists, and this notebook did not write it. Overwrite it with the export?'
    });
    const other = decideWrite({
      ...base,
      existing: '// another module\n',
      record: { target: 'elsewhere.ts', hash: hashText('// another module\n') },
      generatedFrom: 'other.ipynb'
    });
    expect(other).toMatchObject({ action: 'ask', reason: 'foreign' });
    expect((other as { message: string }).message).toContain('(its header says it was generated from other.ipynb)');
  });
});

describe('what the export dialog says', () => {
  const fixtures = join(__dirname, '..', '..', 'kernel-helpers', 'test', 'fixtures', 'export');
  const exportOf = (name: string) =>
    exportNotebook(readNotebook(readFileSync(join(fixtures, `${name}.ipynb`), 'utf8'), name), { notebook: `${name}.ipynb` });

  it('lists functions exported, helpers kept, types, constants, redefinitions, imports, cells skipped and statements left out', () => {
    const sections = summarize(exportOf('sensors'));
    expect(sections.map(s => [s.id, s.items.length])).toEqual([
      ['functions', 6],
      ['helpers', 1],
      ['types', 2],
      ['values', 3],
      ['redefinitions', 3],
      ['imports', 2],
      ['skipped', 1],
      ['left-out', 13]
    ]);
    const byId = Object.fromEntries(sections.map(s => [s.id, s.items]));
    expect(byId.redefinitions).toContain('valid_readings: cell 8 (over cell 3)');
    expect(byId.skipped).toEqual(['cell 6']);
    expect(byId['left-out']).toContain('cell 4, line 3: console.log(sample.length, "readings"); (exploration)');
    expect(byId['left-out']).toContain('cell 11, line 1: import { Driver } from "dagcells"; (import nothing kept uses)');
  });

  it('shows problems first, each naming the function, the value and the cell', () => {
    const [first] = summarize(exportOf('problems'));
    expect(first).toMatchObject({ id: 'problems', problem: true });
    expect(first.items).toHaveLength(4);
    expect(first.items[0]).toMatch(/^function above \(cell 3\) uses data, which only exploration computes/);
  });

  it('shows why a notebook cannot be exported', () => {
    const result = exportOf('broken');
    expect(result.text).toBeUndefined();
    expect(summarize(result)[0].items[0]).toMatch(/^cell 2 does not parse: line 1:/);
  });
});

import { opensAsDocument, savedFile, serverPath } from '../src/panel/artifact';

describe('a saver\'s file, as JupyterLab names it', () => {
  test('an absolute path inside the server root is named from the root', () => {
    expect(serverPath('/srv/lab/work/output/p.csv', '/srv/lab', 'work/nb.ipynb')).toBe('work/output/p.csv');
    expect(serverPath('/srv/lab/p.csv', '/srv/lab/', 'nb.ipynb')).toBe('p.csv');
  });

  test('a relative path is taken from the notebook\'s folder, where the kernel runs', () => {
    expect(serverPath('output/p.csv', '/srv/lab', 'work/nb.ipynb')).toBe('work/output/p.csv');
    expect(serverPath('./output/../p.csv', '/srv/lab', 'nb.ipynb')).toBe('p.csv');
  });

  test('a file outside the served folder has no name there', () => {
    expect(serverPath('/tmp/p.csv', '/srv/lab', 'nb.ipynb')).toBeUndefined();
    expect(serverPath('/srv/labx/p.csv', '/srv/lab', 'nb.ipynb')).toBeUndefined();
    expect(serverPath('../../p.csv', '/srv/lab', 'work/nb.ipynb')).toBeUndefined();
  });

  test('a root given with ~ and Windows paths', () => {
    expect(serverPath('/home/ana/lab/p.csv', '~/lab', 'nb.ipynb')).toBe('p.csv');
    expect(serverPath('/home/ana/p.csv', '~', 'nb.ipynb')).toBe('p.csv');
    expect(serverPath('C:\\Users\\ana\\lab\\out\\p.csv', 'c:/Users/ana/lab', 'nb.ipynb')).toBe('out/p.csv');
  });

  test('the file is read from the saver\'s result; parquet is shown in the file browser', () => {
    const json = JSON.stringify({ path: '/srv/lab/p.parquet', format: 'parquet', bytes: 10, rows: 1 });
    expect(savedFile({ kind: 'object', text: '{…}', entries: [], totalKeys: 4, json })).toEqual({ path: '/srv/lab/p.parquet', format: 'parquet' });
    expect(savedFile({ kind: 'number', text: '1', json: '1' })).toBeUndefined();
    expect(opensAsDocument('csv')).toBe(true);
    expect(opensAsDocument('parquet')).toBe(false);
  });
});

import { spawnSync } from 'child_process';

import { generateAirflowDag, readDagHeader, schemaOf } from '../src/airflow';
import type { AirflowDagOptions, DagNode } from '../src/airflow';

/**
 * The DAG generator as a pure function: graph and task assignment in, DAG
 * file text (or every problem) out. Python's own parser reads the files.
 */
const fn = (name: string, dependencies: string[] = [], extra: Partial<DagNode> = {}): DagNode => ({
  name,
  kind: 'function',
  dependencies,
  optionalDependencies: [],
  ...extra
});
const input = (name: string, type?: string): DagNode => ({ name, kind: 'input', type, dependencies: [], optionalDependencies: [] });

/** raw -> a -> b -> c, and a -> d; c and d are the final outputs. */
const chain: DagNode[] = [input('raw', 'number[]'), fn('a', ['raw']), fn('b', ['a']), fn('c', ['b']), fn('d', ['a'])];

const options = (extra: Partial<AirflowDagOptions> = {}): AirflowDagOptions => ({
  graph: { nodes: chain },
  dagId: 'chain',
  module: { from: 'dag-folder', path: 'chain.ts' },
  command: ['node', { from: 'dag-folder', path: 'node_modules/dagcells/dist/cli/bin.js' }],
  artifacts: { from: 'dag-folder', path: 'artifacts' },
  moduleLabel: 'chain.ts',
  ...extra
});

/** Python's ast of a file: its statements' structure with every string constant listed apart. */
function pythonStructure(text: string): { structure: string; strings: string[] } {
  const script = `
import ast, json, sys
tree = ast.parse(sys.stdin.read())
strings = []
class Blank(ast.NodeTransformer):
    def visit_Constant(self, node):
        if isinstance(node.value, str):
            strings.append(node.value)
            return ast.Constant(value="")
        return node
print(json.dumps({"structure": ast.dump(Blank().visit(tree)), "strings": strings}))
`;
  const result = spawnSync('python3', ['-c', script], { input: text, encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`Python cannot parse the file:\n${result.stderr}`);
  }
  return JSON.parse(result.stdout);
}

describe('generateAirflowDag', () => {
  it('makes one task for every output no other node needs when no task is given', () => {
    const dag = generateAirflowDag(options());
    expect(dag.problems).toEqual([]);
    expect(dag.tasks).toEqual([
      { id: 'dataflow', outputs: ['c', 'd'], reads: [], computes: ['a', 'b', 'd', 'c'], sharedComputes: [], inputs: ['raw'] }
    ]);
    expect(dag.text).toContain('from airflow.sdk import DAG, Param');
    expect(dag.text).toContain('    dataflow = BashOperator(task_id="dataflow", bash_command=COMMAND)');
    expect(dag.text).not.toContain('>>');
    pythonStructure(dag.text as string);
  });

  it('orders tasks by what they read from each other, reading values instead of computing them again', () => {
    const dag = generateAirflowDag(options({ tasks: [{ name: 'last', outputs: ['c'] }, { name: 'first', outputs: ['a'] }, { name: 'mid', outputs: ['b', 'd'] }] }));
    expect(dag.problems).toEqual([]);
    expect(dag.tasks.map(t => [t.id, t.reads, t.computes])).toEqual([
      ['first', [], ['a']],
      ['mid', [{ task: 'first', values: ['a'] }], ['b', 'd']],
      ['last', [{ task: 'mid', values: ['b'] }], ['c']]
    ]);
    expect(dag.text).toContain('    "mid": {"outputs": ["b", "d"], "reads": ["first"], "inputs": []},');
    expect(dag.text).toMatch(/ {4}first >> mid\n {4}mid >> last\n$/);
  });

  it('computes a value two tasks need and neither delivers in each, and says so', () => {
    const dag = generateAirflowDag(options({ tasks: [{ name: 't1', outputs: ['c'] }, { name: 't2', outputs: ['d'] }] }));
    expect(dag.tasks.map(t => [t.id, t.reads, t.sharedComputes])).toEqual([
      ['t1', [], [{ node: 'a', alsoIn: ['t2'] }]],
      ['t2', [], [{ node: 'a', alsoIn: ['t1'] }]]
    ]);
    const comments = (dag.text as string).replace(/\n {4}# /g, ' ');
    expect(comments).toContain(' t1: delivers c. Computes on the way: b. Also computes a, which no task delivers and t2 computes too.');
  });

  it('says which final outputs no task delivers', () => {
    const dag = generateAirflowDag(options({ tasks: [{ name: 'only', outputs: ['c'] }] }));
    expect(dag.undelivered).toEqual(['d']);
    expect(dag.text).toContain('# No task delivers d, which no other node needs.');
  });

  it('makes one task per function with --task-per-node, ids made Airflow ids', () => {
    const nodes = [input('raw'), fn('$price', ['raw']), fn('_price', ['$price']), fn('total', ['_price'])];
    const dag = generateAirflowDag(options({ graph: { nodes }, taskPerNode: true }));
    expect(dag.problems).toEqual([]);
    expect(dag.tasks.map(t => [t.id, t.outputs, t.reads.map(r => r.task)])).toEqual([
      ['_price', ['$price'], []],
      ['_price_2', ['_price'], ['_price']],
      ['total', ['total'], ['_price_2']]
    ]);
    expect(dag.text).toContain('    _price = BashOperator(task_id="_price", bash_command=COMMAND)');
    expect(dag.text).toContain('    _price_2 = BashOperator(task_id="_price_2", bash_command=COMMAND)');
  });

  it('computes savers and loaders like functions: a loader reaches its path input, a saver is delivered', () => {
    // orders_path -> load_orders (loader) -> orders; orders -> report -> save_report (saver, with report_path)
    const nodes: DagNode[] = [
      input('orders_path', 'string'),
      input('report_path', 'string'),
      fn('load_orders', ['orders_path'], { kind: 'loader' }),
      fn('orders', ['load_orders']),
      fn('report', ['orders']),
      fn('save_report', ['report', 'report_path'], { kind: 'saver' })
    ];
    const monolith = generateAirflowDag(options({ graph: { nodes } }));
    expect(monolith.problems).toEqual([]);
    expect(monolith.tasks).toEqual([
      {
        id: 'dataflow',
        outputs: ['save_report'],
        reads: [],
        computes: ['load_orders', 'orders', 'report', 'save_report'],
        sharedComputes: [],
        inputs: ['orders_path', 'report_path']
      }
    ]);
    const split = generateAirflowDag(options({ graph: { nodes }, tasks: [{ name: 'load', outputs: ['load_orders'] }, { name: 'write', outputs: ['save_report'] }] }));
    expect(split.problems).toEqual([]);
    expect(split.tasks.map(t => [t.id, t.reads, t.inputs])).toEqual([
      ['load', [], ['orders_path']],
      ['write', [{ task: 'load', values: ['load_orders'] }], ['report_path']]
    ]);
    expect(generateAirflowDag(options({ graph: { nodes }, taskPerNode: true })).tasks.map(t => t.id)).toEqual(['load_orders', 'orders', 'report', 'save_report']);
  });

  it('refuses a split whose tasks would wait for each other, naming the tasks and the values', () => {
    const dag = generateAirflowDag(options({ tasks: [{ name: 'x', outputs: ['a', 'c'] }, { name: 'y', outputs: ['b'] }] }));
    expect(dag.text).toBeUndefined();
    expect(dag.problems).toEqual([
      {
        message: 'tasks x and y would wait for each other: x reads b from y; y reads a from x. Move those nodes so that values flow one way between tasks (or put them in one task).',
        tasks: ['x', 'y'],
        nodes: ['b', 'a']
      }
    ]);
  });

  it('lists every problem of a task assignment at once', () => {
    const dag = generateAirflowDag(
      options({
        dagId: 'no spaces',
        tasks: [
          { name: 'one', outputs: ['a', 'cc'] },
          { name: 'two', outputs: ['a', 'raw'] },
          { name: 'empty', outputs: [] },
          { name: 'bad/name', outputs: ['d'] }
        ],
        inputs: { raw: [1], rew: [2] }
      })
    );
    expect(dag.text).toBeUndefined();
    expect(dag.problems.map(p => p.message)).toEqual([
      'the DAG id "no spaces" is not one Airflow accepts: use letters, digits, _, . and - (at most 250).',
      "the task one asks for cc, which is not a node of the module. Did you mean 'c'?",
      'a is assigned to two tasks, one and two; a node is delivered by one task.',
      'the task two asks for raw, which is an external input, not computed: it is a param of the DAG.',
      'the task empty has no outputs; give them as --task empty=OUT1,OUT2.',
      'the task name "bad/name" is not an Airflow task id: use letters, digits, _, . and - (at most 250).',
      '--inputs: rew is not an external input of the module (inputs are the parameters no function produces).'
    ]);
  });

  it('gives config keys and inputs as typed params with their defaults, required when none is given', () => {
    const nodes = [
      { name: 'region', kind: 'config' as const, type: 'string', dependencies: [], optionalDependencies: [] },
      input('raw', 'number[]'),
      input('rows', 'Row[]'),
      input('when', 'Date'),
      input('scale'),
      fn('a', ['raw', 'region', 'rows', 'when'], { optionalDependencies: ['scale'] })
    ];
    const dag = generateAirflowDag(
      options({ graph: { nodes }, config: { region: 'US' }, inputs: { raw: [1, 2] }, types: [{ name: 'Row', definition: '{ id: number; tag?: "a" | "b" }' }] })
    );
    expect(dag.problems).toEqual([]);
    const params = dag.text?.split('\n').filter(l => l.includes(': Param('));
    expect(params).toEqual([
      '        "region": Param("US", type="string", description="config key (string), read by a"),',
      '        "raw": Param([1, 2], type="array", items={"type": "number"}, description="external input (number[]), read by a"),',
      '        "rows": Param(type="array", items={"type": "object", "properties": {"id": {"type": "number"}, "tag": {"enum": ["a", "b"]}}, "required": ["id"]}, description="external input (Row[]), read by a"),',
      '        "when": Param(description="external input (Date), read by a"),',
      '        "scale": Param(None, description="optional external input (null leaves it out), read by a"),'
    ]);
    expect(dag.text).toContain('CONFIG = ["region"]\n');
    expect(dag.text).toContain('OPTIONAL = ["scale"]\n');
  });

  it('maps TypeScript types to JSON schemas where they map, and to none where they do not', () => {
    expect(schemaOf('readonly string[]')).toEqual({ type: 'array', items: { type: 'string' } });
    expect(schemaOf('"US" | "EU"')).toEqual({ enum: ['US', 'EU'] });
    expect(schemaOf('number | null')).toEqual({ type: ['number', 'null'] });
    expect(schemaOf('Record<string, number>')).toEqual({ type: 'object', additionalProperties: { type: 'number' } });
    expect(schemaOf('[number, string]')).toEqual({ type: 'array', prefixItems: [{ type: 'number' }, { type: 'string' }], minItems: 2, maxItems: 2 });
    expect(schemaOf('Map<string, number>')).toBeUndefined();
    expect(schemaOf('bigint')).toBeUndefined();
    expect(schemaOf('{ when: Date }')).toBeUndefined();
  });

  it('writes hostile names, paths and values only as Python strings and comments, exactly', () => {
    const evil = 'x"""\n\u2028\'{{ 7*7 }}{% raw %}\\\u0000\r\u0085\ud83d\ude00\ud800$(rm -rf ~)\u202e\u2066`';
    const evilNodes = [input('raw'), fn('$a', ['raw'], { doc: evil }), fn('b', ['$a'])];
    const plain = generateAirflowDag(
      options({
        graph: { nodes: [input('raw'), fn('a0', ['raw']), fn('b', ['a0'])] },
        module: { from: 'absolute', path: '/tmp/m.ts' },
        command: ['node', { from: 'dag-folder', path: 'bin.js' }],
        artifacts: { from: 'absolute', path: '/tmp/a' },
        inputs: { raw: 'v' },
        config: { k: 'v' },
        recipe: 'r'
      })
    );
    const hostile = generateAirflowDag(
      options({
        graph: { nodes: evilNodes },
        dagId: 'evil',
        moduleLabel: evil,
        module: { from: 'absolute', path: `/tmp/${evil}.ts` },
        command: [evil, { from: 'dag-folder', path: evil }],
        artifacts: { from: 'absolute', path: evil },
        inputs: { raw: evil },
        config: { [evil]: evil },
        recipe: JSON.stringify({ evil })
      })
    );
    expect(hostile.problems).toEqual([]);
    const a = pythonStructure(plain.text as string);
    const b = pythonStructure(hostile.text as string);
    // The same program: only string constants differ, and the hostile ones arrive whole.
    expect(b.structure).toBe(a.structure);
    const strings = b.strings.map(s => s.replace(/[\ud800-\udfff]/g, c => c)); // Python gives lone surrogates back as such
    expect(strings).toEqual(expect.arrayContaining([evil, `/tmp/${evil}.ts`, 'The dataflow of ' + evil + ', run by dagcells in one task.']));
    // Comments hold the text escaped on one line each: every line of the file is one Python line.
    const lines = (hostile.text as string).split('\n');
    expect(lines.filter(l => l.startsWith('# DAG evil'))).toHaveLength(1);
    expect((hostile.text as string).match(/[\r\u2028\u2029\u0085\u0000]/)).toBeNull();
    const header = readDagHeader(hostile.text as string);
    expect(header && [header.intact, JSON.parse(header.recipe as string)]).toEqual([true, { evil }]);
    // No comment line carries a bidirectional or zero-width control, which would make it read differently than it runs.
    expect(lines.filter(l => l.trimStart().startsWith('#') && /[\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069]/.test(l))).toEqual([]);
  });

  it('tells an edit of the first line, the module named there, from an untouched file', () => {
    const made = generateAirflowDag(options({ moduleLabel: 'pipeline.ts' }));
    const text = made.text as string;
    expect(readDagHeader(text)?.intact).toBe(true);
    const [first, ...rest] = text.split('\n');
    const edited = [first.replace('pipeline.ts', 'other.ts'), ...rest].join('\n');
    expect(readDagHeader(edited)).toMatchObject({ module: 'other.ts', intact: false });
  });
});

/**
 * The DAGs the driver benchmark runs, as plain data that both the JavaScript
 * and the Python side turn into functions: a list of nodes in topological
 * order, each naming the nodes it depends on. Every node is trivial (the sum
 * of its arguments plus one), so what is measured is the machinery around the
 * calls, not the calls.
 */

/** The one external input every DAG starts from. */
export const SEED = 'seed';

/** Width of the lattice: each layer has this many nodes. */
export const LATTICE_WIDTH = 100;

/**
 * @typedef {{ name: string, deps: string[] }} NodeSpec
 * @typedef {{ shape: string, size: number, nodes: NodeSpec[], outputs: string[] }} Dag
 */

/** `n0(seed)`, `n1(n0)`, ...: every node waits for the one before. */
function chain(size) {
  const nodes = [];
  for (let i = 0; i < size; i++) {
    nodes.push({ name: `n${i}`, deps: [i === 0 ? SEED : `n${i - 1}`] });
  }
  return { nodes, outputs: [`n${size - 1}`] };
}

/** `size - 1` leaves of the seed, all feeding one sink with `size - 1` parameters. */
function fanIn(size) {
  const nodes = [];
  for (let i = 0; i < size - 1; i++) {
    nodes.push({ name: `x${i}`, deps: [SEED] });
  }
  nodes.push({ name: 'total', deps: nodes.map(n => n.name) });
  return { nodes, outputs: ['total'] };
}

/**
 * Layers of {@link LATTICE_WIDTH} nodes; a node depends on its three neighbours
 * in the layer above (wrapping at the edges), the first layer on the seed. The
 * last layer is requested, so every node runs.
 */
function lattice(size) {
  const layers = Math.ceil(size / LATTICE_WIDTH);
  const name = (layer, i) => `l${layer}_${i}`;
  const nodes = [];
  for (let layer = 0; layer < layers; layer++) {
    for (let i = 0; i < LATTICE_WIDTH; i++) {
      const deps =
        layer === 0
          ? [SEED]
          : [...new Set([i - 1, i, i + 1].map(j => (j + LATTICE_WIDTH) % LATTICE_WIDTH))].map(j => name(layer - 1, j));
      nodes.push({ name: name(layer, i), deps });
    }
  }
  const last = layers - 1;
  return { nodes, outputs: nodes.slice(last * LATTICE_WIDTH).map(n => n.name) };
}

const SHAPES = { chain, 'fan-in': fanIn, lattice };

/** The shapes' names, in report order. */
export const SHAPE_NAMES = Object.keys(SHAPES);

/** @returns {Dag} */
export function makeDag(shape, size) {
  const make = SHAPES[shape];
  if (!make) {
    throw new Error(`unknown DAG shape '${shape}'; the shapes are ${SHAPE_NAMES.join(', ')}.`);
  }
  return { shape, size, ...make(size) };
}

/** The body every node shares, in a syntax JavaScript and Python both read. */
export function sumBody(deps) {
  return `${deps.join(' + ')} + 1`;
}

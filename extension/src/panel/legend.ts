/** The panel's legend: what the shapes (kinds) and colours (states) mean. */

const KINDS: [string, string][] = [
  ['function', 'function'],
  ['input', 'external input'],
  ['config', 'config']
];

const STATES: [string, string][] = [
  ['unrun', 'not run in this kernel'],
  ['stale', 'changed since it ran'],
  ['running', 'running'],
  ['ok', 'ran, up to date'],
  ['error', 'failed'],
  ['conflict', 'defined twice']
];

export function legend(): HTMLElement {
  const details = document.createElement('details');
  details.className = 'jp-DagcellsLegend';
  const summary = document.createElement('summary');
  summary.textContent = 'Legend';
  details.append(summary);
  const list = document.createElement('div');
  list.className = 'jp-DagcellsLegend-items';
  for (const [kind, label] of KINDS) {
    list.append(item('kind', kind, label));
  }
  for (const [state, label] of STATES) {
    list.append(item('state', state, label));
  }
  const edge = document.createElement('span');
  edge.className = 'jp-DagcellsLegend-item';
  edge.innerHTML = '<span class="jp-DagcellsLegend-swatch jp-DagcellsLegend-mismatch"></span>';
  edge.append('types disagree');
  list.append(edge);
  details.append(list);
  return details;
}

function item(attribute: 'kind' | 'state', value: string, label: string): HTMLElement {
  const span = document.createElement('span');
  span.className = 'jp-DagcellsLegend-item';
  const swatch = document.createElement('span');
  swatch.className = 'jp-DagcellsLegend-swatch';
  swatch.dataset[attribute] = value;
  span.append(swatch, label);
  return span;
}

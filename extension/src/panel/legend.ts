/**
 * The panel's legend: what the box styles (kinds) and marks (states) mean,
 * drawn with the graph's own elements and styles so it always matches.
 */
import { foldPaths, isArtifactKind, KIND_MARKS, STATE_MARKS, STROKED_MARKS, stateWords } from '../view/marks';

const SVG = 'http://www.w3.org/2000/svg';

const KINDS: [string, string][] = [
  ['function', 'function'],
  ['input', 'external input'],
  ['config', 'config'],
  ['saver', 'saver (writes a file)'],
  ['loader', 'loader (reads a file)']
];

const STATES = ['unrun', 'stale', 'running', 'ok', 'cached', 'error', 'conflict'];

export function legend(): HTMLElement {
  const details = document.createElement('details');
  details.className = 'jp-DagcellsLegend';
  const summary = document.createElement('summary');
  summary.textContent = 'Legend';
  details.append(summary);
  const list = document.createElement('div');
  list.className = 'jp-DagcellsLegend-items';
  for (const [kind, label] of KINDS) {
    list.append(item(kind, 'unrun', label, false));
  }
  // A config variant the config does not choose: dimmed, never run (its tooltip says which config picks it).
  const unchosen = item('function', 'unrun', 'variant not chosen', false);
  unchosen.querySelector('g')?.setAttribute('data-variant', 'unchosen');
  unchosen.setAttribute('data-dagcells-legend', 'unchosen');
  list.append(unchosen);
  for (const state of STATES) {
    list.append(item('function', state, stateWords(state), true));
  }
  const warned = item('function', 'ok', 'a warn check failed', true);
  warned.querySelector('g')?.setAttribute('data-warning', 'check');
  list.append(warned);
  const edge = document.createElement('span');
  edge.className = 'jp-DagcellsLegend-item';
  const line = document.createElement('span');
  line.className = 'jp-DagcellsLegend-mismatch';
  edge.append(line, 'types disagree');
  list.append(edge);
  details.append(list);
  return details;
}

/** A small box drawn as the graph draws a node of this kind and state. */
function item(kind: string, state: string, label: string, withMark: boolean): HTMLElement {
  const span = document.createElement('span');
  span.className = 'jp-DagcellsLegend-item';
  const artifact = isArtifactKind(kind);
  const wide = withMark || artifact;
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('width', wide ? '26' : '20');
  svg.setAttribute('height', '14');
  svg.setAttribute('aria-hidden', 'true');
  const g = document.createElementNS(SVG, 'g');
  g.setAttribute('class', 'jp-DagcellsGraph-node');
  g.setAttribute('data-kind', kind);
  g.setAttribute('data-state', state);
  const rect = document.createElementNS(SVG, 'rect');
  rect.setAttribute('class', 'jp-DagcellsGraph-box');
  rect.setAttribute('x', '1');
  rect.setAttribute('y', '1');
  rect.setAttribute('width', wide ? '24' : '18');
  rect.setAttribute('height', '12');
  rect.setAttribute('rx', '3');
  g.append(rect);
  if (artifact) {
    // As the graph draws a saver or loader: the corner folded, the glyph at the right.
    const { cut, fold } = foldPaths(24, 12, 5);
    for (const [cls, d, transform] of [
      ['jp-DagcellsGraph-cut', cut, 'translate(13,7)'],
      ['jp-DagcellsGraph-fold', fold, 'translate(13,7)'],
      ['jp-DagcellsGraph-kind', KIND_MARKS[kind], 'translate(18,7) scale(0.8)']
    ]) {
      const path = document.createElementNS(SVG, 'path');
      path.setAttribute('class', cls);
      path.setAttribute('d', d);
      path.setAttribute('transform', transform);
      g.append(path);
    }
  }
  if (withMark) {
    const mark = document.createElementNS(SVG, 'path');
    mark.setAttribute('class', `jp-DagcellsGraph-mark${STROKED_MARKS.has(state) ? ' jp-mod-stroked' : ''}`);
    mark.setAttribute('d', STATE_MARKS[state]);
    mark.setAttribute('transform', 'translate(13,7) scale(0.8)');
    g.append(mark);
  }
  svg.append(g);
  span.append(svg, label);
  return span;
}

/**
 * Results in the panel: a value preview as readable DOM. Tables page through
 * every row the kernel sent, with columns as wide as their content and
 * numbers kept whole and right-aligned; arrays, maps and objects unfold level
 * by level; long strings fold. The same rendering fills the larger view.
 */
import type { ValuePreview } from 'dagcells/kernel';

/** Rows on one page of a table: the panel's own, and the larger view's. */
export const PAGE_ROWS = { panel: 20, large: 50 };
/** A string longer than this folds, showing its start. */
const FOLD_CHARS = 120;

/** A rich rendering of a preview: a paged table for records, an unfolding tree otherwise. */
export function renderPreview(preview: ValuePreview, pageRows = PAGE_ROWS.panel): HTMLElement {
  if (preview.kind === 'table') {
    return renderTable(preview, pageRows);
  }
  return renderTree(preview, 0);
}

/** Whether a preview has more to show than its one-line text. */
export function hasDetail(preview: ValuePreview): boolean {
  switch (preview.kind) {
    case 'table':
      return true;
    case 'array':
      return preview.items.length > 0;
    case 'map':
    case 'set':
    case 'object':
      return preview.entries.length > 0;
    case 'string':
      return preview.text.length > FOLD_CHARS;
    default:
      return false;
  }
}

function renderTable(preview: Extract<ValuePreview, { kind: 'table' }>, pageRows: number): HTMLElement {
  const wrap = element('div', 'jp-DagcellsPreview-table');
  const scroller = element('div', 'jp-DagcellsPreview-scroller');
  const table = document.createElement('table');
  const numeric = preview.columns.map((_, c) => preview.rows.length > 0 && preview.rows.every(row => isNumberText(row[c])));
  const head = table.createTHead().insertRow();
  preview.columns.forEach((column, c) => {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = column;
    th.classList.toggle('jp-mod-number', numeric[c]);
    head.appendChild(th);
  });
  const body = table.createTBody();
  scroller.append(table);
  const pager = element('div', 'jp-DagcellsPreview-pager');
  const previous = button('‹ Previous', 'previous');
  const next = button('Next ›', 'next');
  const where = element('span', 'jp-DagcellsPreview-where');
  where.setAttribute('aria-live', 'polite');
  where.setAttribute('data-dagcells-page', '');
  pager.append(previous, where, next);
  const pages = Math.max(1, Math.ceil(preview.rows.length / pageRows));
  let page = 0;
  const show = () => {
    body.replaceChildren();
    const from = page * pageRows;
    const rows = preview.rows.slice(from, from + pageRows);
    for (const row of rows) {
      const tr = body.insertRow();
      row.forEach((cell, c) => {
        const td = tr.insertCell();
        td.textContent = cell;
        td.classList.toggle('jp-mod-number', numeric[c]);
      });
    }
    const sent = preview.rows.length < preview.totalRows ? ` (the first ${preview.rows.length} of ${preview.totalRows} were sent)` : '';
    where.textContent =
      preview.rows.length === 0 ? 'no rows' : `rows ${from + 1}–${from + rows.length} of ${preview.totalRows}${sent}`;
    previous.disabled = page === 0;
    next.disabled = page >= pages - 1;
  };
  previous.addEventListener('click', () => {
    page = Math.max(0, page - 1);
    show();
  });
  next.addEventListener('click', () => {
    page = Math.min(pages - 1, page + 1);
    show();
  });
  show();
  wrap.append(scroller);
  if (pages > 1 || preview.rows.length < preview.totalRows) {
    wrap.append(pager);
  }
  return wrap;
}

/** A value that unfolds: containers as nested details, the first level open. */
function renderTree(preview: ValuePreview, depth: number): HTMLElement {
  const children = childrenOf(preview);
  if (children) {
    const details = document.createElement('details');
    details.className = 'jp-DagcellsPreview-node';
    // The result's one-line text is shown above: the top level offers its parts, folded.
    const summary = document.createElement('summary');
    summary.textContent = depth === 0 ? `${children.length + moreOf(preview)} ${preview.kind === 'object' ? 'fields' : 'items'}` : preview.text;
    details.append(summary);
    const list = element('div', 'jp-DagcellsPreview-children');
    // Built when first opened: a deep value costs nothing until looked at.
    const fill = () => {
      if (list.childElementCount > 0) {
        return;
      }
      for (const [key, child] of children) {
        const row = element('div', 'jp-DagcellsPreview-entry');
        const label = element('span', 'jp-DagcellsPreview-key');
        label.textContent = `${key}: `;
        row.append(label, renderTree(child, depth + 1));
        list.append(row);
      }
      const more = moreOf(preview);
      if (more > 0) {
        const note = element('div', 'jp-DagcellsPreview-more');
        note.textContent = `… ${more} more`;
        list.append(note);
      }
    };
    if (details.open) {
      fill();
    }
    details.addEventListener('toggle', fill);
    details.append(list);
    return details;
  }
  if (preview.kind === 'string' && preview.text.length > FOLD_CHARS) {
    const details = document.createElement('details');
    details.className = 'jp-DagcellsPreview-node jp-DagcellsPreview-string';
    const summary = document.createElement('summary');
    summary.textContent = `${JSON.stringify(preview.text.slice(0, FOLD_CHARS - 1))}… (${preview.text.length} characters)`;
    const full = element('div', 'jp-DagcellsPreview-text');
    full.textContent = preview.text;
    details.append(summary, full);
    return details;
  }
  const text = element('span', `jp-DagcellsPreview-text jp-DagcellsPreview-${preview.kind}`);
  text.textContent = preview.kind === 'string' ? JSON.stringify(preview.text) : preview.text;
  return text;
}

function childrenOf(preview: ValuePreview): [string, ValuePreview][] | undefined {
  switch (preview.kind) {
    case 'array':
      return preview.items.length > 0 ? preview.items.map((item, i) => [String(i), item]) : undefined;
    case 'object':
      return preview.entries.length > 0 ? preview.entries : undefined;
    case 'map':
      return preview.entries.length > 0 ? preview.entries.map(([k, v]) => [k.kind === 'string' ? JSON.stringify(k.text) : k.text, v]) : undefined;
    case 'set':
      return preview.entries.length > 0 ? preview.entries.map(([, v], i) => [String(i), v]) : undefined;
    default:
      return undefined;
  }
}

function moreOf(preview: ValuePreview): number {
  switch (preview.kind) {
    case 'array':
      return preview.length - preview.items.length;
    case 'object':
      return preview.totalKeys - preview.entries.length;
    case 'map':
    case 'set':
      return preview.size - preview.entries.length;
    default:
      return 0;
  }
}

function isNumberText(text: string | undefined): boolean {
  return text !== undefined && text !== '' && (/^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text) || text === 'NaN' || /^-?Infinity$/.test(text));
}

function element(tag: string, className: string): HTMLElement {
  const el = document.createElement(tag);
  el.className = className;
  return el;
}

function button(label: string, action: string): HTMLButtonElement {
  const el = document.createElement('button');
  el.type = 'button';
  el.className = 'jp-DagcellsPreview-pageButton';
  el.textContent = label;
  el.setAttribute('data-dagcells-page-action', action);
  return el;
}

/** Results in the panel: a value preview as compact, readable DOM. */
import type { ValuePreview } from 'dagcells/kernel';

/** A rich rendering of a preview: a table for records, lists for arrays, the text otherwise. */
export function renderPreview(preview: ValuePreview): HTMLElement {
  if (preview.kind === 'table') {
    const wrap = document.createElement('div');
    wrap.className = 'jp-DagcellsPreview-table';
    const table = document.createElement('table');
    const head = table.createTHead().insertRow();
    for (const column of preview.columns) {
      const th = document.createElement('th');
      th.textContent = column;
      head.appendChild(th);
    }
    const body = table.createTBody();
    for (const row of preview.rows) {
      const tr = body.insertRow();
      for (const cell of row) {
        tr.insertCell().textContent = cell;
      }
    }
    wrap.appendChild(table);
    if (preview.totalRows > preview.rows.length) {
      const more = document.createElement('div');
      more.className = 'jp-DagcellsPreview-more';
      more.textContent = `${preview.rows.length} of ${preview.totalRows} rows`;
      wrap.appendChild(more);
    }
    return wrap;
  }
  const pre = document.createElement('div');
  pre.className = `jp-DagcellsPreview-text jp-DagcellsPreview-${preview.kind}`;
  pre.textContent = preview.text;
  return pre;
}

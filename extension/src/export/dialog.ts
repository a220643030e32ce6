/**
 * The export dialog's body: the module's path, editable, and what the module
 * will hold, with the problems first. Tests find its parts by data attributes.
 */
import type { Dialog } from '@jupyterlab/apputils';
import { Widget } from '@lumino/widgets';

import type { SummarySection } from './summary';

export namespace ExportBody {
  export interface IOptions {
    /** The module path to propose. */
    target: string;
    sections: SummarySection[];
    /** Why the path given last time will not do, if it would not. */
    pathProblem?: string;
    /** True when no module can be made: the path is shown, not editable. */
    blocked: boolean;
  }
}

/** The body of the export dialog; its value is the module path. */
export class ExportBody extends Widget implements Dialog.IBodyWidget<string> {
  private readonly input: HTMLInputElement;

  constructor(options: ExportBody.IOptions) {
    super();
    this.addClass('jp-DagcellsExport-body');
    this.node.dataset.dagcellsDialog = 'export';
    const label = document.createElement('label');
    label.className = 'jp-DagcellsExport-path';
    label.textContent = 'Module file';
    this.input = document.createElement('input');
    this.input.className = 'jp-mod-styled';
    this.input.value = options.target;
    this.input.spellcheck = false;
    this.input.disabled = options.blocked;
    this.input.dataset.dagcellsExport = 'path';
    label.appendChild(this.input);
    this.node.appendChild(label);
    if (options.pathProblem) {
      const problem = document.createElement('p');
      problem.className = 'jp-DagcellsExport-pathProblem';
      problem.dataset.dagcellsExport = 'path-problem';
      problem.textContent = options.pathProblem;
      this.node.appendChild(problem);
    }
    for (const section of options.sections) {
      this.node.appendChild(renderSection(section));
    }
  }

  getValue(): string {
    return this.input.value;
  }
}

function renderSection(section: SummarySection): HTMLElement {
  const node = document.createElement('section');
  node.className = 'jp-DagcellsExport-section';
  node.classList.toggle('jp-mod-problem', section.problem === true);
  node.dataset.dagcellsExportSection = section.id;
  const title = document.createElement('h3');
  title.textContent = `${section.title} (${section.items.length})`;
  const list = document.createElement('ul');
  for (const item of section.items) {
    const entry = document.createElement('li');
    entry.textContent = item;
    list.appendChild(entry);
  }
  node.append(title, list);
  return node;
}

/**
 * The run section of the panel: the outputs picked, one field per external
 * input they need (with its declared type), Execute and Stop, then results,
 * errors and the graph's problems. It renders a model view and reports what the
 * user does; it never runs anything itself (the buttons are commands).
 */
import { Clipboard, Dialog, showDialog } from '@jupyterlab/apputils';
import type { ValuePreview } from 'dagcells/kernel';
import { Widget } from '@lumino/widgets';

import type { ModelView } from '../model/graph-model';
import { opensAsDocument, savedFile } from './artifact';
import { hasDetail, PAGE_ROWS, renderPreview } from './preview';

export namespace RunSection {
  export interface ICallbacks {
    setInput(name: string, text: string): void;
    /** A config field changed. */
    setConfig(key: string, text: string): void;
    execute(): void;
    interrupt(): void;
    /** Shows a cell (by id), from a link in a message. */
    showCell(cellId: string): void;
    /** Shows a node in the graph. */
    showNode(name: string): void;
    /** A file path on the kernel's machine as JupyterLab names it (relative to the server root); undefined outside it. */
    fileOf?(path: string): string | undefined;
    /** Opens a file JupyterLab names so (or shows it in the file browser when it is no document it opens). */
    openFile?(path: string, format: string): void;
  }
}

export class RunSection {
  readonly node: HTMLElement;
  private readonly outputs: HTMLElement;
  private readonly inputs: HTMLElement;
  private readonly executeButton: HTMLButtonElement;
  private readonly stopButton: HTMLButtonElement;
  private readonly message: HTMLElement;
  private readonly results: HTMLElement;
  private readonly errors: HTMLElement;
  private readonly problems: HTMLElement;
  private readonly fields = new Map<string, HTMLInputElement>();
  private readonly configSection: HTMLElement;
  private readonly configFields = new Map<string, HTMLInputElement>();
  private lastResults: ModelView['results'] | undefined;

  constructor(private readonly callbacks: RunSection.ICallbacks) {
    this.node = element('section', 'jp-DagcellsRun');
    this.node.setAttribute('aria-label', 'Run outputs');
    this.outputs = element('div', 'jp-DagcellsRun-outputs');
    this.inputs = element('div', 'jp-DagcellsRun-inputs');
    const buttons = element('div', 'jp-DagcellsRun-buttons');
    this.executeButton = button('Execute', 'execute', 'jp-mod-accept');
    this.executeButton.title = 'Run the selected outputs and what they need in the kernel';
    this.stopButton = button('Stop', 'interrupt', 'jp-mod-warn');
    this.stopButton.title = 'Interrupt the run';
    this.executeButton.addEventListener('click', () => this.callbacks.execute());
    this.stopButton.addEventListener('click', () => this.callbacks.interrupt());
    buttons.append(this.executeButton, this.stopButton);
    this.message = element('div', 'jp-DagcellsRun-message');
    this.message.setAttribute('role', 'status');
    this.message.setAttribute('data-dagcells-message', '');
    this.results = element('div', 'jp-DagcellsRun-results');
    this.errors = element('div', 'jp-DagcellsRun-errors');
    this.errors.setAttribute('role', 'alert');
    this.problems = element('div', 'jp-DagcellsRun-problems');
    this.configSection = element('div', 'jp-DagcellsRun-config');
    this.configSection.setAttribute('data-dagcells-config-section', '');
    this.node.append(this.configSection, this.outputs, this.inputs, buttons, this.message, this.errors, this.results, this.problems);
  }

  render(view: ModelView): void {
    this.renderConfig(view);
    this.renderOutputs(view);
    this.renderInputs(view);
    this.executeButton.disabled = view.running || view.loading;
    this.stopButton.style.display = view.running ? '' : 'none';
    this.message.textContent = view.message?.text ?? '';
    this.message.dataset.kind = view.message?.kind ?? '';
    this.renderErrors(view);
    if (view.results !== this.lastResults) {
      this.renderResults(view);
      this.lastResults = view.results;
    }
    this.renderProblems(view);
  }

  private renderOutputs(view: ModelView): void {
    const { outputs } = view.plan;
    this.outputs.replaceChildren();
    if (outputs.length === 0) {
      this.outputs.append(text('span', 'Click nodes in the graph to pick the outputs to compute.', 'jp-DagcellsRun-hint'));
      return;
    }
    this.outputs.append(text('span', 'Outputs:', 'jp-DagcellsRun-label'));
    for (const name of outputs) {
      const chip = text('button', name, 'jp-DagcellsRun-chip');
      chip.title = `${name} (click to find it in the graph)`;
      chip.addEventListener('click', () => this.callbacks.showNode(name));
      this.outputs.append(chip);
    }
  }

  /** One field per config key the notebook's modifiers read; a change picks the variants again at once. */
  private renderConfig(view: ModelView): void {
    const keys = new Set(view.configKeys);
    for (const [key, field] of this.configFields) {
      if (!keys.has(key)) {
        field.closest('label')?.remove();
        this.configFields.delete(key);
      }
    }
    const title = this.configSection.querySelector('.jp-DagcellsRun-inputsTitle');
    if (keys.size === 0) {
      title?.remove();
    } else if (!title) {
      this.configSection.prepend(text('div', 'Config (JSON, or plain text for a string)', 'jp-DagcellsRun-inputsTitle'));
    }
    for (const key of view.configKeys) {
      let field = this.configFields.get(key);
      if (!field) {
        const label = element('label', 'jp-DagcellsRun-input');
        const caption = element('span', 'jp-DagcellsRun-inputName');
        caption.append(text('span', key));
        field = document.createElement('input');
        field.className = 'jp-mod-styled jp-DagcellsRun-field';
        field.setAttribute('data-dagcells-config', key);
        field.spellcheck = false;
        field.autocomplete = 'off';
        field.placeholder = 'config value';
        field.title = `config ${key}: picks the variants of the nodes whose config.when reads it`;
        field.addEventListener('input', event => this.callbacks.setConfig(key, (event.target as HTMLInputElement).value));
        label.append(caption, field);
        this.configSection.append(label);
        this.configFields.set(key, field);
      }
      const value = view.configText.get(key) ?? '';
      if (document.activeElement !== field && field.value !== value) {
        field.value = value;
      }
    }
  }

  /** Fields are kept by name, so typing in one is never interrupted by a re-render. */
  private renderInputs(view: ModelView): void {
    const wanted = view.plan.inputs;
    const names = new Set(wanted.map(i => i.name));
    for (const [name, field] of this.fields) {
      if (!names.has(name)) {
        field.closest('label')?.remove();
        this.fields.delete(name);
      }
    }
    if (wanted.length > 0 && !this.inputs.querySelector('.jp-DagcellsRun-inputsTitle')) {
      this.inputs.prepend(text('div', 'Inputs (JSON, or plain text for a string)', 'jp-DagcellsRun-inputsTitle'));
    }
    if (wanted.length === 0) {
      this.inputs.querySelector('.jp-DagcellsRun-inputsTitle')?.remove();
    }
    wanted.forEach(input => {
      let field = this.fields.get(input.name);
      if (!field) {
        const label = element('label', 'jp-DagcellsRun-input');
        const caption = element('span', 'jp-DagcellsRun-inputName');
        caption.append(text('span', input.name), text('span', input.required ? '' : ' (optional)', 'jp-DagcellsRun-optional'));
        field = document.createElement('input');
        field.className = 'jp-mod-styled jp-DagcellsRun-field';
        field.setAttribute('data-dagcells-input', input.name);
        field.spellcheck = false;
        field.autocomplete = 'off';
        const name = input.name;
        field.addEventListener('input', event => this.callbacks.setInput(name, (event.target as HTMLInputElement).value));
        field.addEventListener('keydown', event => {
          if (event.key === 'Enter') {
            event.preventDefault();
            this.callbacks.execute();
          }
        });
        label.append(caption, field);
        this.inputs.append(label);
        this.fields.set(input.name, field);
      }
      field.placeholder = input.type ?? 'any value';
      const absent = view.absent.get(input.name);
      field.title = `${input.name}${input.type ? `: ${input.type}` : ''}, needed by ${input.consumers.join(', ')}${absent ? `. ${absent}` : ''}`;
      const value = view.inputText.get(input.name) ?? '';
      if (document.activeElement !== field && field.value !== value) {
        field.value = value;
      }
      field.classList.toggle('jp-mod-error', view.errors.has(input.name));
      field.setAttribute('aria-invalid', String(view.errors.has(input.name)));
    });
  }

  private renderResults(view: ModelView): void {
    this.results.replaceChildren();
    for (const [name, preview] of view.results) {
      const row = element('div', 'jp-DagcellsRun-result');
      const head = element('div', 'jp-DagcellsRun-resultHead');
      head.append(text('span', name, 'jp-DagcellsRun-resultName'));
      const ms = view.runs.get(name)?.ms;
      if (ms !== undefined) {
        head.append(text('span', `${ms < 1 ? '<1' : Math.round(ms)} ms`, 'jp-DagcellsRun-resultTime'));
      }
      const actions = element('span', 'jp-DagcellsRun-resultActions');
      const copy = text('button', 'Copy JSON', 'jp-DagcellsRun-resultAction') as HTMLButtonElement;
      copy.setAttribute('data-dagcells-result-action', 'copy');
      copy.setAttribute('aria-label', `Copy ${name} as JSON`);
      if (preview.json === undefined) {
        copy.disabled = true;
        copy.title = 'This value has no JSON form the panel could receive (too large, or not plain data).';
      } else {
        copy.title = 'Copy the value as JSON';
        const json = preview.json;
        copy.addEventListener('click', () => {
          Clipboard.copyToSystem(json);
          copy.textContent = 'Copied';
          setTimeout(() => (copy.textContent = 'Copy JSON'), 1500);
        });
      }
      const large = text('button', 'Larger view', 'jp-DagcellsRun-resultAction');
      large.setAttribute('data-dagcells-result-action', 'enlarge');
      large.setAttribute('aria-label', `Show ${name} in a larger view`);
      large.addEventListener('click', () => void showLarger(name, preview));
      actions.append(copy, large);
      head.append(actions);
      const value = text('div', preview.text, 'jp-DagcellsRun-resultValue');
      value.setAttribute('data-dagcells-result', name);
      row.append(head, value);
      const saved = view.graph.nodes.get(name)?.role === 'saver' ? savedFile(preview) : undefined;
      if (saved) {
        row.append(this.artifactLink(name, saved));
      }
      if (hasDetail(preview)) {
        row.append(renderPreview(preview));
      }
      this.results.append(row);
    }
  }

  /** Where a saver wrote, as a link that opens the file (or shows it in the file browser). */
  private artifactLink(name: string, saved: { path: string; format: string }): HTMLElement {
    const line = element('div', 'jp-DagcellsRun-artifact');
    line.append(text('span', 'Written to ', 'jp-DagcellsRun-artifactLabel'));
    const relative = this.callbacks.fileOf?.(saved.path);
    const link = text('button', relative || saved.path, 'jp-DagcellsRun-artifactLink') as HTMLButtonElement;
    link.setAttribute('data-dagcells-artifact', name);
    if (relative === undefined || relative === '' || !this.callbacks.openFile) {
      link.disabled = true;
      link.title = `${saved.path} lies outside the folder JupyterLab serves: it cannot be opened from here.`;
    } else {
      const document = opensAsDocument(saved.format);
      link.title = document ? `Open ${relative}` : `Show ${relative} in the file browser (JupyterLab does not open ${saved.format} files)`;
      const open = this.callbacks.openFile;
      link.addEventListener('click', () => open(relative, saved.format));
    }
    line.append(link);
    return line;
  }

  private renderErrors(view: ModelView): void {
    this.errors.replaceChildren();
    for (const [name, message] of view.errors) {
      const row = element('div', 'jp-DagcellsRun-error');
      const label = text('button', name, 'jp-DagcellsRun-errorName');
      label.title = 'Show in the graph';
      label.addEventListener('click', () => this.callbacks.showNode(name));
      const body = text('span', message, 'jp-DagcellsRun-errorText');
      body.setAttribute('data-dagcells-error', name);
      row.append(label, body);
      const origin = view.graph.nodes.get(name)?.origins.at(-1);
      if (origin?.cellId) {
        const link = text('button', `cell ${origin.cellIndex ?? ''}`.trim(), 'jp-DagcellsRun-cellLink');
        link.title = 'Show the cell';
        const cellId = origin.cellId;
        link.addEventListener('click', () => this.callbacks.showCell(cellId));
        row.append(link);
      }
      this.errors.append(row);
    }
  }

  private renderProblems(view: ModelView): void {
    this.problems.replaceChildren();
    const items: HTMLElement[] = [];
    for (const problem of view.graph.problems) {
      const row = element('div', 'jp-DagcellsRun-problem');
      row.dataset.code = problem.code;
      row.append(text('span', problem.code.replace('_', ' ').toLowerCase(), 'jp-DagcellsRun-problemCode'), text('span', problem.message));
      // One link per cell: a cycle within one cell names that cell once.
      const cells = new Set<string>();
      for (const origin of problem.origins) {
        if (origin.cellId && !cells.has(origin.cellId)) {
          cells.add(origin.cellId);
          const cellId = origin.cellId;
          const link = text('button', `cell ${origin.cellIndex ?? '?'}`, 'jp-DagcellsRun-cellLink');
          link.addEventListener('click', () => this.callbacks.showCell(cellId));
          row.append(link);
        }
      }
      items.push(row);
    }
    // A node only config variants define, none of which applies: which config would define it.
    for (const [name, message] of view.absent) {
      const row = element('div', 'jp-DagcellsRun-problem');
      row.dataset.code = 'NO_VARIANT';
      row.setAttribute('data-dagcells-absent', name);
      row.append(text('span', 'no variant', 'jp-DagcellsRun-problemCode'), text('span', message));
      items.push(row);
    }
    for (const problem of view.cellProblems) {
      const row = element('div', 'jp-DagcellsRun-problem');
      row.dataset.code = 'SOURCE';
      row.append(
        text('span', 'source', 'jp-DagcellsRun-problemCode'),
        text(
          'span',
          `cell ${problem.cellIndex}${problem.line ? `, line ${problem.line}` : ''}: ${problem.message}` +
            (problem.more > 0 ? ` (and ${problem.more} more in this cell)` : '')
        )
      );
      const link = text('button', 'show', 'jp-DagcellsRun-cellLink');
      link.addEventListener('click', () => this.callbacks.showCell(problem.cellId));
      row.append(link);
      items.push(row);
    }
    if (items.length > 0) {
      this.problems.append(text('div', 'Problems', 'jp-DagcellsRun-problemsTitle'), ...items);
    }
  }
}

/** A result in a dialog of its own, with room for wide tables and deep values. */
async function showLarger(name: string, preview: ValuePreview): Promise<void> {
  const body = new Widget();
  body.addClass('jp-DagcellsLarger');
  body.node.setAttribute('data-dagcells-larger', name);
  const summary = text('div', preview.text, 'jp-DagcellsRun-resultValue');
  body.node.append(summary);
  if (hasDetail(preview)) {
    body.node.append(renderPreview(preview, PAGE_ROWS.large));
  }
  await showDialog({ title: name, body, buttons: [Dialog.okButton({ label: 'Close' })] });
}

function element(tag: string, className: string): HTMLElement {
  const el = document.createElement(tag);
  el.className = className;
  return el;
}

function text(tag: string, content: string, className = ''): HTMLElement {
  const el = element(tag, className);
  el.textContent = content;
  if (tag === 'button') {
    (el as HTMLButtonElement).type = 'button';
  }
  return el;
}

function button(label: string, action: string, className: string): HTMLButtonElement {
  const el = text('button', label, `jp-Button jp-mod-styled ${className}`) as HTMLButtonElement;
  el.setAttribute('data-dagcells-action', action);
  return el;
}

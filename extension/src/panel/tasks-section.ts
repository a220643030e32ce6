/**
 * The Airflow tasks of the panel: the user names a task and assigns the nodes
 * selected in the graph to it (each task a colour on the graph); the section
 * shows the Airflow task graph those tasks make, by the library's splitter
 * (order, what each reads from the others, values computed in more than one),
 * or why they cannot make one, and exports the DAG file. Moving a node to
 * another task changes only which outputs each task requests.
 */
import { select } from 'd3-selection';

import type { ModelView } from '../model/graph-model';
import { TASK_COLOURS, taskColour } from '../view/graph-view';

export namespace TasksSection {
  export interface ICallbacks {
    /** Puts the selected nodes in the task; returns why nothing was done. */
    assign(task: string): string | undefined;
    /** Takes the selected nodes out of their tasks. */
    unassign(): void;
    remove(task: string): void;
    /** Selects a task's outputs in the graph. */
    pick(task: string): void;
    exportDag(): void;
  }
}

interface Placed {
  id: string;
  x: number;
  y: number;
  width: number;
  colour: number;
}

const BOX_HEIGHT = 22;
const ROW_GAP = 18;

export class TasksSection {
  readonly node: HTMLDetailsElement;
  private readonly nameField: HTMLInputElement;
  private readonly names: HTMLDataListElement;
  private readonly assignButton: HTMLButtonElement;
  private readonly unassignButton: HTMLButtonElement;
  private readonly message: HTMLElement;
  private readonly list: HTMLElement;
  private readonly graph: SVGSVGElement;
  private readonly problems: HTMLElement;
  private readonly notes: HTMLElement;
  private readonly markerId: string;
  private lastKey = '';
  private opened = false;

  constructor(private readonly callbacks: TasksSection.ICallbacks) {
    this.node = document.createElement('details');
    this.node.className = 'jp-DagcellsTasks';
    this.node.setAttribute('data-dagcells-tasks-section', '');
    const summary = document.createElement('summary');
    summary.textContent = 'Airflow tasks';
    summary.title = 'Group the functions into Airflow tasks and export the DAG';
    this.node.append(summary);
    this.node.addEventListener('toggle', () => {
      this.opened = this.node.open;
    });

    const row = element('div', 'jp-DagcellsTasks-assign');
    this.nameField = document.createElement('input');
    this.nameField.className = 'jp-mod-styled jp-DagcellsTasks-name';
    this.nameField.setAttribute('data-dagcells-task-name', '');
    this.nameField.setAttribute('aria-label', 'Task name');
    this.nameField.placeholder = 'task name';
    this.nameField.spellcheck = false;
    this.nameField.autocomplete = 'off';
    this.names = document.createElement('datalist');
    this.names.id = `jp-DagcellsTasks-names-${++sections}`;
    this.nameField.setAttribute('list', this.names.id);
    this.assignButton = button('Assign selected', 'assign-task', 'Put the nodes selected in the graph in this task');
    this.unassignButton = button('Unassign', 'unassign-task', 'Take the nodes selected in the graph out of their tasks');
    const assign = () => {
      const why = this.callbacks.assign(this.nameField.value);
      this.say(why ?? '', why ? 'error' : '');
    };
    this.assignButton.addEventListener('click', assign);
    this.nameField.addEventListener('keydown', event => {
      if (event.key === 'Enter') {
        event.preventDefault();
        assign();
      }
    });
    this.unassignButton.addEventListener('click', () => {
      this.callbacks.unassign();
      this.say('', '');
    });
    row.append(this.nameField, this.names, this.assignButton, this.unassignButton);

    this.message = element('div', 'jp-DagcellsTasks-message');
    this.message.setAttribute('role', 'status');
    this.message.setAttribute('data-dagcells-task-message', '');
    this.list = element('ol', 'jp-DagcellsTasks-list');
    this.list.setAttribute('aria-label', 'Airflow tasks, in the order they run');
    this.graph = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    this.graph.setAttribute('class', 'jp-DagcellsTasks-graph');
    this.graph.setAttribute('role', 'img');
    this.graph.setAttribute('data-dagcells-task-graph', '');
    this.markerId = `jp-DagcellsTasks-arrow-${sections}`;
    select(this.graph)
      .append('defs')
      .append('marker')
      .attr('id', this.markerId)
      .attr('viewBox', '0 0 10 10')
      .attr('refX', 9)
      .attr('refY', 5)
      .attr('markerWidth', 6)
      .attr('markerHeight', 6)
      .attr('orient', 'auto')
      .append('path')
      .attr('class', 'jp-DagcellsTasks-arrow')
      .attr('d', 'M 0 0 L 10 5 L 0 10 z');
    this.problems = element('div', 'jp-DagcellsTasks-problems');
    this.problems.setAttribute('role', 'alert');
    this.notes = element('div', 'jp-DagcellsTasks-notes');
    const exportButton = button('Export Airflow DAG…', 'export-airflow', 'Write the module and an Airflow DAG file for these tasks beside the notebook');
    exportButton.classList.add('jp-DagcellsTasks-export');
    exportButton.addEventListener('click', () => this.callbacks.exportDag());
    this.node.append(row, this.message, this.list, this.graph, this.problems, this.notes, exportButton);
  }

  render(view: ModelView): void {
    // Opened by the user, or once tasks exist (they are part of the notebook then).
    if (view.tasks.length > 0 && !this.opened) {
      this.node.open = true;
      this.opened = true;
    }
    const selected = view.selection.size;
    this.assignButton.disabled = selected === 0;
    this.unassignButton.disabled = ![...view.selection].some(n => view.taskOf.has(n));
    const plan = view.taskPlan;
    const key = JSON.stringify([view.tasks, plan?.tasks.map(t => [t.id, t.reads, t.sharedComputes]), plan?.problems, plan?.undelivered]);
    if (key === this.lastKey) {
      return;
    }
    this.lastKey = key;
    this.names.replaceChildren(...view.tasks.map(t => Object.assign(document.createElement('option'), { value: t.name })));
    this.renderList(view);
    this.renderGraph(view);
    this.problems.replaceChildren(
      ...(plan?.problems ?? []).map(problem => {
        const row = element('div', 'jp-DagcellsTasks-problem');
        row.setAttribute('data-dagcells-task-problem', problem.tasks.join(' '));
        row.textContent = capitalized(problem.message);
        return row;
      })
    );
    const notes: string[] = [];
    if (view.tasks.length === 0) {
      notes.push('Select nodes in the graph, name a task and assign them: each task runs in Airflow and delivers those outputs. With no task, the DAG has one task for everything.');
    } else if (plan && plan.problems.length === 0) {
      for (const task of plan.tasks) {
        for (const shared of task.sharedComputes) {
          notes.push(`${shared.node} is computed in ${task.id} and in ${shared.alsoIn.join(', ')} (no task delivers it).`);
        }
      }
      if (plan.undelivered.length > 0) {
        notes.push(`No task delivers ${plan.undelivered.join(', ')}.`);
      }
    }
    this.notes.replaceChildren(...[...new Set(notes)].map(n => element('div', 'jp-DagcellsTasks-note', n)));
  }

  /** Shows a short message under the assign row (why an assignment was refused). */
  say(text: string, kind: '' | 'error'): void {
    this.message.textContent = text;
    this.message.dataset.kind = kind;
  }

  private renderList(view: ModelView): void {
    const planned = new Map((view.taskPlan?.tasks ?? []).map(t => [t.id, t]));
    const colour = new Map(view.tasks.map((t, i) => [t.name, i % TASK_COLOURS]));
    // In the order they run when they can run; else in the order made.
    const order = planned.size > 0 ? [...planned.keys()] : view.tasks.map(t => t.name);
    this.list.replaceChildren(
      ...order.map(id => {
        const task = view.tasks.find(t => t.name === id);
        const plan = planned.get(id);
        const item = element('li', 'jp-DagcellsTasks-task');
        item.setAttribute('data-dagcells-airflow-task', id);
        item.setAttribute('data-upstream', (plan?.reads ?? []).map(r => r.task).join(' '));
        const swatch = element('span', `jp-DagcellsTasks-swatch jp-mod-task${colour.get(id) ?? 0}`);
        swatch.setAttribute('aria-hidden', 'true');
        swatch.style.setProperty('--jp-DagcellsTask', taskColour(colour.get(id) ?? 0));
        const name = element('button', 'jp-DagcellsTasks-taskName', id);
        name.title = `Select the outputs of ${id} in the graph`;
        name.addEventListener('click', () => this.callbacks.pick(id));
        const outputs = element('span', 'jp-DagcellsTasks-outputs', (task?.outputs ?? []).join(', '));
        const after = plan && plan.reads.length > 0 ? element('span', 'jp-DagcellsTasks-after', `after ${plan.reads.map(r => r.task).join(', ')}`) : undefined;
        const remove = element('button', 'jp-DagcellsTasks-remove', '×');
        remove.title = `Remove the task ${id} (its nodes stay in the graph)`;
        remove.setAttribute('aria-label', `Remove the task ${id}`);
        remove.setAttribute('data-dagcells-action', 'remove-task');
        remove.addEventListener('click', () => this.callbacks.remove(id));
        item.append(swatch, name, ...(after ? [after] : []), remove, outputs);
        return item;
      })
    );
  }

  /** The task graph: tasks in rows by how many tasks run before them, an arrow for each hand-over. */
  private renderGraph(view: ModelView): void {
    const tasks = view.taskPlan?.problems.length === 0 ? view.taskPlan.tasks : [];
    const svg = select(this.graph);
    if (tasks.length === 0) {
      svg.attr('width', 0).attr('height', 0).selectAll('g, line').remove();
      return;
    }
    const colour = new Map(view.tasks.map((t, i) => [t.name, i % TASK_COLOURS]));
    const depth = new Map<string, number>();
    for (const task of tasks) {
      // Tasks come in run order: each one's upstream is placed already.
      depth.set(task.id, Math.max(-1, ...task.reads.map(r => depth.get(r.task) ?? 0)) + 1);
    }
    const rows = new Map<number, string[]>();
    for (const [id, d] of depth) {
      rows.set(d, [...(rows.get(d) ?? []), id]);
    }
    const width = Math.max(160, this.node.clientWidth - 16);
    const placed = new Map<string, Placed>();
    for (const [d, ids] of rows) {
      const slot = width / ids.length;
      ids.forEach((id, i) => {
        const boxWidth = Math.min(slot - 8, id.length * 7 + 20);
        placed.set(id, { id, x: slot * i + slot / 2, y: d * (BOX_HEIGHT + ROW_GAP) + BOX_HEIGHT / 2 + 2, width: boxWidth, colour: colour.get(id) ?? 0 });
      });
    }
    const height = rows.size * (BOX_HEIGHT + ROW_GAP) - ROW_GAP + 4;
    svg
      .attr('width', width)
      .attr('height', height)
      .attr('viewBox', `0 0 ${width} ${height}`)
      .attr('aria-label', `Airflow task graph: ${tasks.map(t => (t.reads.length ? `${t.id} after ${t.reads.map(r => r.task).join(' and ')}` : t.id)).join('; ')}`);
    const edges = tasks.flatMap(t => t.reads.map(r => ({ from: placed.get(r.task) as Placed, to: placed.get(t.id) as Placed, values: r.values })));
    svg
      .selectAll<SVGLineElement, (typeof edges)[number]>('line')
      .data(edges, e => `${e.from.id}->${e.to.id}`)
      .join('line')
      .attr('class', 'jp-DagcellsTasks-edge')
      .attr('data-dagcells-task-edge', e => `${e.from.id}->${e.to.id}`)
      .attr('marker-end', `url(#${this.markerId})`)
      .attr('x1', e => e.from.x)
      .attr('y1', e => e.from.y + BOX_HEIGHT / 2)
      .attr('x2', e => e.to.x)
      .attr('y2', e => e.to.y - BOX_HEIGHT / 2 - 1)
      .selectAll('title')
      .data(e => [e])
      .join('title')
      .text(e => `${e.to.id} reads ${e.values.join(', ')} from ${e.from.id}`);
    const boxes = svg
      .selectAll<SVGGElement, Placed>('g.jp-DagcellsTasks-node')
      .data([...placed.values()], p => p.id)
      .join(enter => {
        const g = enter.append('g');
        g.append('rect').attr('rx', 4).attr('ry', 4);
        g.append('text').attr('text-anchor', 'middle').attr('dominant-baseline', 'central');
        return g;
      })
      .attr('class', p => `jp-DagcellsTasks-node jp-mod-task${p.colour}`)
      .style('--jp-DagcellsTask', p => taskColour(p.colour))
      .attr('data-dagcells-task-node', p => p.id)
      .attr('transform', p => `translate(${p.x},${p.y})`);
    boxes
      .select('rect')
      .attr('x', p => -p.width / 2)
      .attr('y', -BOX_HEIGHT / 2)
      .attr('width', p => p.width)
      .attr('height', BOX_HEIGHT);
    boxes.select('text').text(p => p.id);
    svg.selectAll('line').lower();
  }
}

let sections = 0;

function element(tag: string, className: string, text?: string): HTMLElement {
  const el = document.createElement(tag);
  el.className = className;
  if (text !== undefined) {
    el.textContent = text;
  }
  if (tag === 'button') {
    (el as HTMLButtonElement).type = 'button';
  }
  return el;
}

function button(label: string, action: string, title: string): HTMLButtonElement {
  const el = element('button', 'jp-Button jp-mod-styled jp-DagcellsTasks-button', label) as HTMLButtonElement;
  el.setAttribute('data-dagcells-action', action);
  el.title = title;
  return el;
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

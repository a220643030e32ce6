/**
 * Finding a node by name: a combobox whose list shows the nodes matching what
 * is typed, by substring or fuzzily (fuzzysort), best first, with the matched
 * letters marked. Arrow keys pick in the list, Enter focuses the picked (or
 * best) match in the graph, Escape clears; every match is lit in the graph.
 */
import * as fuzzysort from 'fuzzysort';

export namespace NodeSearch {
  export interface ICallbacks {
    /** The names that match now (an empty set when the query is empty). */
    matched(names: ReadonlySet<string>): void;
    /** Focus a node in the graph. */
    focus(name: string): void;
  }
}

/** Matches shown in the list at most (every match is lit in the graph). */
const SHOWN = 12;

let instances = 0;

export class NodeSearch {
  readonly node: HTMLElement;
  readonly field: HTMLInputElement;
  private readonly list: HTMLUListElement;
  private names: string[] = [];
  private prepared: fuzzysort.Prepared[] = [];
  private results: string[] = [];
  private active = -1;
  private readonly id = `jp-DagcellsSearch-${++instances}`;

  constructor(private readonly callbacks: NodeSearch.ICallbacks) {
    this.node = document.createElement('div');
    this.node.className = 'jp-DagcellsSearch';
    this.field = document.createElement('input');
    this.field.type = 'search';
    this.field.className = 'jp-mod-styled jp-DagcellsPanel-search';
    this.field.placeholder = 'Find a node';
    this.field.spellcheck = false;
    this.field.autocomplete = 'off';
    this.field.setAttribute('aria-label', 'Find a node');
    this.field.setAttribute('role', 'combobox');
    this.field.setAttribute('aria-autocomplete', 'list');
    this.field.setAttribute('aria-expanded', 'false');
    this.field.setAttribute('aria-controls', `${this.id}-list`);
    this.field.setAttribute('data-dagcells-search', '');
    this.list = document.createElement('ul');
    this.list.id = `${this.id}-list`;
    this.list.className = 'jp-DagcellsSearch-list';
    this.list.setAttribute('role', 'listbox');
    this.list.setAttribute('aria-label', 'Matching nodes');
    this.list.setAttribute('data-dagcells-search-results', '');
    this.list.hidden = true;
    this.node.append(this.field, this.list);
    this.field.addEventListener('input', () => this.update());
    this.field.addEventListener('keydown', event => this.onKey(event));
    this.field.addEventListener('blur', () => {
      // A click on the list lands after the blur: close a moment later.
      setTimeout(() => this.close(), 150);
    });
    this.field.addEventListener('focus', () => {
      if (this.field.value.trim()) {
        this.update();
      }
    });
  }

  /** The names to search; the query is matched again when they change. */
  setNames(names: readonly string[]): void {
    if (names.length === this.names.length && names.every((n, i) => n === this.names[i])) {
      return;
    }
    this.names = [...names];
    this.prepared = this.names.map(name => fuzzysort.prepare(name));
    if (this.field.value.trim()) {
      this.update(false);
    }
  }

  /** Empties the query and the marks. */
  clear(): void {
    this.field.value = '';
    this.update();
  }

  /** The names matching a query, best first: names containing it as typed, then fuzzy matches. */
  matches(query: string): fuzzysort.Result[] {
    const q = query.trim();
    if (!q) {
      return [];
    }
    const found = [...fuzzysort.go(q, this.prepared, { limit: 0, threshold: 0 })];
    const lower = q.toLowerCase();
    const contains = (r: fuzzysort.Result) => (r.target.toLowerCase().includes(lower) ? 0 : 1);
    return found.sort((a, b) => contains(a) - contains(b) || b.score - a.score || (a.target < b.target ? -1 : 1));
  }

  private update(open = true): void {
    const results = this.matches(this.field.value);
    this.results = results.map(r => r.target);
    this.active = results.length > 0 ? 0 : -1;
    const query = this.field.value.trim();
    this.field.setAttribute('aria-invalid', String(Boolean(query) && results.length === 0));
    this.field.classList.toggle('jp-mod-error', Boolean(query) && results.length === 0);
    this.list.replaceChildren();
    if (query) {
      if (results.length === 0) {
        const none = document.createElement('li');
        none.className = 'jp-DagcellsSearch-none';
        none.textContent = `No node matches “${query}”`;
        none.setAttribute('role', 'option');
        none.setAttribute('aria-disabled', 'true');
        none.setAttribute('aria-selected', 'false');
        this.list.append(none);
      }
      results.slice(0, SHOWN).forEach((result, i) => this.list.append(this.option(result, i)));
      if (results.length > SHOWN) {
        const more = document.createElement('li');
        more.className = 'jp-DagcellsSearch-none';
        more.setAttribute('role', 'option');
        more.setAttribute('aria-disabled', 'true');
        more.setAttribute('aria-selected', 'false');
        more.textContent = `${results.length - SHOWN} more lit in the graph`;
        this.list.append(more);
      }
    }
    this.showActive();
    if (open) {
      this.list.hidden = !query;
      this.field.setAttribute('aria-expanded', String(!this.list.hidden));
    }
    this.callbacks.matched(new Set(this.results));
  }

  private option(result: fuzzysort.Result, index: number): HTMLLIElement {
    const item = document.createElement('li');
    item.id = `${this.id}-option-${index}`;
    item.className = 'jp-DagcellsSearch-option';
    item.setAttribute('role', 'option');
    item.setAttribute('data-dagcells-search-result', result.target);
    const marked = new Set(result.indexes);
    let run = '';
    let inMark = false;
    const flush = () => {
      if (!run) {
        return;
      }
      if (inMark) {
        const mark = document.createElement('mark');
        mark.textContent = run;
        item.append(mark);
      } else {
        item.append(run);
      }
      run = '';
    };
    [...result.target].forEach((ch, i) => {
      if (marked.has(i) !== inMark) {
        flush();
        inMark = marked.has(i);
      }
      run += ch;
    });
    flush();
    item.addEventListener('mousedown', event => event.preventDefault());
    item.addEventListener('click', () => this.pick(result.target));
    return item;
  }

  private showActive(): void {
    const options = [...this.list.querySelectorAll<HTMLElement>('.jp-DagcellsSearch-option')];
    options.forEach((option, i) => {
      option.setAttribute('aria-selected', String(i === this.active));
      option.classList.toggle('jp-mod-active', i === this.active);
    });
    const active = options[this.active];
    if (active) {
      this.field.setAttribute('aria-activedescendant', active.id);
      active.scrollIntoView?.({ block: 'nearest' });
    } else {
      this.field.removeAttribute('aria-activedescendant');
    }
  }

  private onKey(event: KeyboardEvent): void {
    const shown = Math.min(SHOWN, this.results.length);
    if (event.key === 'ArrowDown' && shown > 0) {
      event.preventDefault();
      this.list.hidden = false;
      this.field.setAttribute('aria-expanded', 'true');
      this.active = (this.active + 1) % shown;
      this.showActive();
    } else if (event.key === 'ArrowUp' && shown > 0) {
      event.preventDefault();
      this.active = (this.active - 1 + shown) % shown;
      this.showActive();
    } else if (event.key === 'Enter') {
      event.preventDefault();
      const name = this.results[Math.max(0, this.active)];
      if (name) {
        this.pick(name);
      }
    } else if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      this.clear();
      this.close();
    }
  }

  private pick(name: string): void {
    this.close();
    this.callbacks.focus(name);
  }

  private close(): void {
    this.list.hidden = true;
    this.field.setAttribute('aria-expanded', 'false');
  }
}

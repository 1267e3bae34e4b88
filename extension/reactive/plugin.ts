/**
 * Reactive cells for TypeScript (tslab) notebooks: a JupyterLab application plugin.
 *
 * Per notebook, toggled from the notebook toolbar ("Reactive") or the command palette and
 * remembered in the notebook metadata (`metadata.divlab.reactive = { enabled, lazy }`):
 * - every code cell is parsed with the TypeScript compiler API (loaded with a dynamic
 *   `import('typescript')` the first time a notebook turns reactive mode on), giving its
 *   definitions and free references (analysis.ts) and the notebook's dependency graph (graph.ts);
 * - when the user runs a cell and it succeeds, its downstream cells re-run in notebook order
 *   through the notebook's kernel, one at a time, stopping at the first error (the rest are marked
 *   blocked) — or, in lazy mode, are only marked stale (schedule.ts);
 * - editing a cell marks it and its downstream stale; "Run stale cells" runs them;
 * - reports (a name defined in two cells, writes to and mutations of another cell's names) are
 *   shown under the cell's input; `// @param name slider(min, max, step)` constants get a slider
 *   above the cell that rewrites the literal and re-runs the dependents.
 *
 * Cell state is shown as `data-divlab-reactive="stale|queued|running|error|blocked"` on the cell
 * node (styled by style.ts); browser tests read the same attribute.
 */
import type { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { CodeCell, type Cell } from '@jupyterlab/cells';
import { INotebookTracker, NotebookActions, type Notebook, type NotebookPanel } from '@jupyterlab/notebook';
import { Widget } from '@lumino/widgets';
import { analyzeCell, type CellAnalysis, type TsModule } from './analysis.js';
import { buildGraph, downstreamOfNames, type Graph } from './graph.js';
import { formatParamValue, type ParamSpec } from './params.js';
import { executePlan, markEdited, mergePlans, staleCells, type CellStatus } from './schedule.js';
import { injectStyle } from './style.js';

export const PLUGIN_ID = 'divlab:reactive';
export const METADATA_KEY = 'divlab';
export const CommandIDs = {
  toggle: 'divlab:reactive-toggle',
  toggleLazy: 'divlab:reactive-toggle-lazy',
  runStale: 'divlab:reactive-run-stale',
} as const;

const ON_CLASS = 'jp-DivlabReactive-on';
const REPORT_CLASS = 'jp-DivlabReactive-report';
const PARAMS_CLASS = 'jp-DivlabReactive-params';

export interface ReactiveSettings {
  enabled: boolean;
  lazy: boolean;
}

/** Reads `metadata.divlab.reactive` (absent or malformed → off, eager). */
export function readSettings(panel: NotebookPanel): ReactiveSettings {
  const md = panel.model?.getMetadata(METADATA_KEY) as { reactive?: Partial<ReactiveSettings> } | undefined;
  const r = md && typeof md === 'object' ? md.reactive : undefined;
  return { enabled: r?.enabled === true, lazy: r?.lazy === true };
}

function writeSettings(panel: NotebookPanel, s: ReactiveSettings): void {
  if (!panel.model) return;
  const md = panel.model.getMetadata(METADATA_KEY);
  const base = md && typeof md === 'object' && !Array.isArray(md) ? md : {};
  panel.model.setMetadata(METADATA_KEY, { ...base, reactive: { enabled: s.enabled, lazy: s.lazy } });
}

let tsPromise: Promise<TsModule> | null = null;
/** The TypeScript compiler, fetched (a separate bundle chunk) on first use only. */
function loadTypeScript(): Promise<TsModule> {
  tsPromise ??= import('typescript').then((m) => ((m as unknown as { default?: TsModule }).default ?? (m as unknown as TsModule)));
  return tsPromise;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

interface Snapshot {
  cells: CodeCell[];
  ids: string[];
  analyses: CellAnalysis[];
  graph: Graph;
}

/** The reactive state and behaviour of one notebook panel. */
export class ReactiveNotebook {
  private ts: TsModule | null = null;
  private settings: ReactiveSettings = { enabled: false, lazy: false };
  private readonly cache = new Map<string, CellAnalysis>();
  private readonly status = new Map<string, CellStatus>();
  private readonly lastRun = new Map<string, number>();
  private seq = 0;
  private triggers: Array<{ id: string; seq: number }> = [];
  private chain: Promise<void> = Promise.resolve();
  private processScheduled = false;
  private renderTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly watched = new WeakSet<object>();
  private readonly selfEdits = new Set<string>();
  private readonly toolbar: ReactiveToolbar;
  private disposed = false;

  constructor(readonly panel: NotebookPanel) {
    this.toolbar = new ReactiveToolbar(this);
    panel.toolbar.insertItem(10, 'divlabReactive', this.toolbar);
    NotebookActions.executed.connect(this.onExecuted, this);
    // A restarted kernel has lost every definition: all code cells are stale until they run again.
    panel.sessionContext.statusChanged.connect((_, st) => {
      if (!this.settings.enabled || (st !== 'restarting' && st !== 'autorestarting')) return;
      const snap = this.snapshot();
      if (snap) this.applyStatus(snap, snap.ids.map(() => 'stale'));
    });
    void panel.context.ready.then(() => {
      if (this.disposed || !panel.model) return;
      panel.model.metadataChanged.connect(this.onMetadata, this);
      panel.model.cells.changed.connect(this.onCellsChanged, this);
      this.onMetadata();
    });
    panel.disposed.connect(() => this.dispose());
  }

  get enabled(): boolean {
    return this.settings.enabled;
  }
  get lazy(): boolean {
    return this.settings.lazy;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    NotebookActions.executed.disconnect(this.onExecuted, this);
    if (this.renderTimer) clearTimeout(this.renderTimer);
  }

  setEnabled(enabled: boolean): void {
    writeSettings(this.panel, { ...readSettings(this.panel), enabled });
  }
  setLazy(lazy: boolean): void {
    writeSettings(this.panel, { ...readSettings(this.panel), lazy });
  }

  private onMetadata(): void {
    const next = readSettings(this.panel);
    const was = this.settings.enabled;
    this.settings = next;
    this.toolbar.sync();
    if (next.enabled && !was) void this.enable();
    else if (!next.enabled && was) this.disable();
  }

  private async enable(): Promise<void> {
    injectStyle();
    this.ts = await loadTypeScript();
    if (!this.settings.enabled || this.disposed) return;
    this.panel.content.node.classList.add(ON_CLASS);
    this.render();
  }

  private disable(): void {
    this.panel.content.node.classList.remove(ON_CLASS);
    this.status.clear();
    for (const cell of this.panel.content.widgets) {
      delete cell.node.dataset.divlabReactive;
      cell.node.querySelectorAll(`.${REPORT_CLASS}, .${PARAMS_CLASS}`).forEach((n) => n.remove());
    }
  }

  // ---------------------------------------------------------------- analysis and graph

  private analyze(source: string): CellAnalysis {
    let a = this.cache.get(source);
    if (!a) {
      a = analyzeCell(this.ts!, source);
      if (this.cache.size > 2000) this.cache.clear();
      this.cache.set(source, a);
    }
    return a;
  }

  /** The code cells in notebook order with their analyses and graph (null while TypeScript loads). */
  snapshot(): Snapshot | null {
    if (!this.ts) return null;
    const all = this.panel.content.widgets;
    const cells: CodeCell[] = [];
    const labels: string[] = [];
    all.forEach((c, k) => {
      if (c.model.type === 'code') {
        cells.push(c as CodeCell);
        labels.push(`cell ${k + 1}`);
      }
    });
    const analyses = cells.map((c) => this.analyze(c.model.sharedModel.getSource()));
    const graph = buildGraph(analyses.map((analysis, i) => ({ analysis, label: labels[i]! })));
    return { cells, ids: cells.map((c) => c.model.id), analyses, graph };
  }

  private statusArray(snap: Snapshot): CellStatus[] {
    return snap.ids.map((id) => this.status.get(id) ?? 'fresh');
  }

  private applyStatus(snap: Snapshot, s: readonly CellStatus[]): void {
    s.forEach((st, i) => this.status.set(snap.ids[i]!, st));
    this.renderStatus(snap);
  }

  // ---------------------------------------------------------------- events

  private onCellsChanged(): void {
    this.scheduleRender();
  }

  private watchCell(cell: Cell): void {
    const shared = cell.model.sharedModel;
    if (this.watched.has(shared)) return;
    this.watched.add(shared);
    shared.changed.connect((_s, change) => {
      if (!this.settings.enabled || !('sourceChange' in change) || !change.sourceChange) return;
      const id = cell.model.id;
      if (this.selfEdits.has(id)) return;
      const snap = this.snapshot();
      const i = snap?.ids.indexOf(id) ?? -1;
      if (!snap || i < 0) return;
      this.applyStatus(snap, markEdited(snap.graph, this.statusArray(snap), i));
      this.scheduleRender();
    });
  }

  private onExecuted(_: unknown, args: { notebook: Notebook; cell: Cell; success: boolean }): void {
    if (args.notebook !== this.panel.content || !this.settings.enabled || args.cell.model.type !== 'code') return;
    const id = args.cell.model.id;
    if (!args.success) {
      this.status.set(id, 'error');
      this.scheduleRender();
      return;
    }
    const seq = ++this.seq;
    this.lastRun.set(id, seq);
    this.status.set(id, 'fresh');
    this.triggers.push({ id, seq });
    if (!this.processScheduled) {
      this.processScheduled = true;
      this.enqueue(() => this.processTriggers());
    }
  }

  private enqueue(job: () => Promise<void>): Promise<void> {
    this.chain = this.chain.then(job).catch((err) => console.error('divlab reactive:', err));
    return this.chain;
  }

  /** Waits until the user's own queued executions (e.g. Run All) are done, then re-runs what is due. */
  private async processTriggers(): Promise<void> {
    await sleep(50);
    while (this.panel.content.widgets.some((c) => c.model.type === 'code' && (c as CodeCell).model.executionState === 'running')) {
      await sleep(100);
    }
    this.processScheduled = false;
    const triggers = this.triggers;
    this.triggers = [];
    const snap = this.snapshot();
    if (!snap || !this.settings.enabled || this.disposed) return;
    const t = triggers.map((x) => ({ cell: snap.ids.indexOf(x.id), seq: x.seq })).filter((x) => x.cell >= 0);
    const lastRun = snap.ids.map((id) => this.lastRun.get(id) ?? -Infinity);
    const plan = mergePlans(snap.graph, t, lastRun);
    if (this.settings.lazy) {
      // Lazy: the cells that ran are fresh; what is due (and did not itself run since) is stale.
      const s = this.statusArray(snap);
      for (const x of t) s[x.cell] = 'fresh';
      for (const k of plan) s[k] = 'stale';
      this.applyStatus(snap, s);
      return;
    }
    await this.runPlan(snap, plan);
  }

  private async runPlan(snap: Snapshot, plan: number[]): Promise<void> {
    if (plan.length === 0) {
      this.renderStatus(snap);
      return;
    }
    await executePlan(plan, this.statusArray(snap), (k) => this.execute(snap.cells[k]!), (s) => this.applyStatus(snap, s));
  }

  /** Runs one cell through the notebook's kernel; true when the kernel replied `ok`. */
  private async execute(cell: CodeCell): Promise<boolean> {
    if (cell.isDisposed) return false;
    const reply = await CodeCell.execute(cell, this.panel.sessionContext, {
      recordTiming: this.panel.content.notebookConfig.recordTiming,
    });
    if (!reply) return false;
    const ok = reply.content.status === 'ok';
    if (ok) this.lastRun.set(cell.model.id, ++this.seq);
    return ok;
  }

  /** "Run stale cells": the stale, blocked and failed cells in notebook order, stopping at an error. */
  runStale(): Promise<void> {
    return this.enqueue(async () => {
      const snap = this.snapshot();
      if (!snap) return;
      await this.runPlan(snap, staleCells(this.statusArray(snap)));
    });
  }

  /**
   * A slider moved: rewrite the literal, then run the cell and the cells downstream of that name
   * (not of the cell's other names; lazy: mark them stale).
   */
  setParam(cellId: string, name: string, value: number): Promise<void> {
    return this.enqueue(async () => {
      const snap = this.snapshot();
      const i = snap?.ids.indexOf(cellId) ?? -1;
      if (!snap || i < 0) return;
      const cell = snap.cells[i]!;
      const spec = snap.analyses[i]!.params.find((p) => p.name === name);
      if (!spec) return;
      const text = formatParamValue(spec, value);
      this.selfEdits.add(cellId);
      try {
        cell.model.sharedModel.updateSource(spec.start, spec.end, text);
      } finally {
        this.selfEdits.delete(cellId);
      }
      const fresh = this.snapshot()!;
      const plan = [i, ...downstreamOfNames(fresh.graph, i, [name])];
      if (this.settings.lazy) {
        const s = this.statusArray(fresh);
        for (const k of plan) s[k] = 'stale';
        this.applyStatus(fresh, s);
        this.scheduleRender();
        return;
      }
      await this.runPlan(fresh, plan);
      this.scheduleRender();
    });
  }

  // ---------------------------------------------------------------- rendering

  private scheduleRender(): void {
    if (this.renderTimer) clearTimeout(this.renderTimer);
    this.renderTimer = setTimeout(() => {
      this.renderTimer = null;
      this.render();
    }, 150);
  }

  /** Re-analyses every cell and redraws reports, sliders and status. */
  render(): void {
    if (!this.settings.enabled || this.disposed) return;
    const snap = this.snapshot();
    if (!snap) return;
    for (const cell of this.panel.content.widgets) this.watchCell(cell);
    snap.cells.forEach((cell, i) => {
      const a = snap.analyses[i]!;
      const lines = [
        ...a.problems.map((p) => (p.kind === 'syntax' ? `syntax error, line ${p.line}: ${p.message}` : p.message)),
        ...snap.graph.reports[i]!.map((r) => r.message),
      ];
      this.renderReport(cell, lines);
      this.renderParams(cell, a.params);
    });
    this.renderStatus(snap);
  }

  private renderStatus(snap: Snapshot): void {
    snap.cells.forEach((cell, i) => {
      const s = this.status.get(snap.ids[i]!) ?? 'fresh';
      if (s === 'fresh') delete cell.node.dataset.divlabReactive;
      else cell.node.dataset.divlabReactive = s;
      cell.node.title = s === 'fresh' ? '' : `divlab reactive: ${s}`;
    });
    this.toolbar.setStaleCount(snap.ids.filter((id) => {
      const s = this.status.get(id);
      return s === 'stale' || s === 'blocked' || s === 'error';
    }).length);
  }

  private renderReport(cell: CodeCell, lines: string[]): void {
    let node = cell.node.querySelector<HTMLElement>(`:scope > .${REPORT_CLASS}`);
    if (lines.length === 0) {
      node?.remove();
      return;
    }
    if (!node) {
      node = document.createElement('div');
      node.className = REPORT_CLASS;
      const anchor = cell.inputArea?.node.parentElement;
      if (anchor && anchor.parentElement === cell.node) anchor.after(node);
      else cell.node.appendChild(node);
    }
    const text = lines.join('\n');
    if (node.dataset.text === text) return;
    node.dataset.text = text;
    node.replaceChildren(...lines.map((l) => {
      const d = document.createElement('div');
      d.textContent = l;
      return d;
    }));
  }

  private renderParams(cell: CodeCell, params: readonly ParamSpec[]): void {
    let node = cell.node.querySelector<HTMLElement>(`:scope > .${PARAMS_CLASS}`);
    if (params.length === 0) {
      node?.remove();
      return;
    }
    const key = JSON.stringify(params.map((p) => [p.name, p.min, p.max, p.step, p.value]));
    if (node && node.dataset.key === key) return;
    if (!node) {
      node = document.createElement('div');
      node.className = PARAMS_CLASS;
      const anchor = cell.inputArea?.node.parentElement;
      if (anchor && anchor.parentElement === cell.node) anchor.before(node);
      else cell.node.prepend(node);
    }
    node.dataset.key = key;
    const cellId = cell.model.id;
    node.replaceChildren(...params.map((p) => {
      const label = document.createElement('label');
      label.className = 'jp-DivlabReactive-param';
      label.dataset.param = p.name;
      const name = document.createElement('span');
      name.textContent = p.name;
      const input = document.createElement('input');
      input.type = 'range';
      input.min = String(p.min);
      input.max = String(p.max);
      input.step = String(p.step);
      input.value = String(p.value);
      input.setAttribute('aria-label', `${p.name} (divlab @param)`);
      const out = document.createElement('output');
      out.textContent = formatParamValue(p, p.value);
      input.addEventListener('input', () => {
        out.textContent = formatParamValue(p, Number(input.value));
      });
      input.addEventListener('change', () => {
        void this.setParam(cellId, p.name, Number(input.value));
      });
      label.append(name, input, out);
      return label;
    }));
  }
}

/** The notebook-toolbar item: Reactive on/off, lazy on/off, Run stale (n). */
class ReactiveToolbar extends Widget {
  private readonly enabledBox: HTMLInputElement;
  private readonly lazyBox: HTMLInputElement;
  private readonly runButton: HTMLButtonElement;

  constructor(private readonly owner: ReactiveNotebook) {
    super();
    this.addClass('jp-DivlabReactive-toolbar');
    const mk = (text: string, title: string): [HTMLLabelElement, HTMLInputElement] => {
      const label = document.createElement('label');
      label.title = title;
      const box = document.createElement('input');
      box.type = 'checkbox';
      label.append(box, document.createTextNode(text));
      return [label, box];
    };
    const [l1, b1] = mk('Reactive', 'divlab: re-run dependent cells when a cell runs (saved in the notebook)');
    const [l2, b2] = mk('lazy', 'divlab: mark dependent cells stale instead of running them');
    this.enabledBox = b1;
    this.lazyBox = b2;
    b1.classList.add('jp-DivlabReactive-enabled');
    b2.classList.add('jp-DivlabReactive-lazy');
    this.runButton = document.createElement('button');
    this.runButton.className = 'jp-DivlabReactive-runStale jp-mod-styled';
    this.runButton.title = 'divlab: run the stale cells in notebook order';
    b1.addEventListener('change', () => owner.setEnabled(b1.checked));
    b2.addEventListener('change', () => owner.setLazy(b2.checked));
    this.runButton.addEventListener('click', () => void owner.runStale());
    this.node.append(l1, l2, this.runButton);
    this.setStaleCount(0);
    this.sync();
  }

  sync(): void {
    this.enabledBox.checked = this.owner.enabled;
    this.lazyBox.checked = this.owner.lazy;
    this.lazyBox.disabled = !this.owner.enabled;
    this.runButton.hidden = !this.owner.enabled;
  }

  setStaleCount(n: number): void {
    this.runButton.textContent = `Run stale (${n})`;
    this.runButton.disabled = n === 0;
  }
}

const plugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description: 'Reactive TypeScript cells: dependent cells re-run (or are marked stale) when a cell they use changes.',
  autoStart: true,
  requires: [INotebookTracker],
  optional: [ICommandPalette],
  activate: (app: JupyterFrontEnd, tracker: INotebookTracker, palette: ICommandPalette | null): void => {
    const controllers = new WeakMap<NotebookPanel, ReactiveNotebook>();
    tracker.widgetAdded.connect((_, panel) => {
      controllers.set(panel, new ReactiveNotebook(panel));
    });
    tracker.forEach((panel) => {
      if (!controllers.has(panel)) controllers.set(panel, new ReactiveNotebook(panel));
    });
    const current = (): ReactiveNotebook | undefined => {
      const p = tracker.currentWidget;
      return p ? controllers.get(p) : undefined;
    };
    app.commands.addCommand(CommandIDs.toggle, {
      label: 'Reactive Cells (divlab)',
      caption: 'Re-run dependent TypeScript cells when a cell runs; saved in the notebook metadata',
      isToggled: () => current()?.enabled ?? false,
      isEnabled: () => current() !== undefined,
      execute: () => {
        const c = current();
        if (c) c.setEnabled(!c.enabled);
      },
    });
    app.commands.addCommand(CommandIDs.toggleLazy, {
      label: 'Reactive Cells: Lazy Mode (mark stale, do not run)',
      isToggled: () => current()?.lazy ?? false,
      isEnabled: () => current()?.enabled ?? false,
      execute: () => {
        const c = current();
        if (c) c.setLazy(!c.lazy);
      },
    });
    app.commands.addCommand(CommandIDs.runStale, {
      label: 'Run Stale Cells',
      caption: 'Run the cells marked stale (or blocked) by divlab reactive mode, in notebook order',
      isEnabled: () => current()?.enabled ?? false,
      execute: () => current()?.runStale(),
    });
    if (palette) {
      for (const command of Object.values(CommandIDs)) palette.addItem({ command, category: 'divlab' });
    }
  },
};

export default plugin;

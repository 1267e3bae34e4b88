/**
 * The divlab MIME renderer: draws `application/vnd.divlab.v1+json` outputs. The payload is
 * validated on arrival; anything invalid becomes a readable error panel (never a blank cell). A
 * valid payload becomes a plotly figure (plotly.js is loaded lazily, on the first divlab output of
 * the page; redraws go through `Plotly.react`, so they are idempotent), an estimate also a table,
 * and the controls the payload declares become sliders. A slider recomputes in the browser with
 * the bundled divlab code — in a Web Worker (compute/client.ts), answers to stale positions
 * dropped — and the chosen value is saved back into the output (`model.setData`), so it survives
 * a reload. Colours come from JupyterLab's CSS variables and follow theme switches.
 *
 * DOM is built with textContent only — payload strings never reach innerHTML, and reach plotly
 * only escaped (views/figures.ts `txt`) — so the renderer is safe for untrusted notebooks.
 */
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { Widget } from '@lumino/widgets';
import type { DensityCurve } from '../kernel-lib/display/density.js';
import { MIME_TYPE, validatePayload, type ControlSpec, type DivlabPayload, type EstimatePayload } from './payload.js';
import { estimateView, type EstimateView } from './views/estimate.js';
import { DEFAULT_THEME, chosenH, figureFor, type Theme } from './views/figures.js';
import { Latest, controlText, lastPosition, positionToValue, valueToPosition, withControlValue } from './views/controls.js';
import { lastLatency, lastWhere, run } from './compute/client.js';
import { runJob } from './compute/recompute.js';

export { MIME_TYPE };

/** Class of every divlab output's root node. */
export const CLASS_NAME = 'jp-DivlabOutput';
/** Modifier class of an estimate table. */
export const ESTIMATE_CLASS = 'jp-DivlabOutput-estimate';
/** Modifier class of a plotted output (every valid payload). */
export const PLOT_CLASS = 'jp-DivlabOutput-plotted';
/** Modifier class of the error panel. */
export const ERROR_CLASS = 'jp-DivlabOutput-error';

type PlotlyApi = typeof import('plotly.js-dist-min').default;
let plotly: Promise<PlotlyApi> | undefined;
/** plotly.js, imported on first use (a separate chunk of the labextension). */
function loadPlotly(): Promise<PlotlyApi> {
  plotly ??= import('plotly.js-dist-min').then((m) => ((m as { default?: PlotlyApi }).default ?? (m as unknown as PlotlyApi)));
  return plotly;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function estimateTable(view: EstimateView): HTMLTableElement {
  const table = el('table', 'jp-DivlabOutput-table');
  table.appendChild(el('caption', 'jp-DivlabOutput-caption', view.caption));
  const body = el('tbody');
  for (const row of view.rows) {
    const tr = el('tr', `jp-DivlabOutput-row jp-DivlabOutput-row-${row.role}`);
    const th = el('th', undefined, row.label);
    th.scope = 'row';
    tr.appendChild(th);
    tr.appendChild(el('td', undefined, row.text));
    if (row.title) tr.title = row.title;
    body.appendChild(tr);
  }
  table.appendChild(body);
  return table;
}

function errorPanel(problems: readonly string[], title = 'divlab: this output cannot be shown'): HTMLElement {
  const panel = el('div', 'jp-DivlabOutput-errorPanel');
  panel.setAttribute('role', 'alert');
  panel.appendChild(el('div', 'jp-DivlabOutput-errorTitle', title));
  if (problems.length === 1) {
    const [only = ''] = problems;
    panel.appendChild(el('p', undefined, only.charAt(0).toUpperCase() + only.slice(1)));
  } else {
    const list = el('ul');
    for (const p of problems) list.appendChild(el('li', undefined, p));
    panel.appendChild(list);
  }
  return panel;
}

/** The theme's colours, resolved from JupyterLab's CSS variables (plotly needs concrete colours). */
export function readTheme(node: HTMLElement): Theme {
  const css = getComputedStyle(node);
  const v = (name: string, fallback: string): string => css.getPropertyValue(name).trim() || fallback;
  return {
    ...DEFAULT_THEME,
    fg: v('--jp-content-font-color1', DEFAULT_THEME.fg),
    fg2: v('--jp-content-font-color2', DEFAULT_THEME.fg2),
    bg: v('--jp-layout-color0', DEFAULT_THEME.bg),
    grid: v('--jp-border-color2', DEFAULT_THEME.grid),
    font: v('--jp-ui-font-family', DEFAULT_THEME.font),
    truth: v('--jp-content-font-color1', DEFAULT_THEME.truth),
    accent: v('--jp-error-color1', DEFAULT_THEME.accent),
  };
}

const now = (): number => performance.now();

/** Renders one divlab output. */
export class DivlabRenderer extends Widget implements IRenderMime.IRenderer {
  private readonly mimeType: string;
  private model: IRenderMime.IMimeModel | undefined;
  private payload: DivlabPayload | undefined;
  private curve: DensityCurve | undefined;
  private plotNode: HTMLDivElement | undefined;
  private tableNode: HTMLDivElement | undefined;
  private controlsNode: HTMLDivElement | undefined;
  private statusNode: HTMLDivElement | undefined;
  private sliders = new Map<string, { input: HTMLInputElement; label: HTMLSpanElement; spec: ControlSpec }>();
  private readonly latest = new Latest();
  private saveTimer: number | undefined;
  private themeObserver: MutationObserver | undefined;
  private drawing: Promise<void> = Promise.resolve();
  /** The resolved theme colours, read once per theme (getComputedStyle forces a style recalculation). */
  private theme: Theme | undefined;

  constructor(options: IRenderMime.IRendererOptions) {
    super();
    this.mimeType = options.mimeType;
    this.addClass(CLASS_NAME);
  }

  override dispose(): void {
    if (this.isDisposed) return;
    this.themeObserver?.disconnect();
    if (this.saveTimer !== undefined) window.clearTimeout(this.saveTimer);
    if (this.plotNode && plotly) void plotly.then((P) => this.plotNode && P.purge(this.plotNode));
    super.dispose();
  }

  protected override onResize(): void {
    const node = this.plotNode as (HTMLDivElement & { _fullLayout?: unknown }) | undefined;
    // only a drawn plot that is on screen (plotly rejects hidden ones)
    if (!node || !plotly || !node._fullLayout || node.offsetParent === null) return;
    void plotly.then((P) => P.Plots.resize(node)).catch(() => undefined);
  }

  async renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    this.model = model;
    const result = validatePayload(model.data[this.mimeType]);
    if (!result.ok) {
      this.showError(result.problems);
      return;
    }
    const p = result.payload;
    if (this.payload === undefined || this.payload.kind !== p.kind || !this.plotNode) this.build(p);
    this.payload = p;
    this.syncControls(p);
    if (p.kind === 'estimate') this.tableNode!.replaceChildren(estimateTable(estimateView(p)));
    if (p.kind === 'bandwidth' && p.data && p.data.length > 0) {
      const h = chosenH(p);
      if (this.curve === undefined || this.curveH !== h) {
        const r = runJob({ kind: 'density', data: p.data, h });
        if (r.kind === 'density') { this.curve = r.curve; this.curveH = h; }
      }
    }
    try {
      await this.draw();
    } catch (e) {
      this.showError([`drawing failed: ${(e as Error).message ?? String(e)}`], 'divlab: this output could not be drawn');
    }
  }

  private curveH: number | undefined;

  private showError(problems: readonly string[], title?: string): void {
    this.payload = undefined;
    this.plotNode = undefined;
    this.sliders.clear();
    this.node.replaceChildren(errorPanel(problems, title));
    this.removeClass(ESTIMATE_CLASS);
    this.removeClass(PLOT_CLASS);
    this.addClass(ERROR_CLASS);
  }

  /** The output's skeleton: [table] [controls] plot [status]. */
  private build(p: DivlabPayload): void {
    this.node.replaceChildren();
    this.removeClass(ERROR_CLASS);
    this.addClass(PLOT_CLASS);
    this.toggleClass(ESTIMATE_CLASS, p.kind === 'estimate');
    this.node.dataset.divlabKind = p.kind;
    this.sliders.clear();
    this.curve = undefined;
    this.tableNode = el('div', 'jp-DivlabOutput-tableBox');
    this.controlsNode = el('div', 'jp-DivlabOutput-controls');
    this.plotNode = el('div', 'jp-DivlabOutput-plot');
    this.statusNode = el('div', 'jp-DivlabOutput-status');
    this.statusNode.setAttribute('aria-live', 'polite');
    if (p.kind === 'estimate') this.node.appendChild(this.tableNode);
    this.node.append(this.controlsNode, this.plotNode, this.statusNode);
    if (!this.themeObserver) {
      this.themeObserver = new MutationObserver(() => {
        this.theme = undefined;
        void this.draw();
      });
      this.themeObserver.observe(document.body, { attributes: true, attributeFilter: ['data-jp-theme-name', 'data-jp-theme-light'] });
    }
  }

  /** Creates the sliders of the payload's controls (once), or moves them to the saved values. */
  private syncControls(p: DivlabPayload): void {
    const controls = 'controls' in p ? p.controls ?? [] : [];
    for (const c of controls) {
      let s = this.sliders.get(c.name);
      if (!s) {
        const row = el('label', 'jp-DivlabOutput-control');
        const label = el('span', 'jp-DivlabOutput-controlLabel');
        const input = el('input', 'jp-DivlabOutput-slider');
        input.type = 'range';
        input.min = '0';
        input.max = String(lastPosition(c));
        input.step = '1';
        input.dataset.control = c.name;
        input.setAttribute('aria-label', c.label ?? c.name);
        input.addEventListener('input', () => this.onSlide(c.name));
        input.addEventListener('change', () => this.scheduleSave(400));
        row.append(label, input);
        this.controlsNode!.appendChild(row);
        s = { input, label, spec: c };
        this.sliders.set(c.name, s);
      }
      s.spec = c;
      s.input.value = String(valueToPosition(c, c.value));
      s.label.textContent = controlText(c, c.value);
    }
  }

  private onSlide(name: string): void {
    const s = this.sliders.get(name);
    const p = this.payload;
    if (!s || !p) return;
    const value = positionToValue(s.spec, Number(s.input.value));
    s.label.textContent = controlText(s.spec, value);
    const ticket = this.latest.next();
    const t0 = now();
    // (no text or size change here: a layout change of the output makes JupyterLab re-measure the
    // notebook, which delays the answer from the worker; the pending look is a CSS opacity change)
    this.node.dataset.divlabPending = '1';
    if (p.kind === 'estimate' && p.recompute) {
      const values: Record<string, number> = {};
      for (const [n, sl] of this.sliders) values[n] = positionToValue(sl.spec, Number(sl.input.value));
      void run({ kind: 'estimate', payload: p, values }).then((r) => this.apply(ticket, t0, r.kind === 'estimate' ? r.payload : undefined, r, s.spec, value));
    } else if (p.kind === 'bandwidth' && name === 'h' && p.data) {
      void run({ kind: 'density', data: p.data, h: value }).then((r) => {
        if (r.kind === 'density' && this.latest.isCurrent(ticket)) { this.curve = r.curve; this.curveH = value; }
        return this.apply(ticket, t0, withControlValue(p, 'h', value), r, s.spec, value);
      });
    } else {
      void this.apply(ticket, t0, withControlValue(p as EstimatePayload, name, value), { kind: 'estimate', ms: 0 }, s.spec, value);
    }
  }

  /** Applies a recomputed payload if it is still the newest request; draws; records timings. */
  private async apply(ticket: number, t0: number, next: DivlabPayload | undefined, r: { kind: string; ms: number; message?: string }, spec: ControlSpec, value: number): Promise<void> {
    if (!this.latest.isCurrent(ticket) || this.isDisposed) return; // a newer slider position is on its way
    if (r.kind === 'error' || !next) {
      delete this.node.dataset.divlabPending;
      this.setStatus(`${controlText(spec, value)}: ${r.message ?? 'could not be recomputed'}`, true);
      return;
    }
    const tAnswer = now();
    this.payload = next;
    if (next.kind === 'estimate') this.tableNode!.replaceChildren(estimateTable(estimateView(next)));
    const t1 = now();
    this.node.dataset.divlabAnswerMs = (tAnswer - t0).toFixed(1);
    await this.draw();
    if (!this.latest.isCurrent(ticket)) return;
    const total = now() - t0;
    this.node.dataset.divlabComputeMs = r.ms.toFixed(1);
    this.node.dataset.divlabWhere = lastWhere;
    if (lastLatency) this.node.dataset.divlabLatency = JSON.stringify(lastLatency);
    this.node.dataset.divlabDrawMs = (now() - t1).toFixed(1);
    this.node.dataset.divlabRedrawMs = total.toFixed(1);
    this.node.dataset.divlabRedraws = String(Number(this.node.dataset.divlabRedraws ?? '0') + 1);
    delete this.node.dataset.divlabPending;
    this.setStatus(`${controlText(spec, value)}: recomputed in ${r.ms.toFixed(0)} ms (${lastWhere === 'worker' ? 'Web Worker' : 'main thread'}), redrawn ${total.toFixed(0)} ms after the slider moved`);
    this.scheduleSave(400);
  }

  private setStatus(text: string, error = false): void {
    if (!this.statusNode) return;
    this.statusNode.textContent = text;
    this.statusNode.classList.toggle('jp-DivlabOutput-statusError', error);
  }

  /** Saves the current payload (chosen control values, recomputed results) into the notebook output. */
  private scheduleSave(delay: number): void {
    if (this.saveTimer !== undefined) window.clearTimeout(this.saveTimer);
    this.saveTimer = window.setTimeout(() => {
      this.saveTimer = undefined;
      const m = this.model, p = this.payload;
      if (!m || !p || this.isDisposed) return;
      const current = m.data[this.mimeType];
      if (JSON.stringify(typeof current === 'string' ? JSON.parse(current) : current) === JSON.stringify(p)) return;
      m.setData({ data: { ...m.data, [this.mimeType]: p as unknown as IRenderMime.IMimeModel['data'][string] } });
    }, delay);
  }

  /** Draws the current payload (serialised: one Plotly.react at a time). */
  private draw(): Promise<void> {
    this.drawing = this.drawing.catch(() => undefined).then(async () => {
      const p = this.payload, node = this.plotNode;
      if (!p || !node || this.isDisposed) return;
      const Plotly = await loadPlotly();
      this.theme ??= readTheme(this.node);
      const fig = figureFor(p, this.theme, p.kind === 'bandwidth' ? this.curve : undefined);
      await Plotly.react(node, fig.data, fig.layout, { responsive: true, displaylogo: false, modeBarButtonsToRemove: ['select2d', 'lasso2d'] });
    });
    return this.drawing;
  }
}

/** Creates divlab renderers. `safe`: output is built from text nodes and escaped plotly text only. */
export const rendererFactory: IRenderMime.IRendererFactory = {
  safe: true,
  mimeTypes: [MIME_TYPE],
  createRenderer: (options) => new DivlabRenderer(options),
};

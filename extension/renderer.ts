/**
 * The divlab MIME renderer: draws `application/vnd.divlab.v1+json` outputs. The payload is
 * validated on arrival; a valid estimate becomes a small table, anything else a readable error
 * panel (never a blank cell). DOM is built with textContent only — payload strings never reach
 * innerHTML — so the renderer is safe for untrusted notebooks.
 */
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { Widget } from '@lumino/widgets';
import { MIME_TYPE, validatePayload } from './payload.js';
import { estimateView, type EstimateView } from './views/estimate.js';

export { MIME_TYPE };

/** Class of every divlab output's root node. */
export const CLASS_NAME = 'jp-DivlabOutput';
/** Modifier class of an estimate table. */
export const ESTIMATE_CLASS = 'jp-DivlabOutput-estimate';
/** Modifier class of the error panel. */
export const ERROR_CLASS = 'jp-DivlabOutput-error';

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

function errorPanel(problems: readonly string[]): HTMLElement {
  const panel = el('div', 'jp-DivlabOutput-errorPanel');
  panel.setAttribute('role', 'alert');
  panel.appendChild(el('div', 'jp-DivlabOutput-errorTitle', 'divlab: this output cannot be shown'));
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

/** Renders one divlab output. */
export class DivlabRenderer extends Widget implements IRenderMime.IRenderer {
  private readonly mimeType: string;

  constructor(options: IRenderMime.IRendererOptions) {
    super();
    this.mimeType = options.mimeType;
    this.addClass(CLASS_NAME);
  }

  renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    const result = validatePayload(model.data[this.mimeType]);
    this.node.replaceChildren();
    this.removeClass(ESTIMATE_CLASS);
    this.removeClass(ERROR_CLASS);
    if (result.ok) {
      this.addClass(ESTIMATE_CLASS);
      this.node.appendChild(estimateTable(estimateView(result.payload)));
    } else {
      this.addClass(ERROR_CLASS);
      this.node.appendChild(errorPanel(result.problems));
    }
    return Promise.resolve();
  }
}

/** Creates divlab renderers. `safe`: output is built from text nodes only. */
export const rendererFactory: IRenderMime.IRendererFactory = {
  safe: true,
  mimeTypes: [MIME_TYPE],
  createRenderer: (options) => new DivlabRenderer(options),
};

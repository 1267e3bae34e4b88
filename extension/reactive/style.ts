/**
 * The reactive-cells styles, injected once as a <style> element by the plugin (so that they do
 * not depend on the package's style/ entry). Uses JupyterLab's theme variables.
 */
export const STYLE_ID = 'divlab-reactive-style';

export const REACTIVE_CSS = `
.jp-DivlabReactive-on .jp-Cell.jp-CodeCell { border-left: 3px solid transparent; }
.jp-DivlabReactive-on .jp-Cell[data-divlab-reactive='stale'] { border-left-color: var(--jp-warn-color1, #f57c00); }
.jp-DivlabReactive-on .jp-Cell[data-divlab-reactive='stale'] .jp-InputArea-editor { background-image: repeating-linear-gradient(135deg, transparent 0 8px, rgba(245, 124, 0, 0.07) 8px 16px); }
.jp-DivlabReactive-on .jp-Cell[data-divlab-reactive='queued'] { border-left-color: var(--jp-brand-color3, #90caf9); }
.jp-DivlabReactive-on .jp-Cell[data-divlab-reactive='running'] { border-left-color: var(--jp-brand-color1, #1976d2); }
.jp-DivlabReactive-on .jp-Cell[data-divlab-reactive='error'] { border-left-color: var(--jp-error-color1, #d32f2f); }
.jp-DivlabReactive-on .jp-Cell[data-divlab-reactive='blocked'] { border-left-color: var(--jp-error-color2, #e57373); opacity: 0.75; }
.jp-DivlabReactive-report { margin: 2px 0 2px var(--jp-cell-prompt-width, 64px); font-size: var(--jp-ui-font-size0, 11px); color: var(--jp-warn-color0, #e65100); font-family: var(--jp-ui-font-family); }
.jp-DivlabReactive-report > div::before { content: '⚠ '; }
.jp-DivlabReactive-report > div.jp-DivlabReactive-state::before { content: ''; }
.jp-DivlabReactive-state { color: var(--jp-ui-font-color2); font-style: italic; }
.jp-DivlabReactive-params { display: flex; flex-wrap: wrap; gap: 12px; margin: 2px 0 2px var(--jp-cell-prompt-width, 64px); font-family: var(--jp-ui-font-family); font-size: var(--jp-ui-font-size1, 13px); }
.jp-DivlabReactive-param { display: inline-flex; align-items: center; gap: 6px; }
.jp-DivlabReactive-param input[type='range'] { width: 160px; }
.jp-DivlabReactive-param output { min-width: 3em; font-family: var(--jp-code-font-family); }
.jp-DivlabReactive-toolbar { display: inline-flex; align-items: center; gap: 8px; padding: 0 6px; font-size: var(--jp-ui-font-size1, 13px); font-family: var(--jp-ui-font-family); }
.jp-DivlabReactive-toolbar label { display: inline-flex; align-items: center; gap: 3px; cursor: pointer; }
.jp-DivlabReactive-toolbar button { font-size: inherit; }
`;

/** Adds the stylesheet to the document once. */
export function injectStyle(doc: Document = document): void {
  if (doc.getElementById(STYLE_ID)) return;
  const el = doc.createElement('style');
  el.id = STYLE_ID;
  el.textContent = REACTIVE_CSS;
  doc.head.appendChild(el);
}

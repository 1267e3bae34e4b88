/**
 * The estimate view as data: payload → caption and table rows (label, text). Pure (no DOM), so
 * the rules — what is shown, in which order, how numbers read — are unit-tested; renderer.ts only
 * turns rows into DOM nodes.
 */
import { formatNumber, formatParams, formatSizes, formatValue } from '../../kernel-lib/display/format.js';
import { fromWire, type EstimatePayload } from '../payload.js';

export interface Row {
  /** Short label in the first column. */
  readonly label: string;
  /** The text of the second column (set as textContent, never as HTML). */
  readonly text: string;
  /** A modifier for styling, e.g. `value`, `truth`. */
  readonly role: 'value' | 'truth' | 'sizes' | 'params' | 'backend';
  /** A longer explanation for the row's title attribute. */
  readonly title?: string;
}

export interface EstimateView {
  /** The estimator's identifier, as the table's caption. */
  readonly caption: string;
  readonly rows: readonly Row[];
}

/**
 * Rows of the estimate table: estimate (value ± stderr and unit), truth and the error against it
 * when given, sample sizes, parameters (when any), backend.
 */
export function estimateView(p: EstimatePayload): EstimateView {
  const e = p.estimate;
  const rows: Row[] = [
    {
      label: 'estimate', text: formatValue(e), role: 'value',
      ...(e.stderr !== undefined ? { title: 'value ± standard error of the mean of the per-sample terms (a rough guide, not a confidence interval)' } : {}),
    },
  ];
  if (p.truth !== undefined) {
    const err = fromWire(e.value) - fromWire(p.truth);
    const sign = err > 0 ? '+' : err < 0 ? '−' : '±';
    const errText = Number.isFinite(err) ? `${sign}${formatNumber(Math.abs(err), 3)}` : formatNumber(err);
    rows.push({ label: 'truth', text: `${formatNumber(p.truth)} ${e.unit} (error ${errText})`, role: 'truth', title: 'the true value and estimate − truth' });
  }
  rows.push({ label: 'samples', text: formatSizes(e), role: 'sizes', title: 'n: first sample size, m: second sample size, d: dimension' });
  const params = formatParams(e.params);
  if (params) rows.push({ label: 'params', text: params, role: 'params' });
  rows.push({ label: 'backend', text: e.backend, role: 'backend' });
  return { caption: e.estimator, rows };
}

/**
 * Reactive controls as data: slider positions ↔ parameter values (integer, linear, log-spaced),
 * the text beside a slider, payloads with a new control value (what is saved back into the
 * notebook output), and the stale-result rule. Pure, unit-tested; renderer.ts owns the DOM.
 */
import type { ControlSpec, DivlabPayload } from '../payload.js';

/** Log-scale sliders without an explicit `step` get this many positions. */
export const LOG_POSITIONS = 60;

/** Whether a control takes integer values (k). */
export function isInteger(c: ControlSpec): boolean {
  return c.name === 'k' || (Number.isInteger(c.min) && Number.isInteger(c.max) && (c.step ?? 0) >= 1 && Number.isInteger(c.step) && !c.log);
}

/** The largest slider position (positions are 0 … lastPosition). */
export function lastPosition(c: ControlSpec): number {
  if (c.max <= c.min) return 0;
  if (c.log) return Math.max(1, Math.round(c.step ?? LOG_POSITIONS));
  const step = c.step ?? (isInteger(c) ? 1 : (c.max - c.min) / 100);
  return Math.max(1, Math.round((c.max - c.min) / step));
}

/** The value at a slider position (log: geometric spacing between min and max). */
export function positionToValue(c: ControlSpec, pos: number): number {
  const last = lastPosition(c);
  if (last === 0) return c.min;
  const w = Math.min(Math.max(pos / last, 0), 1);
  const v = c.log ? c.min * Math.pow(c.max / c.min, w) : c.min + w * (c.max - c.min);
  return isInteger(c) ? Math.round(v) : v;
}

/** The slider position nearest to a value. */
export function valueToPosition(c: ControlSpec, value: number): number {
  const last = lastPosition(c);
  if (last === 0) return 0;
  const w = c.log ? Math.log(value / c.min) / Math.log(c.max / c.min) : (value - c.min) / (c.max - c.min);
  return Math.min(last, Math.max(0, Math.round(w * last)));
}

/** The text beside a slider: `k = 5`, `h = 0.253`. */
export function controlText(c: ControlSpec, value: number): string {
  const v = isInteger(c) ? String(Math.round(value)) : Number(value.toPrecision(3)).toString();
  return `${c.label ?? c.name} = ${v}`;
}

/** A copy of the payload with control `name` set to `value` (other fields shared). */
export function withControlValue<P extends DivlabPayload>(p: P, name: string, value: number): P {
  if (!('controls' in p) || !p.controls) return p;
  return { ...p, controls: p.controls.map((c) => (c.name === name ? { ...c, value } : c)) };
}

/**
 * Stale-result rule: every request takes a ticket; only the newest ticket's result is applied, so
 * a slow answer to an old slider position never overwrites a newer one.
 */
export class Latest {
  private last = 0;

  /** A ticket for a new request. */
  next(): number {
    return ++this.last;
  }

  /** Whether a result for `ticket` is still wanted (no newer request since). */
  isCurrent(ticket: number): boolean {
    return ticket === this.last;
  }
}

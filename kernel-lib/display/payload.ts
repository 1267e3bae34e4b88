/**
 * The divlab display payload, version 1: what `display.show()` sends from a kernel to the
 * JupyterLab extension under the vendor MIME type `application/vnd.divlab.v1+json`, and what the
 * extension's renderer validates on arrival (`validatePayload`). Pure data: no Node, no DOM, no
 * JupyterLab; the browser extension imports this module as it is.
 *
 * Versioning: the major version is in the MIME type (`.v1+`) and in `version`. Fields may be added
 * to v1 (readers ignore unknown fields); renaming or retyping a field means a v2 payload under a
 * v2 MIME type, which a v1 renderer shows as "made by a newer divlab" instead of guessing.
 *
 * Numbers: JSON has no NaN or ±Infinity, so a non-finite `value`, `stderr` or `truth` travels as
 * the string `'NaN'`, `'Infinity'` or `'-Infinity'` (`WireNumber`); `fromWire` reads it back.
 */
import type { Unit } from '../estimate.js';

/** The vendor MIME type of payload version 1. */
export const MIME_TYPE = 'application/vnd.divlab.v1+json';

/** The payload version this module writes and reads. */
export const PAYLOAD_VERSION = 1;

/** A number on the wire: finite numbers as JSON numbers, non-finite ones as strings. */
export type WireNumber = number | 'NaN' | 'Infinity' | '-Infinity';

/** A JSON value (what `params` may hold after `toJsonValue`). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** The displayable part of an `Estimate` (no per-sample `terms`: they can be large). */
export interface EstimateData {
  readonly value: WireNumber;
  readonly unit: Unit;
  /** Short identifier of the estimator, e.g. `kozachenko-leonenko`. */
  readonly estimator: string;
  /** Hyper-parameters as given or defaulted, made JSON-safe. */
  readonly params: { readonly [key: string]: JsonValue };
  readonly n: number;
  readonly m?: number;
  readonly d: number;
  readonly stderr?: WireNumber;
  readonly backend: 'cpu' | 'gpu';
}

/** Payload v1, kind `estimate`: one estimate and optionally the true value it estimates. */
export interface EstimatePayload {
  readonly version: 1;
  readonly kind: 'estimate';
  readonly estimate: EstimateData;
  /** The true value (e.g. a closed-form Gaussian divergence), in the estimate's unit. */
  readonly truth?: WireNumber;
}

/** Every payload kind of version 1 (more kinds will join this union). */
export type DivlabPayload = EstimatePayload;

/** A number to its wire form. */
export function toWire(x: number): WireNumber {
  if (Number.isFinite(x)) return x;
  if (Number.isNaN(x)) return 'NaN';
  return x > 0 ? 'Infinity' : '-Infinity';
}

/** A wire number back to a number. */
export function fromWire(x: WireNumber): number {
  return typeof x === 'number' ? x : Number(x);
}

/**
 * Any value to a JSON value: finite numbers, strings, booleans and null stay; non-finite numbers
 * become their `WireNumber` strings; typed arrays and arrays become arrays; plain objects are
 * converted member by member (undefined members dropped); anything else (functions, symbols,
 * bigints, class instances) becomes its `String()` form. Depth is capped at 8 (deeper: a string).
 */
export function toJsonValue(x: unknown, depth = 0): JsonValue {
  if (x === null || typeof x === 'string' || typeof x === 'boolean') return x;
  if (typeof x === 'number') return toWire(x);
  if (typeof x === 'function') return `[function${x.name ? ' ' + x.name : ''}]`;
  if (depth >= 8 || typeof x !== 'object') return String(x);
  if (Array.isArray(x)) return x.map((v) => (v === undefined ? null : toJsonValue(v, depth + 1)));
  if (ArrayBuffer.isView(x) && !(x instanceof DataView)) {
    return Array.from(x as unknown as ArrayLike<number | bigint>, (v) => toJsonValue(v, depth + 1));
  }
  const proto = Object.getPrototypeOf(x);
  if (proto !== Object.prototype && proto !== null) return String(x);
  const out: { [key: string]: JsonValue } = {};
  for (const [k, v] of Object.entries(x)) if (v !== undefined) out[k] = toJsonValue(v, depth + 1);
  return out;
}

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

/**
 * A reactive control the payload declares: a slider in the extension whose value re-runs the
 * computation in the browser (k of a k-NN estimate, h of a kernel density, …). `value` is the
 * current choice; the extension writes a new one back into the output when the user moves it.
 */
export interface ControlSpec {
  /** The parameter it sets: `k` (integer), `h`, `alpha`, `tau`, `step`. */
  readonly name: string;
  /** Shown beside the slider (default: `name`). */
  readonly label?: string;
  readonly min: number;
  readonly max: number;
  /** Slider step (linear scale), or the number of slider positions on a log scale. */
  readonly step?: number;
  /** Log-spaced slider positions (for bandwidths, step sizes). */
  readonly log?: boolean;
  readonly value: number;
}

/** A row-major sample on the wire: `data.length === shape[0] * shape[1]`. */
export interface WireMatrix {
  readonly shape: readonly [number, number];
  readonly data: readonly number[];
}

/** Most rows per sample that a payload carries for browser recomputation. */
export const MAX_SAMPLE_ROWS = 5000;

/** A histogram: `counts.length + 1 === edges.length`. */
export interface Histogram {
  readonly edges: readonly number[];
  readonly counts: readonly number[];
}

/**
 * What the browser needs to recompute an estimate under a control: the k-NN function that made it,
 * its samples (≤ `MAX_SAMPLE_ROWS` rows each) and its other options (JSON).
 */
export interface EstimateRecompute {
  readonly fn: 'entropy' | 'kl' | 'renyi' | 'nnr' | 'mutualInfo';
  readonly x: WireMatrix;
  readonly y?: WireMatrix;
  readonly options: { readonly [key: string]: JsonValue };
}

/** Payload v1, kind `estimate`: one estimate and optionally the true value it estimates. */
export interface EstimatePayload {
  readonly version: 1;
  readonly kind: 'estimate';
  readonly estimate: EstimateData;
  /** The true value (e.g. a closed-form Gaussian divergence), in the estimate's unit. */
  readonly truth?: WireNumber;
  readonly title?: string;
  /** Histogram of the per-sample terms (nats), when the estimator has terms. */
  readonly terms?: Histogram;
  /** Samples and options to recompute in the browser (present with `controls`). */
  readonly recompute?: EstimateRecompute;
  readonly controls?: readonly ControlSpec[];
}

/** Numbers in drawn arrays: `null` is a gap (a non-finite value on the kernel side). */
export type Num = number | null;

export interface AxisSpec {
  readonly label: string;
  readonly log?: boolean;
}

export interface SweepSeries {
  readonly name: string;
  readonly x: readonly Num[];
  readonly y: readonly Num[];
  /** A band (e.g. ± one standard error, or a rate's constant range) drawn behind the line. */
  readonly lo?: readonly Num[];
  readonly hi?: readonly Num[];
  readonly mode?: 'lines' | 'markers' | 'lines+markers';
  /** Dashed (e.g. the paper's rate beside the measured curve). */
  readonly dash?: boolean;
}

/** Kind `sweep`: estimates versus n, k, α or h (log axes optional), with reference lines. */
export interface SweepPayload {
  readonly version: 1;
  readonly kind: 'sweep';
  readonly title: string;
  readonly x: AxisSpec;
  readonly y: AxisSpec;
  readonly series: readonly SweepSeries[];
  readonly hlines?: readonly { readonly name: string; readonly y: number }[];
}

export interface TrainingSeries {
  readonly name: string;
  readonly step: readonly Num[];
  readonly value: readonly Num[];
  readonly gradNorm?: readonly Num[];
}

/** Kind `training`: a bound's value versus step against the truth, and gradient norms. */
export interface TrainingPayload {
  readonly version: 1;
  readonly kind: 'training';
  readonly title: string;
  readonly truth?: number | { readonly step: readonly Num[]; readonly value: readonly Num[] };
  readonly series: readonly TrainingSeries[];
}

/** Kind `bandwidth`: a selector's criterion versus h, its derivative, and the chosen h*. */
export interface BandwidthPayload {
  readonly version: 1;
  readonly kind: 'bandwidth';
  readonly title: string;
  /** The selector's name, e.g. `lscv`, `likelihood-cv`, `silverman`. */
  readonly selector: string;
  readonly h: readonly number[];
  readonly score: readonly Num[];
  readonly grad?: readonly Num[];
  readonly hStar: number;
  /** The 1-D sample (≤ `MAX_SAMPLE_ROWS` values): the extension draws its density at the chosen h. */
  readonly data?: readonly number[];
  readonly controls?: readonly ControlSpec[];
}

/** Kind `field`: a 2-D vector field on a grid (`u[i][j]` at `(x[j], y[i])`) over a density. */
export interface FieldPayload {
  readonly version: 1;
  readonly kind: 'field';
  readonly title: string;
  readonly x: readonly number[];
  readonly y: readonly number[];
  readonly u: readonly (readonly Num[])[];
  readonly v: readonly (readonly Num[])[];
  readonly density?: readonly (readonly Num[])[];
  /** A second field (e.g. the true score) drawn beside the estimated one. */
  readonly reference?: { readonly u: readonly (readonly Num[])[]; readonly v: readonly (readonly Num[])[] };
}

export interface GaussianIterate {
  readonly label: string;
  readonly mean: readonly [number, number];
  readonly cov: readonly [readonly [number, number], readonly [number, number]];
}

/** Kind `gaussians`: mean/covariance ellipses along a trajectory over a target's contours. */
export interface GaussiansPayload {
  readonly version: 1;
  readonly kind: 'gaussians';
  readonly title: string;
  /** `z[i][j]` at `(x[j], y[i])`, e.g. the target's log-density. */
  readonly contour?: { readonly x: readonly number[]; readonly y: readonly number[]; readonly z: readonly (readonly Num[])[] };
  readonly iterates: readonly GaussianIterate[];
}

/** Every payload kind of version 1. */
export type DivlabPayload = EstimatePayload | SweepPayload | TrainingPayload | BandwidthPayload | FieldPayload | GaussiansPayload;

/** The kinds of version 1, in the order the docs list them. */
export const KINDS = ['estimate', 'sweep', 'training', 'bandwidth', 'field', 'gaussians'] as const;
export type Kind = DivlabPayload['kind'];

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

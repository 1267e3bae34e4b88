/**
 * The figure builders of `divlab/display`: plain data in, a validated version 1 payload out (kinds
 * `sweep`, `training`, `bandwidth`, `field`, `gaussians`). Numbers may come as arrays or typed
 * arrays; non-finite values in drawn curves become `null` (a gap in the line), since JSON has no
 * NaN. Every builder validates its result with `validatePayload` and throws
 * `InvalidParameterError` naming the field at fault, so a bad figure fails in the kernel cell that
 * made it, not later in the browser.
 */
import { InvalidParameterError } from '../core/errors.js';
import {
  MAX_SAMPLE_ROWS, PAYLOAD_VERSION,
  type BandwidthPayload, type ControlSpec, type DivlabPayload, type FieldPayload, type GaussiansPayload,
  type Num, type SweepPayload, type TrainingPayload,
} from './payload.js';
import { validatePayload } from './validate.js';

/** Numbers as arrays or typed arrays. */
export type Numbers = ArrayLike<number>;

/** Array to wire numbers: non-finite → null (a gap). */
function nums(x: Numbers | undefined, path: string): Num[] {
  if (x === undefined || x === null || typeof (x as { length?: unknown }).length !== 'number' || typeof x === 'string') {
    throw new InvalidParameterError(path, `must be an array of numbers, got ${x === undefined ? 'nothing' : typeof x}`);
  }
  return Array.from(x, (v) => (typeof v === 'number' && Number.isFinite(v) ? v : null));
}

/** Array kept as is (validation then rejects non-finite entries where they are not allowed). */
function plain(x: Numbers | undefined, path: string): number[] {
  if (x === undefined || x === null || typeof (x as { length?: unknown }).length !== 'number' || typeof x === 'string') {
    throw new InvalidParameterError(path, `must be an array of numbers, got ${x === undefined ? 'nothing' : typeof x}`);
  }
  return Array.from(x);
}

function grid(rows: readonly Numbers[] | undefined, path: string): Num[][] {
  if (!Array.isArray(rows)) throw new InvalidParameterError(path, `must be an array of rows (number[][]), got ${typeof rows}`);
  return rows.map((r, i) => nums(r, `${path}[${i}]`));
}

function text(x: unknown, path: string): string {
  if (typeof x !== 'string') throw new InvalidParameterError(path, `must be a string, got ${typeof x}`);
  return x;
}

function checked<P extends DivlabPayload>(payload: P): P {
  const r = validatePayload(payload);
  if (!r.ok) {
    const first = r.problems[0] ?? 'payload';
    const arg = /^[\w.[\]]+/.exec(first)?.[0] ?? 'payload';
    throw new InvalidParameterError(arg, `cannot be drawn: ${r.problems.join('; ')}`);
  }
  return payload;
}

/** Every `stride`-th value so that at most `cap` remain (deterministic thinning). */
export function thin(values: readonly number[], cap = MAX_SAMPLE_ROWS): number[] {
  if (values.length <= cap) return values.slice();
  const stride = Math.ceil(values.length / cap);
  return values.filter((_, i) => i % stride === 0);
}

export interface SweepSpec {
  readonly title: string;
  readonly x: { readonly label: string; readonly log?: boolean };
  readonly y: { readonly label: string; readonly log?: boolean };
  readonly series: readonly {
    readonly name: string;
    readonly x: Numbers;
    readonly y: Numbers;
    readonly lo?: Numbers;
    readonly hi?: Numbers;
    readonly mode?: 'lines' | 'markers' | 'lines+markers';
    readonly dash?: boolean;
  }[];
  readonly hlines?: readonly { readonly name: string; readonly y: number }[];
}

/**
 * A sweep: estimates versus n, k, α or h, one series per estimator (optional band `lo`–`hi`, e.g.
 * ± one standard error over trials), dashed reference curves (a paper's rate) and horizontal lines
 * (truths). Log axes with `log: true`.
 *
 * @example
 * display.sweep({ title: 'KL vs n', x: { label: 'n', log: true }, y: { label: 'nats' },
 *   series: [{ name: 'WKV', x: [100, 1000], y: [0.41, 0.48] }], hlines: [{ name: 'truth', y: 0.5 }] })
 */
export function sweep(spec: SweepSpec): SweepPayload {
  if (!Array.isArray(spec?.series)) throw new InvalidParameterError('series', 'must be an array of { name, x, y } series');
  return checked({
    version: PAYLOAD_VERSION, kind: 'sweep', title: text(spec.title, 'title'),
    x: { label: text(spec.x?.label, 'x.label'), ...(spec.x.log !== undefined ? { log: spec.x.log } : {}) },
    y: { label: text(spec.y?.label, 'y.label'), ...(spec.y.log !== undefined ? { log: spec.y.log } : {}) },
    series: spec.series.map((s, i) => ({
      name: text(s.name, `series[${i}].name`),
      x: nums(s.x, `series[${i}].x`),
      y: nums(s.y, `series[${i}].y`),
      ...(s.lo !== undefined ? { lo: nums(s.lo, `series[${i}].lo`) } : {}),
      ...(s.hi !== undefined ? { hi: nums(s.hi, `series[${i}].hi`) } : {}),
      ...(s.mode !== undefined ? { mode: s.mode } : {}),
      ...(s.dash !== undefined ? { dash: s.dash } : {}),
    })),
    ...(spec.hlines !== undefined ? { hlines: spec.hlines.map((h) => ({ name: h.name, y: h.y })) } : {}),
  });
}

export interface TrainingSpec {
  readonly title: string;
  readonly truth?: number | { readonly step: Numbers; readonly value: Numbers };
  readonly series: readonly { readonly name: string; readonly step: Numbers; readonly value: Numbers; readonly gradNorm?: Numbers }[];
}

/**
 * Training curves: a bound's value versus step for each series against the true value (a number
 * or a curve), and gradient norms when given (drawn on a second, log-scaled panel). Call it again
 * with more steps and pass it to the handle's `update` to draw progress live.
 */
export function training(spec: TrainingSpec): TrainingPayload {
  if (!Array.isArray(spec?.series)) throw new InvalidParameterError('series', 'must be an array of { name, step, value } series');
  const t = spec.truth;
  return checked({
    version: PAYLOAD_VERSION, kind: 'training', title: text(spec.title, 'title'),
    ...(t === undefined ? {} : { truth: typeof t === 'number' ? t : { step: nums(t.step, 'truth.step'), value: nums(t.value, 'truth.value') } }),
    series: spec.series.map((s, i) => ({
      name: text(s.name, `series[${i}].name`),
      step: nums(s.step, `series[${i}].step`),
      value: nums(s.value, `series[${i}].value`),
      ...(s.gradNorm !== undefined ? { gradNorm: nums(s.gradNorm, `series[${i}].gradNorm`) } : {}),
    })),
  });
}

export interface BandwidthSpec {
  readonly title: string;
  /** The selector's name, e.g. `lscv`, `likelihood-cv`. */
  readonly selector: string;
  readonly h: Numbers;
  readonly score: Numbers;
  readonly grad?: Numbers;
  readonly hStar: number;
  /** The 1-D sample; thinned to `MAX_SAMPLE_ROWS` values (every s-th) when larger. */
  readonly data?: Numbers;
  /**
   * Reactive controls. Default with `data`: one log-scale `h` slider over the range of `h`,
   * starting at `hStar`. `false`: none.
   */
  readonly controls?: boolean | readonly ControlSpec[];
}

/**
 * A bandwidth selector: its criterion versus h (log axis), the criterion's derivative when given,
 * and the chosen h*. With `data`, the extension also draws the sample's Gaussian kernel density at
 * the chosen h and lets the reader move h with a slider (recomputed in the browser).
 */
export function bandwidth(spec: BandwidthSpec): BandwidthPayload {
  const h = plain(spec?.h, 'h');
  const data = spec.data !== undefined ? thin(plain(spec.data, 'data')) : undefined;
  let controls: readonly ControlSpec[] | undefined;
  if (Array.isArray(spec.controls)) controls = spec.controls;
  else if (spec.controls !== false && data !== undefined && h.length > 0) {
    const lo = Math.min(...h), hi = Math.max(...h);
    controls = [{ name: 'h', label: 'h', min: lo, max: hi, log: true, step: 60, value: Math.min(hi, Math.max(lo, spec.hStar)) }];
  }
  return checked({
    version: PAYLOAD_VERSION, kind: 'bandwidth', title: text(spec.title, 'title'), selector: text(spec.selector, 'selector'),
    h, score: nums(spec.score, 'score'),
    ...(spec.grad !== undefined ? { grad: nums(spec.grad, 'grad') } : {}),
    hStar: spec.hStar,
    ...(data !== undefined ? { data } : {}),
    ...(controls !== undefined ? { controls } : {}),
  });
}

export interface FieldSpec {
  readonly title: string;
  /** Grid axes: the field is sampled at (x[j], y[i]). */
  readonly x: Numbers;
  readonly y: Numbers;
  /** `u[i][j]`, `v[i][j]`: the vector at (x[j], y[i]). */
  readonly u: readonly Numbers[];
  readonly v: readonly Numbers[];
  readonly density?: readonly Numbers[];
  readonly reference?: { readonly u: readonly Numbers[]; readonly v: readonly Numbers[] };
}

/**
 * A 2-D vector field (a score ∇log p, the gradient of a potential) as arrows over a density
 * heatmap, optionally beside a reference field (the true score) in a second colour.
 */
export function field(spec: FieldSpec): FieldPayload {
  return checked({
    version: PAYLOAD_VERSION, kind: 'field', title: text(spec?.title, 'title'),
    x: plain(spec.x, 'x'), y: plain(spec.y, 'y'),
    u: grid(spec.u, 'u'), v: grid(spec.v, 'v'),
    ...(spec.density !== undefined ? { density: grid(spec.density, 'density') } : {}),
    ...(spec.reference !== undefined ? { reference: { u: grid(spec.reference.u, 'reference.u'), v: grid(spec.reference.v, 'reference.v') } } : {}),
  });
}

export interface GaussiansSpec {
  readonly title: string;
  readonly contour?: { readonly x: Numbers; readonly y: Numbers; readonly z: readonly Numbers[] };
  readonly iterates: readonly {
    readonly label: string;
    readonly mean: Numbers;
    readonly cov: readonly Numbers[];
  }[];
}

/**
 * Gaussians along a trajectory (e.g. variational inference iterates): each iterate's mean and
 * its covariance as the 1- and 2-standard-deviation ellipses, over the target's contours.
 */
export function gaussians(spec: GaussiansSpec): GaussiansPayload {
  if (!Array.isArray(spec?.iterates)) throw new InvalidParameterError('iterates', 'must be an array of { label, mean, cov }');
  const c = spec.contour;
  return checked({
    version: PAYLOAD_VERSION, kind: 'gaussians', title: text(spec.title, 'title'),
    ...(c !== undefined ? { contour: { x: plain(c.x, 'contour.x'), y: plain(c.y, 'contour.y'), z: grid(c.z, 'contour.z') } } : {}),
    iterates: spec.iterates.map((it, i) => ({
      label: text(it.label, `iterates[${i}].label`),
      mean: plain(it.mean, `iterates[${i}].mean`) as unknown as [number, number],
      cov: (Array.isArray(it.cov) ? (it.cov as readonly Numbers[]).map((r: Numbers, j: number) => plain(r, `iterates[${i}].cov[${j}]`)) : it.cov) as unknown as [[number, number], [number, number]],
    })),
  });
}

/**
 * `validatePayload`: checks data that claims to be a divlab payload before anything renders it.
 * Pure: no DOM, no Node. The renderer calls it on arrival, `show()` on departure.
 */
import { KINDS, MAX_SAMPLE_ROWS, MIME_TYPE, PAYLOAD_VERSION, type DivlabPayload, type JsonValue } from './payload.js';

/** A payload that passed validation, or the readable reason it did not. */
export type PayloadResult =
  | { readonly ok: true; readonly payload: DivlabPayload }
  | {
      readonly ok: false;
      /** One paragraph for a person: what is wrong and what to do. */
      readonly error: string;
      /** Each problem found, e.g. `estimate.n must be a positive integer (got -1)`. */
      readonly problems: readonly string[];
      /** The payload version found, when the data said one (a newer one needs a newer extension). */
      readonly version?: number;
    };

const WIRE_NON_FINITE = new Set(['NaN', 'Infinity', '-Infinity']);
const UNIT = /^(nat|bit|log\d+(\.\d+)?([eE][+-]?\d+)?)$/;

function describe(x: unknown): string {
  if (typeof x === 'string') return JSON.stringify(x.length > 40 ? x.slice(0, 40) + '…' : x);
  if (x === null || typeof x !== 'object') return String(x);
  return Array.isArray(x) ? 'an array' : 'an object';
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function isWireNumber(x: unknown): boolean {
  return (typeof x === 'number' && Number.isFinite(x)) || (typeof x === 'string' && WIRE_NON_FINITE.has(x));
}

function isJsonValue(x: unknown, depth = 0): x is JsonValue {
  if (x === null || typeof x === 'string' || typeof x === 'boolean') return true;
  if (typeof x === 'number') return Number.isFinite(x);
  if (depth > 16) return false;
  if (Array.isArray(x)) return x.every((v) => isJsonValue(v, depth + 1));
  return isPlainObject(x) && Object.values(x).every((v) => isJsonValue(v, depth + 1));
}

function fail(problems: string[], version?: number): PayloadResult {
  const error = `This divlab output cannot be shown: ${problems.join('; ')}.`;
  return version === undefined ? { ok: false, error, problems } : { ok: false, error, problems, version };
}

/**
 * Validates a divlab display payload.
 *
 * @param data - the MIME bundle entry: the payload object, or its JSON text (tslab's public
 *   `display.raw` sends JSON bodies as strings).
 * @returns `{ ok: true, payload }` with the typed payload, or `{ ok: false, error, problems }`
 *   whose `error` says what is wrong and what to do. Never throws.
 *
 * @example
 * validatePayload('{"version":2,"kind":"estimate"}').ok   // false: made by a newer divlab
 */
export function validatePayload(data: unknown): PayloadResult {
  let p: unknown = data;
  if (typeof data === 'string') {
    try {
      p = JSON.parse(data);
    } catch (e) {
      return fail([`the ${MIME_TYPE} body is not valid JSON (${(e as Error).message})`]);
    }
  }
  if (!isPlainObject(p)) return fail([`the payload must be a JSON object, got ${describe(p)}`]);

  const version = p.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    return fail([`payload.version must be a positive integer, got ${describe(version)}`]);
  }
  if (version > PAYLOAD_VERSION) {
    return fail([
      `this is a version ${version} payload, made by a newer divlab; this divlab JupyterLab extension reads version ${PAYLOAD_VERSION}` +
        ' — upgrade it (pip install -U divlab) and reload the page',
    ], version);
  }
  if (typeof p.kind !== 'string' || !(KINDS as readonly string[]).includes(p.kind)) {
    return fail([`payload.kind ${describe(p.kind)} is not a kind this extension knows (known: ${KINDS.map((k) => `"${k}"`).join(', ')})` +
      ' — a newer divlab may have made it: upgrade the extension (pip install -U divlab)'], version);
  }

  const problems: string[] = [];
  const check = new Checker(problems);
  switch (p.kind) {
    case 'estimate': checkEstimate(p, check); break;
    case 'sweep': checkSweep(p, check); break;
    case 'training': checkTraining(p, check); break;
    case 'bandwidth': checkBandwidth(p, check); break;
    case 'field': checkField(p, check); break;
    case 'gaussians': checkGaussians(p, check); break;
  }
  if (problems.length > 0) return fail(problems, version);
  return { ok: true, payload: p as unknown as DivlabPayload };
}

/** Collects problems; each method checks one field and says what it should be. */
class Checker {
  constructor(private readonly problems: string[]) {}

  add(problem: string): false {
    this.problems.push(problem);
    return false;
  }

  string(path: string, x: unknown, optional = false): boolean {
    if (optional && x === undefined) return true;
    return typeof x === 'string' ? true : this.add(`${path} must be a string, got ${describe(x)}`);
  }

  finite(path: string, x: unknown, optional = false): boolean {
    if (optional && x === undefined) return true;
    return typeof x === 'number' && Number.isFinite(x) ? true : this.add(`${path} must be a finite number, got ${describe(x)}`);
  }

  /** An array of numbers (finite, or null for a gap unless `strict`), of length `len` when given. */
  numbers(path: string, x: unknown, opts: { len?: number; strict?: boolean; optional?: boolean; positive?: boolean } = {}): boolean {
    if (opts.optional && x === undefined) return true;
    if (!Array.isArray(x)) return this.add(`${path} must be an array of numbers, got ${describe(x)}`);
    for (let i = 0; i < x.length; i++) {
      const v = x[i];
      const ok = (typeof v === 'number' && Number.isFinite(v) && (!opts.positive || v > 0)) || (v === null && !opts.strict);
      if (!ok) {
        const what = opts.positive ? 'positive finite numbers' : opts.strict ? 'finite numbers' : 'finite numbers or null';
        return this.add(`${path}[${i}] must be one of ${what}, got ${describe(v)}`);
      }
    }
    if (opts.len !== undefined && x.length !== opts.len) {
      return this.add(`${path} must have ${opts.len} entries (one per point), got ${x.length}`);
    }
    return true;
  }

  /** `rows` arrays of `cols` numbers (or nulls). */
  grid(path: string, x: unknown, rows: number, cols: number, optional = false): boolean {
    if (optional && x === undefined) return true;
    if (!Array.isArray(x)) return this.add(`${path} must be an array of rows, got ${describe(x)}`);
    if (x.length !== rows) return this.add(`${path} must have ${rows} rows (one per y), got ${x.length}`);
    return x.every((row, i) => this.numbers(`${path}[${i}]`, row, { len: cols }));
  }

  array(path: string, x: unknown, optional = false, nonEmpty = true): x is unknown[] {
    if (optional && x === undefined) return false;
    if (!Array.isArray(x)) return this.add(`${path} must be an array, got ${describe(x)}`);
    if (nonEmpty && x.length === 0) return this.add(`${path} must not be empty`);
    return true;
  }

  object(path: string, x: unknown, optional = false): x is Record<string, unknown> {
    if (optional && x === undefined) return false;
    return isPlainObject(x) ? true : this.add(`${path} must be an object, got ${describe(x)}`);
  }

  controls(path: string, x: unknown): void {
    if (!this.array(path, x, true, false)) return;
    x.forEach((c, i) => {
      const at = `${path}[${i}]`;
      if (!this.object(at, c)) return;
      if (typeof c.name !== 'string' || c.name.length === 0) this.add(`${at}.name must be a non-empty string, got ${describe(c.name)}`);
      this.string(`${at}.label`, c.label, true);
      const ok = this.finite(`${at}.min`, c.min) && this.finite(`${at}.max`, c.max) && this.finite(`${at}.value`, c.value);
      this.finite(`${at}.step`, c.step, true);
      if (c.log !== undefined && typeof c.log !== 'boolean') this.add(`${at}.log must be true or false, got ${describe(c.log)}`);
      if (ok) {
        const { min, max, value } = c as { min: number; max: number; value: number };
        if (!(min <= max)) this.add(`${at}: min (${min}) must not exceed max (${max})`);
        else if (value < min || value > max) this.add(`${at}.value ${value} must lie in [min, max] = [${min}, ${max}]`);
        if (c.log === true && !(min > 0)) this.add(`${at}: a log-scale control needs min > 0, got ${min}`);
      }
    });
  }

  matrix(path: string, x: unknown): void {
    if (!this.object(path, x)) return;
    const shape = x.shape;
    if (!Array.isArray(shape) || shape.length !== 2 || !shape.every((s) => Number.isInteger(s) && (s as number) > 0)) {
      this.add(`${path}.shape must be [rows, columns] of positive integers, got ${describe(shape)}`);
      return;
    }
    const [n, d] = shape as [number, number];
    if (n > MAX_SAMPLE_ROWS) this.add(`${path} carries ${n} rows; at most ${MAX_SAMPLE_ROWS} travel in a payload`);
    this.numbers(`${path}.data`, x.data, { len: n * d, strict: true });
  }
}

function checkEstimate(p: Record<string, unknown>, check: Checker): void {
  const e = p.estimate;
  if (!isPlainObject(e)) {
    check.add(`payload.estimate must be an object, got ${describe(e)}`);
  } else {
    if (!isWireNumber(e.value)) check.add(`estimate.value must be a number, got ${describe(e.value)}`);
    if (typeof e.unit !== 'string' || !UNIT.test(e.unit)) {
      check.add(`estimate.unit must be "nat", "bit" or "log<base>", got ${describe(e.unit)}`);
    }
    if (typeof e.estimator !== 'string' || e.estimator.length === 0) {
      check.add(`estimate.estimator must be a non-empty string, got ${describe(e.estimator)}`);
    }
    if (!isPlainObject(e.params) || !isJsonValue(e.params)) {
      check.add(`estimate.params must be an object of JSON values, got ${describe(e.params)}`);
    }
    for (const key of ['n', 'd', 'm'] as const) {
      const v = e[key];
      if (key === 'm' && v === undefined) continue;
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
        check.add(`estimate.${key} must be a positive integer, got ${describe(v)}`);
      }
    }
    if (e.stderr !== undefined && !isWireNumber(e.stderr)) {
      check.add(`estimate.stderr must be a number when present, got ${describe(e.stderr)}`);
    } else if (typeof e.stderr === 'number' && e.stderr < 0) {
      check.add(`estimate.stderr must be ≥ 0, got ${e.stderr}`);
    }
    if (e.backend !== 'cpu' && e.backend !== 'gpu') {
      check.add(`estimate.backend must be "cpu" or "gpu", got ${describe(e.backend)}`);
    }
  }
  if (p.truth !== undefined && !isWireNumber(p.truth)) {
    check.add(`payload.truth must be a number when present, got ${describe(p.truth)}`);
  }
  check.string('payload.title', p.title, true);
  if (check.object('payload.terms', p.terms, true)) {
    const t = p.terms;
    if (check.numbers('terms.edges', t.edges, { strict: true }) && Array.isArray(t.edges)) {
      check.numbers('terms.counts', t.counts, { strict: true, len: Math.max(0, t.edges.length - 1) });
    }
  }
  if (check.object('payload.recompute', p.recompute, true)) {
    const r = p.recompute;
    const fns = ['entropy', 'kl', 'renyi', 'nnr', 'mutualInfo'];
    if (typeof r.fn !== 'string' || !fns.includes(r.fn)) check.add(`recompute.fn must be one of ${fns.join(', ')}, got ${describe(r.fn)}`);
    check.matrix('recompute.x', r.x);
    if (r.y !== undefined) check.matrix('recompute.y', r.y);
    if (!isPlainObject(r.options) || !isJsonValue(r.options)) check.add(`recompute.options must be an object of JSON values, got ${describe(r.options)}`);
  }
  check.controls('payload.controls', p.controls);
  if (p.controls !== undefined && p.recompute === undefined) check.add('payload.controls needs payload.recompute (the samples to recompute from)');
}

function checkSeriesList(path: string, x: unknown, check: Checker, each: (s: Record<string, unknown>, at: string) => void): void {
  if (!check.array(path, x)) return;
  x.forEach((s, i) => {
    const at = `${path}[${i}]`;
    if (!check.object(at, s)) return;
    check.string(`${at}.name`, s.name);
    each(s, at);
  });
}

function checkAxis(path: string, x: unknown, check: Checker): void {
  if (!check.object(path, x)) return;
  check.string(`${path}.label`, x.label);
  if (x.log !== undefined && typeof x.log !== 'boolean') check.add(`${path}.log must be true or false, got ${describe(x.log)}`);
}

function checkSweep(p: Record<string, unknown>, check: Checker): void {
  check.string('payload.title', p.title);
  checkAxis('payload.x', p.x, check);
  checkAxis('payload.y', p.y, check);
  checkSeriesList('payload.series', p.series, check, (s, at) => {
    if (!check.numbers(`${at}.x`, s.x)) return;
    const len = (s.x as unknown[]).length;
    check.numbers(`${at}.y`, s.y, { len });
    check.numbers(`${at}.lo`, s.lo, { len, optional: true });
    check.numbers(`${at}.hi`, s.hi, { len, optional: true });
    if (s.mode !== undefined && !['lines', 'markers', 'lines+markers'].includes(s.mode as string)) {
      check.add(`${at}.mode must be "lines", "markers" or "lines+markers", got ${describe(s.mode)}`);
    }
    if (s.dash !== undefined && typeof s.dash !== 'boolean') check.add(`${at}.dash must be true or false, got ${describe(s.dash)}`);
  });
  if (check.array('payload.hlines', p.hlines, true, false)) {
    (p.hlines as unknown[]).forEach((h, i) => {
      if (!check.object(`payload.hlines[${i}]`, h)) return;
      check.string(`payload.hlines[${i}].name`, h.name);
      check.finite(`payload.hlines[${i}].y`, h.y);
    });
  }
}

function checkTraining(p: Record<string, unknown>, check: Checker): void {
  check.string('payload.title', p.title);
  if (isPlainObject(p.truth)) {
    if (check.numbers('truth.step', p.truth.step)) check.numbers('truth.value', p.truth.value, { len: (p.truth.step as unknown[]).length });
  } else {
    check.finite('payload.truth', p.truth, true);
  }
  checkSeriesList('payload.series', p.series, check, (s, at) => {
    if (!check.numbers(`${at}.step`, s.step)) return;
    const len = (s.step as unknown[]).length;
    check.numbers(`${at}.value`, s.value, { len });
    check.numbers(`${at}.gradNorm`, s.gradNorm, { len, optional: true });
  });
}

function checkBandwidth(p: Record<string, unknown>, check: Checker): void {
  check.string('payload.title', p.title);
  check.string('payload.selector', p.selector);
  if (check.numbers('payload.h', p.h, { strict: true, positive: true })) {
    const len = (p.h as unknown[]).length;
    if (len === 0) check.add('payload.h must not be empty');
    check.numbers('payload.score', p.score, { len });
    check.numbers('payload.grad', p.grad, { len, optional: true });
  }
  if (check.finite('payload.hStar', p.hStar) && !((p.hStar as number) > 0)) check.add(`payload.hStar must be > 0, got ${p.hStar}`);
  if (check.numbers('payload.data', p.data, { strict: true, optional: true }) && Array.isArray(p.data) && p.data.length > MAX_SAMPLE_ROWS) {
    check.add(`payload.data carries ${p.data.length} values; at most ${MAX_SAMPLE_ROWS} travel in a payload`);
  }
  check.controls('payload.controls', p.controls);
  if (Array.isArray(p.controls) && p.controls.length > 0 && p.data === undefined) check.add('payload.controls needs payload.data (the sample to recompute from)');
}

function checkField(p: Record<string, unknown>, check: Checker): void {
  check.string('payload.title', p.title);
  const okX = check.numbers('payload.x', p.x, { strict: true });
  const okY = check.numbers('payload.y', p.y, { strict: true });
  if (!okX || !okY) return;
  const rows = (p.y as unknown[]).length, cols = (p.x as unknown[]).length;
  if (rows < 2 || cols < 2) check.add(`payload.x and payload.y need at least 2 grid points each, got ${cols} × ${rows}`);
  check.grid('payload.u', p.u, rows, cols);
  check.grid('payload.v', p.v, rows, cols);
  check.grid('payload.density', p.density, rows, cols, true);
  if (check.object('payload.reference', p.reference, true)) {
    check.grid('reference.u', p.reference.u, rows, cols);
    check.grid('reference.v', p.reference.v, rows, cols);
  }
}

function checkGaussians(p: Record<string, unknown>, check: Checker): void {
  check.string('payload.title', p.title);
  if (check.object('payload.contour', p.contour, true)) {
    const c = p.contour;
    if (check.numbers('contour.x', c.x, { strict: true }) && check.numbers('contour.y', c.y, { strict: true })) {
      check.grid('contour.z', c.z, (c.y as unknown[]).length, (c.x as unknown[]).length);
    }
  }
  if (!check.array('payload.iterates', p.iterates)) return;
  (p.iterates as unknown[]).forEach((it, i) => {
    const at = `payload.iterates[${i}]`;
    if (!check.object(at, it)) return;
    check.string(`${at}.label`, it.label);
    check.numbers(`${at}.mean`, it.mean, { strict: true, len: 2 });
    const c = it.cov;
    if (!Array.isArray(c) || c.length !== 2 || !c.every((r) => Array.isArray(r) && r.length === 2 && r.every((v) => typeof v === 'number' && Number.isFinite(v)))) {
      check.add(`${at}.cov must be a 2 × 2 array of finite numbers, got ${describe(c)}`);
      return;
    }
    const [[a, b], [b2, d]] = c as [[number, number], [number, number]];
    if (Math.abs(b - b2) > 1e-9 * Math.max(1, Math.abs(b))) check.add(`${at}.cov must be symmetric, got off-diagonals ${b} and ${b2}`);
    else if (!(a > 0 && d > 0 && a * d - b * b > 0)) check.add(`${at}.cov must be positive definite (a > 0, d > 0, ad − b² > 0), got [[${a}, ${b}], [${b2}, ${d}]]`);
  });
}

/**
 * `validatePayload`: checks data that claims to be a divlab payload before anything renders it.
 * Pure: no DOM, no Node. The renderer calls it on arrival, `show()` on departure.
 */
import { MIME_TYPE, PAYLOAD_VERSION, type DivlabPayload, type JsonValue } from './payload.js';

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
  if (p.kind !== 'estimate') {
    return fail([`payload.kind ${describe(p.kind)} is not a kind this extension knows (known: "estimate")`], version);
  }

  const problems: string[] = [];
  const e = p.estimate;
  if (!isPlainObject(e)) {
    problems.push(`payload.estimate must be an object, got ${describe(e)}`);
  } else {
    if (!isWireNumber(e.value)) problems.push(`estimate.value must be a number, got ${describe(e.value)}`);
    if (typeof e.unit !== 'string' || !UNIT.test(e.unit)) {
      problems.push(`estimate.unit must be "nat", "bit" or "log<base>", got ${describe(e.unit)}`);
    }
    if (typeof e.estimator !== 'string' || e.estimator.length === 0) {
      problems.push(`estimate.estimator must be a non-empty string, got ${describe(e.estimator)}`);
    }
    if (!isPlainObject(e.params) || !isJsonValue(e.params)) {
      problems.push(`estimate.params must be an object of JSON values, got ${describe(e.params)}`);
    }
    for (const key of ['n', 'd', 'm'] as const) {
      const v = e[key];
      if (key === 'm' && v === undefined) continue;
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
        problems.push(`estimate.${key} must be a positive integer, got ${describe(v)}`);
      }
    }
    if (e.stderr !== undefined && !isWireNumber(e.stderr)) {
      problems.push(`estimate.stderr must be a number when present, got ${describe(e.stderr)}`);
    } else if (typeof e.stderr === 'number' && e.stderr < 0) {
      problems.push(`estimate.stderr must be ≥ 0, got ${e.stderr}`);
    }
    if (e.backend !== 'cpu' && e.backend !== 'gpu') {
      problems.push(`estimate.backend must be "cpu" or "gpu", got ${describe(e.backend)}`);
    }
  }
  if (p.truth !== undefined && !isWireNumber(p.truth)) {
    problems.push(`payload.truth must be a number when present, got ${describe(p.truth)}`);
  }
  if (problems.length > 0) return fail(problems, version);
  return { ok: true, payload: p as unknown as DivlabPayload };
}

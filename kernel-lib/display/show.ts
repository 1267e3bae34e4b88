/**
 * `show()`: displays a result in a notebook. Inside the tslab kernel it sends one display_data
 * output carrying up to three representations:
 *   - `application/vnd.divlab.v1+json` — the payload (a JSON object), drawn by the divlab
 *     JupyterLab extension (plotly views, reactive controls);
 *   - `text/plain` — a one-line summary;
 *   - `image/svg+xml` — a static picture of the same data (svg.ts), what a front-end without the
 *     extension (nbconvert, GitHub's viewer) shows instead.
 * The output gets a display id, so the returned handle's `update(p)` re-renders it in place
 * (Jupyter's update_display_data) — live training curves, progress. Outside tslab (a script, a
 * test, a browser) nothing is sent and the handle just holds the payload.
 *
 * How it reaches tslab. tslab's public API (`require('tslab').display.raw(mime, body)`) sends one
 * MIME type per output and a string body. The kernel's own message writer, `tslab/dist/jupyter.js`
 * `lastWriteDisplayData` (what `display.raw` and `newDisplay()` call, set while a cell runs), takes
 * a whole MIME bundle with a `transient.display_id`: `show()` uses it. If a future tslab lacks it,
 * `show()` falls back to the public `newDisplay().raw` with the payload alone (a JSON string).
 *
 * No `require('tslab')` is resolved from here: the running kernel's tslab is found among the modules
 * Node has already loaded (so a tslab installed globally, not beside divlab, works too), through
 * `process.getBuiltinModule('module')` (Node ≥ 20.16) — no static `require`/`import` of Node code,
 * so browser bundles of divlab never pull tslab or Node built-ins.
 */
import type { Estimate } from '../estimate.js';
import { InvalidParameterError } from '../core/errors.js';
import { estimatePayload, type EstimatePayloadOptions } from './estimate-payload.js';
import { fallbackSvg } from './fallback.js';
import { summarize } from './format.js';
import { MIME_TYPE, type DivlabPayload } from './payload.js';
import { validatePayload } from './validate.js';

/** Options of `show(estimate, options)` (ignored for a ready-made payload). */
export type ShowOptions = EstimatePayloadOptions;

/** A Jupyter display_data content, as tslab's kernel writes it. */
interface DisplayContent {
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  transient: Record<string, unknown>;
}

/** Sends a payload under a display id (update: replace the output of that id); false if it could not. */
type Sender = (payload: DivlabPayload, id: string, update: boolean) => boolean;

interface NodeModuleApi {
  _cache?: Record<string, { exports?: unknown } | undefined>;
}

const TSLAB_DIST = /^(.*[\\/]tslab[\\/]dist[\\/])[^\\/]+\.js$/;

/** The MIME bundle of a payload: divlab JSON, text/plain summary, SVG fallback when drawable. */
export function mimeBundle(payload: DivlabPayload): Record<string, unknown> {
  const data: Record<string, unknown> = { [MIME_TYPE]: payload, 'text/plain': summarize(payload) };
  const svg = fallbackSvg(payload);
  if (svg !== undefined) data['image/svg+xml'] = svg;
  return data;
}

/** The loaded tslab's dist directory (…/tslab/dist/), if this process has tslab loaded. */
function tslabModules(): { cache: NonNullable<NodeModuleApi['_cache']>; dist: string } | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  if (typeof proc?.getBuiltinModule !== 'function') return undefined;
  let Module: NodeModuleApi | undefined;
  try {
    Module = proc.getBuiltinModule('module') as NodeModuleApi | undefined;
  } catch {
    return undefined;
  }
  const cache = Module?._cache;
  if (!cache) return undefined;
  let dist: string | undefined;
  for (const file of Object.keys(cache)) {
    const m = TSLAB_DIST.exec(file);
    if (m) {
      dist = m[1];
      if (file.endsWith('jupyter.js')) break;
    }
  }
  return dist === undefined ? undefined : { cache, dist };
}

/** The running tslab kernel's display channel, looked up at each send (the writer changes per cell). */
function tslabSender(): Sender | undefined {
  const found = tslabModules();
  if (!found) return undefined;
  const { cache, dist } = found;
  const jupyter = cache[dist + 'jupyter.js']?.exports as { lastWriteDisplayData?: unknown } | undefined;
  if (jupyter && 'lastWriteDisplayData' in jupyter) {
    return (payload, id, update) => {
      const write = jupyter.lastWriteDisplayData;
      if (typeof write !== 'function') return false; // tslab is loaded, but no cell is running
      const content: DisplayContent = { data: mimeBundle(payload), metadata: {}, transient: { display_id: id } };
      (write as (c: DisplayContent, update: boolean) => void)(content, update);
      return true;
    };
  }
  // A tslab without the internal writer: the public API, one MIME type, a string body.
  const publicApi = cache[dist + 'public.js']?.exports as { display?: { raw?: unknown }; newDisplay?: unknown } | undefined;
  const displays = new Map<string, { raw: (mime: string, body: string) => void }>();
  return (payload, id) => {
    try {
      let d = displays.get(id);
      if (!d) {
        const made = typeof publicApi?.newDisplay === 'function' ? (publicApi.newDisplay as () => unknown)() : publicApi?.display;
        if (typeof (made as { raw?: unknown } | undefined)?.raw !== 'function') return false;
        d = made as { raw: (mime: string, body: string) => void };
        displays.set(id, d);
      }
      d.raw(MIME_TYPE, JSON.stringify(payload));
      return true;
    } catch {
      return false; // "Not ready": not inside a running cell
    }
  };
}

/**
 * What `show()` returns: the output's payload and a way to redraw it in place.
 * In a tslab cell, `update(next)` replaces the output (also from a later cell, and repeatedly
 * inside a long-running cell: live progress). A cell ending in `display.show(…)` prints nothing
 * more than the figure (see `quietLastExpression`); printed elsewhere, a handle reads as a short
 * tag, e.g. `[divlab sweep]`.
 */
export class DisplayHandle {
  /** The display id of the output (Jupyter `transient.display_id`). */
  readonly id: string;
  private current: DivlabPayload;
  private sent: boolean;

  /** @internal */
  constructor(payload: DivlabPayload, private readonly send: Sender | undefined) {
    this.id = newId();
    this.current = payload;
    this.sent = send !== undefined && send(payload, this.id, false);
  }

  /** The payload shown now. */
  get payload(): DivlabPayload {
    return this.current;
  }

  /** Whether the output reached a notebook (false outside a running tslab cell). */
  get displayed(): boolean {
    return this.sent;
  }

  /**
   * Redraws the output with a new payload (or estimate). Before anything was displayed (e.g. the
   * first `show` ran outside a cell) this displays it.
   * @returns whether the notebook received it.
   */
  update(next: DivlabPayload | Estimate, options: ShowOptions = {}): boolean {
    this.current = toPayload(next, options, 'update(p)');
    if (!this.send) return false;
    const ok = this.send(this.current, this.id, this.sent);
    this.sent ||= ok;
    return ok;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `[divlab ${this.current.kind}]`;
  }

  toJSON(): DivlabPayload {
    return this.current;
  }
}

function newId(): string {
  let s = '';
  for (let i = 0; i < 16; i++) s += Math.floor(Math.random() * 16).toString(16);
  return `divlab-${s}`;
}

function isPayloadLike(x: unknown): x is { kind: unknown; version: unknown } {
  return typeof x === 'object' && x !== null && 'kind' in x && 'version' in x;
}

function toPayload(x: DivlabPayload | Estimate, options: ShowOptions, arg: string): DivlabPayload {
  if (isPayloadLike(x)) {
    const r = validatePayload(x);
    if (!r.ok) throw new InvalidParameterError(arg, `is not a divlab display payload: ${r.problems.join('; ')}`);
    return r.payload;
  }
  return estimatePayload(x as Estimate, options);
}

/**
 * Shows a result: an `Estimate` (value ± standard error, truth, per-sample terms; a `k` slider
 * with `options.data`) or a payload from a figure builder (`sweep`, `training`, `bandwidth`,
 * `field`, `gaussians`).
 *
 * @param x - what a divlab estimator returned, or a display payload.
 * @param options - for an estimate: `truth`, `title`, `data` (samples for browser recomputation),
 *   `controls`. Ignored for a payload.
 * @returns a `DisplayHandle`: `handle.update(next)` redraws the same output in place.
 * @throws InvalidParameterError when `x` is neither an `Estimate` nor a valid payload.
 *
 * @example
 * const h = display.show(display.training({ title: 'MINE', truth: 0.51, series: [{ name: 'DV', step: [], value: [] }] }));
 * // … in the training loop:
 * h.update(display.training({ title: 'MINE', truth: 0.51, series: [{ name: 'DV', step, value }] }));
 */
export function show(x: DivlabPayload | Estimate, options: ShowOptions = {}): DisplayHandle {
  const payload = toPayload(x, options, 'x');
  const send = tslabSender();
  if (send) quietLastExpression();
  return new DisplayHandle(payload, send);
}

/** The name tslab gives a cell's trailing expression (converter.ts `createLastExprVar`). */
const LAST_EXPR = 'tsLastExpr';

const QUIET = Symbol.for('divlab.quietLastExpression');

/**
 * Keeps a cell that ends in `display.show(…)` from also printing the returned handle. tslab stores
 * a cell's trailing expression as `exports.tsLastExpr` of its shared `globalThis.__tslab__.exports`
 * and prints it unless it reads null/undefined. That `exports` is a Proxy whose defineProperty trap
 * flattens accessors, so the accessor goes on a prototype inserted under it (once): its getter
 * hides a `DisplayHandle` (reads undefined) and passes every other value through. The compiled
 * cell first sets `exports.tsLastExpr = void 0` (an own property that would shadow the accessor);
 * `show()` runs before the final assignment and removes that empty own property. A no-op outside
 * tslab, and wherever tslab's internals differ (then the handle prints as its short tag).
 */
function quietLastExpression(): void {
  const ex = (globalThis as { __tslab__?: { exports?: unknown } }).__tslab__?.exports as Record<string | symbol, unknown> | undefined;
  if (typeof ex !== 'object' || ex === null) return;
  try {
    if (!(QUIET in ex)) {
      let value: unknown;
      const proto = Object.create(Object.getPrototypeOf(ex) as object | null) as object;
      Object.defineProperty(proto, QUIET, { value: true });
      Object.defineProperty(proto, LAST_EXPR, {
        configurable: true,
        get: () => (value instanceof DisplayHandle ? undefined : value),
        set: (v: unknown) => { value = v; },
      });
      Object.setPrototypeOf(ex, proto);
    }
    const own = Object.getOwnPropertyDescriptor(ex, LAST_EXPR);
    if (own && 'value' in own && (own.value === undefined || own.value === null) && own.configurable) delete ex[LAST_EXPR];
  } catch {
    // a frozen or exotic exports object: leave it alone
  }
}

/**
 * `show()`: displays an estimate in a notebook. Inside the tslab kernel it sends one display_data
 * output carrying two representations:
 *   - `application/vnd.divlab.v1+json` — the payload (a JSON object), drawn as a table by the divlab
 *     JupyterLab extension;
 *   - `text/plain` — a one-line summary, what a front-end without the extension (nbconvert, a
 *     terminal, GitHub's viewer) shows instead.
 * Outside tslab (a script, a test, a browser) it displays nothing and returns the payload.
 *
 * How it reaches tslab. tslab's public API (`require('tslab').display.raw(mime, body)`) sends one
 * MIME type per output and a string body, so the text/plain fallback would need a second, duplicate
 * output. The kernel's own message writer, `tslab/dist/jupyter.js` `lastWriteDisplayData` (what
 * `display.raw` calls, set while a cell runs), takes a whole MIME bundle: `show()` uses it. If a
 * future tslab lacks it, `show()` falls back to the public `display.raw` with the payload alone.
 *
 * No `require('tslab')` is resolved from here: the running kernel's tslab is found among the modules
 * Node has already loaded (so a tslab installed globally, not beside divlab, works too), through
 * `process.getBuiltinModule('module')` (Node ≥ 20.16) — no static `require`/`import` of Node code,
 * so browser bundles of divlab never pull tslab or Node built-ins.
 */
import type { Estimate } from '../estimate.js';
import { estimatePayload, type EstimatePayloadOptions } from './estimate-payload.js';
import { summarize } from './format.js';
import { MIME_TYPE, type EstimatePayload } from './payload.js';

export type ShowOptions = EstimatePayloadOptions;

/** A Jupyter display_data content, as tslab's kernel writes it. */
interface DisplayContent {
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  transient: Record<string, unknown>;
}

/** How to display in the running tslab kernel, or why not. */
type Sender = (payload: EstimatePayload) => boolean;

interface NodeModuleApi {
  _cache?: Record<string, { exports?: unknown } | undefined>;
  createRequire?: (filename: string) => (id: string) => unknown;
}

const TSLAB_DIST = /^(.*[\\/]tslab[\\/]dist[\\/])[^\\/]+\.js$/;

/** The running tslab kernel's display channel, when this process is a tslab kernel running a cell. */
function tslabSender(): Sender | undefined {
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
  if (dist === undefined) return undefined;

  const jupyter = cache[dist + 'jupyter.js']?.exports as { lastWriteDisplayData?: unknown } | undefined;
  if (jupyter && 'lastWriteDisplayData' in jupyter) {
    const write = jupyter.lastWriteDisplayData;
    if (typeof write !== 'function') return undefined; // tslab is loaded, but no cell is running
    return (payload) => {
      const content: DisplayContent = {
        data: { [MIME_TYPE]: payload, 'text/plain': summarize(payload) },
        metadata: {},
        transient: {},
      };
      (write as (c: DisplayContent, update: boolean) => void)(content, false);
      return true;
    };
  }
  // A tslab without the internal writer: the public API, one MIME type, a string body.
  const publicApi = cache[dist + 'public.js']?.exports as { display?: { raw?: unknown } } | undefined;
  const raw = publicApi?.display?.raw;
  if (typeof raw !== 'function') return undefined;
  return (payload) => {
    try {
      (raw as (mime: string, body: string) => void).call(publicApi!.display, MIME_TYPE, JSON.stringify(payload));
      return true;
    } catch {
      return false; // "Not ready": not inside a running cell
    }
  };
}

/**
 * Shows an estimate: a table in JupyterLab with the divlab extension (value ± standard error,
 * unit, sample sizes, parameters, and the truth when given), a one-line summary elsewhere.
 *
 * @param estimate - what a divlab estimator returned.
 * @param options.truth - the true value in the estimate's unit, shown beside it.
 * @returns `undefined` when it displayed (so a tslab cell ending in `show(...)` prints nothing
 *   more), else the payload it would have displayed (outside tslab: scripts, tests, browsers).
 * @throws InvalidParameterError when `estimate` is not an `Estimate` or `truth` is not a number.
 *
 * @example
 * display.show(knn.kl(x, y), { truth: gaussian.kl(P, Q) });
 */
export function show(estimate: Estimate, options: ShowOptions = {}): EstimatePayload | undefined {
  const payload = estimatePayload(estimate, options);
  const send = tslabSender();
  return send && send(payload) ? undefined : payload;
}

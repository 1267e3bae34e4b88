/**
 * Reactive scheduling rules as pure functions over a status array indexed like the graph.
 *
 *   fresh    ran with the current source (or never touched since the notebook opened)
 *   stale    edited since it last ran, or upstream of it changed and it has not re-run
 *   queued   in the current re-run plan, waiting
 *   running  executing now
 *   error    its last run failed
 *   blocked  in a plan that stopped at an error before reaching it
 *
 * Rules:
 * - edit cell i (without running it): i and downstream(i) become stale;
 * - cell i ran successfully: i becomes fresh; eager mode queues downstream(i) in notebook order,
 *   lazy mode marks them stale and queues nothing;
 * - a plan runs one cell at a time and stops at the first failure: that cell is `error`, the
 *   cells left in the plan are `blocked`;
 * - "Run stale cells" runs the stale, blocked and error cells in notebook order (each success
 *   re-plans its dependents as above).
 */
import { downstream, type Graph } from './graph.js';

export type CellStatus = 'fresh' | 'stale' | 'queued' | 'running' | 'error' | 'blocked';

export function initialStatus(size: number): CellStatus[] {
  return Array.from({ length: size }, () => 'fresh' as const);
}

/** Cell `i` was edited without running: it and its downstream cells become stale. */
export function markEdited(graph: Graph, status: readonly CellStatus[], i: number): CellStatus[] {
  const next = status.slice();
  for (const k of [i, ...downstream(graph, [i])]) if (next[k] !== 'running') next[k] = 'stale';
  return next;
}

export interface AfterRun {
  readonly status: CellStatus[];
  /** Cells to run now, in order (empty in lazy mode). */
  readonly plan: number[];
}

/** Cell `i` ran successfully. */
export function afterSuccess(graph: Graph, status: readonly CellStatus[], i: number, lazy: boolean): AfterRun {
  const next = status.slice();
  next[i] = 'fresh';
  const down = downstream(graph, [i]);
  for (const k of down) next[k] = lazy ? 'stale' : 'queued';
  return { status: next, plan: lazy ? [] : down };
}

/** Cell `i` failed; `rest` are the cells of the plan that had not run yet. */
export function afterFailure(status: readonly CellStatus[], i: number, rest: readonly number[]): CellStatus[] {
  const next = status.slice();
  next[i] = 'error';
  for (const k of rest) next[k] = 'blocked';
  return next;
}

/** The cells "Run stale cells" runs, in notebook order. */
export function staleCells(status: readonly CellStatus[]): number[] {
  const out: number[] = [];
  status.forEach((s, i) => {
    if (s === 'stale' || s === 'blocked' || s === 'error') out.push(i);
  });
  return out;
}

/**
 * Merges the re-run plans of several cells that ran (e.g. during "Run All"), dropping every cell
 * that itself ran after all the triggers that reach it. `triggers[t] = { cell, seq }` with `seq`
 * the run's sequence number; `lastRun[k]` is the sequence number of cell k's latest successful
 * run (−∞ when never).
 */
export function mergePlans(graph: Graph, triggers: ReadonlyArray<{ cell: number; seq: number }>, lastRun: readonly number[]): number[] {
  const need = new Map<number, number>(); // cell -> latest trigger seq that reaches it
  for (const t of triggers) {
    for (const k of downstream(graph, [t.cell])) need.set(k, Math.max(need.get(k) ?? -Infinity, t.seq));
  }
  return [...need.entries()]
    .filter(([k, seq]) => !((lastRun[k] ?? -Infinity) > seq))
    .map(([k]) => k)
    .sort((x, y) => x - y);
}

/**
 * Runs `plan` one cell at a time through `execute` (resolving true on success), stopping at the
 * first failure. `onStatus` sees every status change. Cells a success newly reaches are not added
 * here (the plan is already the transitive downstream).
 */
export async function executePlan(
  plan: readonly number[],
  status: readonly CellStatus[],
  execute: (cell: number) => Promise<boolean>,
  onStatus: (status: CellStatus[]) => void,
): Promise<{ status: CellStatus[]; ran: number[]; failed: number | null }> {
  let cur = status.slice();
  for (const k of plan) cur[k] = 'queued';
  onStatus(cur);
  const ran: number[] = [];
  for (let t = 0; t < plan.length; t++) {
    const k = plan[t]!;
    cur = cur.slice();
    cur[k] = 'running';
    onStatus(cur);
    let ok = false;
    try {
      ok = await execute(k);
    } catch {
      ok = false;
    }
    ran.push(k);
    if (!ok) {
      cur = afterFailure(cur, k, plan.slice(t + 1));
      onStatus(cur);
      return { status: cur, ran, failed: k };
    }
    cur = cur.slice();
    cur[k] = 'fresh';
    onStatus(cur);
  }
  return { status: cur, ran, failed: null };
}

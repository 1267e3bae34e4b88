/**
 * The dependency graph of a notebook's code cells, in notebook order, from each cell's analysis.
 *
 * - A reference (read or write) to a name resolves to the nearest preceding cell that defines it:
 *   an edge provider → user. Names no preceding cell defines are globals or kernel state made by
 *   hand (`Math`, `console`, a name from a deleted cell) and make no edge.
 * - A cell that redefines a name links to the nearest preceding definer: re-running the earlier
 *   cell overwrites the name in the kernel, so the redefining cell must run again after it
 *   (a redefinition chain), followed by its own dependents.
 * - Reports per cell (shown in its gutter): a name defined in two cells, a write to another
 *   cell's name (later readers are not linked to the writer), a member write or method call on
 *   another cell's variable (a mutation the analysis cannot follow), a name used before the cell
 *   that defines it.
 *
 * Pure functions over arrays indexed by the cell's position among the code cells.
 */
import type { CellAnalysis, DefinitionKind } from './analysis.js';

export interface GraphCellInput {
  readonly analysis: CellAnalysis;
  /** How reports name the cell, e.g. "cell 3". Default: `cell ${index + 1}`. */
  readonly label?: string;
}

export type ReportKind = 'redefinition' | 'redefined-below' | 'assignment' | 'mutation' | 'used-before-definition';

export interface CellReport {
  readonly kind: ReportKind;
  readonly name: string;
  /** The other cell involved (index), when there is one. */
  readonly other?: number;
  /** A short reason for the gutter. */
  readonly message: string;
}

export interface Graph {
  readonly size: number;
  /** uses[i]: name → index of the cell that provides it to cell i. */
  readonly uses: ReadonlyArray<ReadonlyMap<string, number>>;
  /** dependents[j]: cells that read or write a name cell j provides (ascending). */
  readonly dependents: ReadonlyArray<readonly number[]>;
  /** redefinedBy[j]: cells that redefine a name of cell j, nearest next definer per name (ascending). */
  readonly redefinedBy: ReadonlyArray<readonly number[]>;
  /** redefines[i]: name → the nearest preceding cell that also defines it. */
  readonly redefines: ReadonlyArray<ReadonlyMap<string, number>>;
  readonly reports: ReadonlyArray<readonly CellReport[]>;
}

/**
 * Method names taken as not mutating their receiver; a call of any other method on another cell's
 * variable is reported as a possible mutation. (Array / typed-array / string / Map readers.)
 */
export const NON_MUTATING_METHODS: ReadonlySet<string> = new Set([
  'at', 'concat', 'entries', 'every', 'filter', 'find', 'findIndex', 'findLast', 'findLastIndex', 'flat', 'flatMap',
  'forEach', 'get', 'has', 'includes', 'indexOf', 'join', 'keys', 'lastIndexOf', 'map', 'reduce', 'reduceRight',
  'slice', 'some', 'subarray', 'toFixed', 'toPrecision', 'toString', 'toLocaleString', 'valueOf', 'values',
  'toSorted', 'toReversed', 'toSpliced', 'with', 'charAt', 'charCodeAt', 'codePointAt', 'endsWith', 'startsWith',
  'padStart', 'padEnd', 'repeat', 'replace', 'replaceAll', 'split', 'substring', 'toLowerCase', 'toUpperCase', 'trim',
  'then', 'catch', 'finally', 'call', 'apply', 'bind', 'toJSON',
]);

/** Declarations whose objects are not data (calls on them are not reported as mutations). */
const NOT_DATA: ReadonlySet<DefinitionKind> = new Set(['import', 'function', 'class', 'enum', 'namespace', 'type', 'interface']);

export function buildGraph(cells: readonly GraphCellInput[]): Graph {
  const n = cells.length;
  const label = (i: number): string => cells[i]?.label ?? `cell ${i + 1}`;
  const uses: Array<Map<string, number>> = [];
  const redefines: Array<Map<string, number>> = [];
  const dependents: Array<Set<number>> = Array.from({ length: n }, () => new Set());
  const redefinedBy: Array<Set<number>> = Array.from({ length: n }, () => new Set());
  const reports: CellReport[][] = Array.from({ length: n }, () => []);
  const kindOf: Array<Map<string, DefinitionKind>> = cells.map((c) => new Map(c.analysis.definitions.map((d) => [d.name, d.kind])));
  // For each name, the cells defining it so far (ascending).
  const definers = new Map<string, number[]>();
  const allDefiners = new Map<string, number[]>();
  cells.forEach((c, i) => {
    for (const name of c.analysis.defines) {
      const list = allDefiners.get(name) ?? [];
      list.push(i);
      allDefiners.set(name, list);
    }
  });

  for (let i = 0; i < n; i++) {
    const a = cells[i]!.analysis;
    const provided = new Map<string, number>();
    const nearest = (name: string): number | undefined => {
      const list = definers.get(name);
      return list && list.length ? list[list.length - 1] : undefined;
    };
    for (const name of a.references) {
      const j = nearest(name);
      if (j !== undefined) {
        provided.set(name, j);
        dependents[j]!.add(i);
      } else {
        const later = (allDefiners.get(name) ?? []).find((k) => k > i);
        if (later !== undefined) {
          reports[i]!.push({ kind: 'used-before-definition', name, other: later, message: `uses ${name} before ${label(later)} defines it: not linked` });
        }
      }
    }
    for (const w of a.assigns) {
      const j = provided.get(w.name);
      if (j !== undefined) {
        reports[i]!.push({ kind: 'assignment', name: w.name, other: j, message: `assigns ${w.name} of ${label(j)}: cells reading ${w.name} are not linked to this write` });
      }
    }
    const mutated = new Set<string>();
    for (const m of a.mutations) {
      const j = provided.get(m.name);
      if (j === undefined || mutated.has(m.name)) continue;
      const kind = kindOf[j]!.get(m.name);
      if (kind && NOT_DATA.has(kind)) continue;
      if (m.how === 'method-call' && m.method && NON_MUTATING_METHODS.has(m.method)) continue;
      mutated.add(m.name);
      const what = m.how === 'method-call' ? `${m.name}.${m.method}()` : `writes into ${m.name}`;
      reports[i]!.push({ kind: 'mutation', name: m.name, other: j, message: `${what} may change ${label(j)}'s ${m.name}: not tracked` });
    }
    const redef = new Map<string, number>();
    for (const name of a.defines) {
      const j = nearest(name);
      if (j !== undefined) {
        redef.set(name, j);
        redefinedBy[j]!.add(i);
        reports[i]!.push({ kind: 'redefinition', name, other: j, message: `${name} is also defined in ${label(j)}` });
        reports[j]!.push({ kind: 'redefined-below', name, other: i, message: `${name} is redefined in ${label(i)}` });
      }
    }
    for (const name of a.defines) {
      const list = definers.get(name) ?? [];
      list.push(i);
      definers.set(name, list);
    }
    uses.push(provided);
    redefines.push(redef);
  }
  const sorted = (s: Set<number>): number[] => [...s].sort((x, y) => x - y);
  return { size: n, uses, dependents: dependents.map(sorted), redefinedBy: redefinedBy.map(sorted), redefines, reports };
}

/**
 * The cells to re-run after `sources` ran, in notebook order: everything reachable through
 * dependent and redefinition edges, the sources themselves excluded (unless reached from another
 * source).
 */
export function downstream(graph: Graph, sources: readonly number[]): number[] {
  const seen = new Set<number>();
  const stack = [...sources];
  while (stack.length) {
    const j = stack.pop()!;
    for (const k of [...(graph.dependents[j] ?? []), ...(graph.redefinedBy[j] ?? [])]) {
      if (!seen.has(k)) {
        seen.add(k);
        stack.push(k);
      }
    }
  }
  return [...seen].sort((x, y) => x - y);
}

/**
 * The cells to re-run when only the given `names` of cell `source` changed (a `@param` slider moved):
 * the cells that read or redefine one of those names, then everything downstream of them — not
 * the dependents of the cell's other names.
 */
export function downstreamOfNames(graph: Graph, source: number, names: readonly string[]): number[] {
  const wanted = new Set(names);
  const direct: number[] = [];
  for (let k = source + 1; k < graph.size; k++) {
    const reads = [...(graph.uses[k] ?? [])].some(([name, j]) => j === source && wanted.has(name));
    const redefines = [...(graph.redefines[k] ?? [])].some(([name, j]) => j === source && wanted.has(name));
    if (reads || redefines) direct.push(k);
  }
  return [...new Set([...direct, ...downstream(graph, direct)])].sort((x, y) => x - y);
}

/** The cells that feed `target` (transitively), in notebook order. */
export function upstream(graph: Graph, target: number): number[] {
  const seen = new Set<number>();
  const stack = [target];
  while (stack.length) {
    const i = stack.pop()!;
    for (const j of graph.uses[i]?.values() ?? []) {
      if (!seen.has(j)) {
        seen.add(j);
        stack.push(j);
      }
    }
  }
  return [...seen].sort((x, y) => x - y);
}

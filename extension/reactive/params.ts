/**
 * Parameter cells: a comment `// @param name slider(min, max, step)` on a top-level `const` whose
 * initializer is a number literal (the line above the declaration, or the end of its line) turns
 * the constant into a slider. Moving the slider rewrites the literal in the source
 * (`rewriteParam`) and re-runs the cell's dependents.
 *
 *   // @param n slider(100, 5000, 100)
 *   const n = 1000;
 *   const h = 0.3; // @param h slider(0.05, 1, 0.05)
 *
 * `step` may be omitted (then (max − min)/100). Pure functions; the TypeScript module is passed in.
 */
import type * as TS from 'typescript';

export interface ParamSpec {
  readonly name: string;
  readonly control: 'slider';
  readonly min: number;
  readonly max: number;
  readonly step: number;
  /** The literal's current value. */
  readonly value: number;
  /** Source range [start, end) of the number literal (a leading minus sign included). */
  readonly start: number;
  readonly end: number;
  /** 1-based line of the declaration. */
  readonly line: number;
}

export interface ParamProblem {
  readonly message: string;
  readonly line: number;
}

const NUM = String.raw`[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?`;
/** `@param name slider(min, max[, step])`, anywhere in a line comment. */
export const PARAM_RE = new RegExp(String.raw`@param\s+([A-Za-z_$][\w$]*)\s+slider\(\s*(${NUM})\s*,\s*(${NUM})\s*(?:,\s*(${NUM})\s*)?\)`);
const PARAM_COMMENT_RE = /\/\/[^\n]*@param\b[^\n]*/g;

interface Directive {
  name: string;
  min: number;
  max: number;
  step: number | undefined;
  line: number;
}

function parseDirective(text: string, line: number): Directive | null {
  const m = PARAM_RE.exec(text);
  if (!m) return null;
  return { name: m[1]!, min: Number(m[2]), max: Number(m[3]), step: m[4] === undefined ? undefined : Number(m[4]), line };
}

/** Finds the `@param` sliders of a parsed cell and the `@param` comments that attach to nothing usable. */
export function parseParams(ts: TsModule, sf: TS.SourceFile, source: string): { params: ParamSpec[]; problems: ParamProblem[] } {
  const lineOf = (pos: number): number => sf.getLineAndCharacterOfPosition(pos).line + 1;
  const params: ParamSpec[] = [];
  const problems: ParamProblem[] = [];
  const used = new Set<number>(); // lines of the comments that were attached

  for (const st of sf.statements) {
    if (!ts.isVariableStatement(st)) continue;
    const comments = [
      ...(ts.getLeadingCommentRanges(source, st.getFullStart()) ?? []),
      ...(ts.getTrailingCommentRanges(source, st.end) ?? []),
    ].filter((c) => c.kind === ts.SyntaxKind.SingleLineCommentTrivia);
    for (const c of comments) {
      const d = parseDirective(source.slice(c.pos, c.end), lineOf(c.pos));
      if (!d) continue;
      const decl = st.declarationList.declarations.find((v) => ts.isIdentifier(v.name) && v.name.text === d.name);
      if (!decl) continue;
      used.add(d.line);
      const isConst = (st.declarationList.flags & ts.NodeFlags.Const) !== 0;
      const lit = numberLiteral(ts, decl.initializer);
      if (!isConst || !lit) {
        problems.push({ line: d.line, message: `@param ${d.name}: needs a top-level const with a number literal, e.g. const ${d.name} = 1;` });
        continue;
      }
      if (!(d.min < d.max)) {
        problems.push({ line: d.line, message: `@param ${d.name}: slider min (${d.min}) must be below max (${d.max})` });
        continue;
      }
      const step = d.step ?? (d.max - d.min) / 100;
      if (!(step > 0)) {
        problems.push({ line: d.line, message: `@param ${d.name}: slider step must be positive, got ${step}` });
        continue;
      }
      params.push({
        name: d.name, control: 'slider', min: d.min, max: d.max, step, value: lit.value,
        start: lit.node.getStart(sf), end: lit.node.end, line: lineOf(decl.getStart(sf)),
      });
    }
  }
  for (const m of source.matchAll(PARAM_COMMENT_RE)) {
    const line = lineOf(m.index ?? 0);
    if (used.has(line)) continue;
    const d = parseDirective(m[0], line);
    problems.push({
      line,
      message: d
        ? `@param ${d.name}: no top-level const ${d.name} on this line or the next`
        : '@param comment not understood; write // @param name slider(min, max, step)',
    });
  }
  return { params, problems };
}

type TsModule = typeof TS;

function numberLiteral(ts: TsModule, e: TS.Expression | undefined): { node: TS.Node; value: number } | null {
  if (!e) return null;
  if (ts.isNumericLiteral(e)) return { node: e, value: Number(e.text) };
  if (ts.isPrefixUnaryExpression(e) && ts.isNumericLiteral(e.operand)
    && (e.operator === ts.SyntaxKind.MinusToken || e.operator === ts.SyntaxKind.PlusToken)) {
    const v = Number(e.operand.text);
    return { node: e, value: e.operator === ts.SyntaxKind.MinusToken ? -v : v };
  }
  return null;
}

/** Number of decimals a step needs (0.05 → 2, 100 → 0, 1e-3 → 3). */
export function stepDecimals(step: number): number {
  if (!Number.isFinite(step) || step <= 0) return 0;
  for (let d = 0; d <= 12; d++) if (Math.abs(Math.round(step * 10 ** d) - step * 10 ** d) < 1e-9 * 10 ** d) return d;
  return 12;
}

/** Snaps `value` to the slider's grid min + k·step inside [min, max] and formats it as a TS literal. */
export function formatParamValue(spec: Pick<ParamSpec, 'min' | 'max' | 'step'>, value: number): string {
  const k = Math.round((value - spec.min) / spec.step);
  const v = Math.min(spec.max, Math.max(spec.min, spec.min + k * spec.step));
  const d = Math.max(stepDecimals(spec.step), stepDecimals(spec.min));
  const s = v.toFixed(d);
  return /^-?0(\.0*)?$/.test(s) ? '0' : s.replace(/^(-?)0+(?=\d)/, '$1');
}

/** The source with the parameter's literal replaced by `value` (snapped to the slider grid). */
export function rewriteParam(source: string, spec: ParamSpec, value: number): string {
  return source.slice(0, spec.start) + formatParamValue(spec, value) + source.slice(spec.end);
}

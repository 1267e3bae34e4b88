/**
 * Special functions in float64.
 *
 * digamma: recurrence ψ(x) = ψ(x+1) − 1/x up to x ≥ 10, then the asymptotic series
 *   ψ(x) ≈ ln x − 1/(2x) − Σ B_{2j}/(2j x^{2j})  (Abramowitz & Stegun 6.3.18), reflection for x < 0.
 * lgamma: Lanczos approximation (g = 7, n = 9; Numerical Recipes 3rd ed. §6.1), reflection for x < 0.5,
 *   relative accuracy ~1e-15 on the positive axis.
 */

/** ψ(x), the digamma function. ψ(1) = −γ; ψ(n) = H_{n−1} − γ for integers n ≥ 1. */
export function digamma(x: number): number {
  if (Number.isNaN(x) || x === -Infinity) return NaN;
  if (x === Infinity) return Infinity;
  if (x <= 0 && Number.isInteger(x)) return NaN; // poles at 0, −1, −2, ...
  let result = 0;
  if (x < 0) {
    // Reflection: ψ(1 − x) − ψ(x) = π cot(πx)
    result -= Math.PI / Math.tan(Math.PI * x);
    x = 1 - x;
  }
  while (x < 10) {
    result -= 1 / x;
    x += 1;
  }
  const f = 1 / (x * x);
  const series = f * (1 / 12 - f * (1 / 120 - f * (1 / 252 - f * (1 / 240 - f * (1 / 132 - f * (691 / 32760 - f / 12))))));
  return result + Math.log(x) - 0.5 / x - series;
}

const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
  -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
  1.5056327351493116e-7,
];

/** log|Γ(x)|. */
export function lgamma(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x === Infinity) return Infinity;
  if (x <= 0 && Number.isInteger(x)) return Infinity;
  if (x < 0.5) {
    // Reflection: Γ(x) Γ(1 − x) = π / sin(πx)
    return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lgamma(1 - x);
  }
  // Exact for small integers (factorials) so that ψ/lgamma-based constants are tight.
  if (Number.isInteger(x) && x <= 171) {
    let acc = 0;
    for (let i = 2; i < x; i++) acc += Math.log(i);
    return acc;
  }
  x -= 1;
  let a = LANCZOS[0];
  const t = x + LANCZOS_G + 0.5;
  for (let i = 1; i < LANCZOS.length; i++) a += LANCZOS[i] / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** log V_d, the log-volume of the unit Euclidean ball in R^d: V_d = π^{d/2} / Γ(d/2 + 1). */
export function logUnitBallVolume(d: number): number {
  return (d / 2) * Math.log(Math.PI) - lgamma(d / 2 + 1);
}

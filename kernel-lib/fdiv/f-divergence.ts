import { InvalidParameterError } from '../core/errors.js';
import { runLogitDivergence, type LogitDivergence, type LogitOptions, type Logits } from './logits.js';

/**
 * A convex generator f with f(1) = 0 defining D_f(P‖Q) = Σ_k q_k f(p_k/q_k) (Csiszár 1967; Ali &
 * Silvey 1966), its derivative and, optionally, its convex conjugate f*(s) = sup_t (st − f(t))
 * (the variational representation D_f = sup_T E_P[T] − E_Q[f*(T)] of Nguyen, Wainwright & Jordan
 * 2010 and f-GAN, Nowozin, Cseke & Tomioka 2016, eq. (4) and Table 2).
 */
export interface FGenerator {
  /** Name for the result's `divergence` field. */
  readonly name?: string;
  /** f(t) for t ≥ 0 (t = 0 may return +∞). */
  readonly f: (t: number) => number;
  /** f′(t) for t > 0 (a subgradient where f has a kink). Needed for gradients. */
  readonly fPrime: (t: number) => number;
  /** f*(s), +∞ (or NaN) outside its domain. When given, it is checked against f and f′ (Fenchel–Young). */
  readonly conjugate?: (s: number) => number;
  /** lim_{t→∞} f(t)/t (f′(∞)): the contribution p_k·f′(∞) of a class with q_k = 0 < p_k. Default +∞. */
  readonly slopeAtInfinity?: number;
}

/**
 * Built-in generators with their conjugates (Nowozin et al. 2016, Table 2, rescaled where divlab's
 * convention differs: JS and H² carry the factor ½ of {@link js} and {@link hellinger}).
 */
export const generators = {
  kl: { name: 'kl', f: (t: number) => (t > 0 ? t * Math.log(t) : 0), fPrime: (t: number) => Math.log(t) + 1, conjugate: (s: number) => Math.exp(s - 1) },
  reverseKl: { name: 'reverse-kl', f: (t: number) => -Math.log(t), fPrime: (t: number) => -1 / t, conjugate: (s: number) => (s < 0 ? -1 - Math.log(-s) : Infinity), slopeAtInfinity: 0 },
  pearson: { name: 'pearson-chi2', f: (t: number) => (t - 1) * (t - 1), fPrime: (t: number) => 2 * (t - 1), conjugate: (s: number) => (s * s) / 4 + s },
  neyman: { name: 'neyman-chi2', f: (t: number) => ((1 - t) * (1 - t)) / t, fPrime: (t: number) => 1 - 1 / (t * t), conjugate: (s: number) => (s < 1 ? 2 - 2 * Math.sqrt(1 - s) : Infinity), slopeAtInfinity: 1 },
  hellinger: { name: 'squared-hellinger', f: (t: number) => 0.5 * (Math.sqrt(t) - 1) ** 2, fPrime: (t: number) => 0.5 * (1 - 1 / Math.sqrt(t)), conjugate: (s: number) => (s < 0.5 ? s / (1 - 2 * s) : Infinity), slopeAtInfinity: 0.5 },
  js: {
    name: 'jensen-shannon',
    f: (t: number) => 0.5 * ((t > 0 ? t * Math.log(t) : 0) - (1 + t) * Math.log((1 + t) / 2)),
    fPrime: (t: number) => 0.5 * Math.log((2 * t) / (1 + t)),
    conjugate: (s: number) => (s < 0.5 * Math.LN2 ? -0.5 * Math.log(2 - Math.exp(2 * s)) : Infinity),
    slopeAtInfinity: 0.5 * Math.LN2,
  },
  totalVariation: { name: 'total-variation', f: (t: number) => 0.5 * Math.abs(t - 1), fPrime: (t: number) => (t > 1 ? 0.5 : t < 1 ? -0.5 : 0), conjugate: (s: number) => (Math.abs(s) <= 0.5 ? s : Infinity), slopeAtInfinity: 0.5 },
} satisfies Record<string, FGenerator>;

export type GeneratorName = keyof typeof generators;

/** Checks f(1) = 0 and, with a conjugate, the Fenchel–Young equality f(t) + f*(f′(t)) = t f′(t). */
export function checkGenerator(g: FGenerator, name = 'generator'): void {
  if (typeof g?.f !== 'function' || typeof g?.fPrime !== 'function') {
    throw new InvalidParameterError(name, 'needs functions f and fPrime (and optionally conjugate)');
  }
  const f1 = g.f(1);
  if (!(Math.abs(f1) < 1e-12)) throw new InvalidParameterError(`${name}.f`, `f(1) must be 0 for D(P‖P) = 0, got ${f1}; use f(t) − f(1)`);
  for (const t of [0.25, 0.7, 1.6, 4]) {
    const ft = g.f(t), d = g.fPrime(t);
    const h = 1e-5 * t;
    const fd = (g.f(t + h) - g.f(t - h)) / (2 * h);
    if (!(Math.abs(fd - d) <= 1e-5 * (1 + Math.abs(d)))) {
      throw new InvalidParameterError(`${name}.fPrime`, `f′(${t}) = ${d} disagrees with the central difference of f, ${fd}; fPrime must be the derivative of f`);
    }
    if (g.conjugate) {
      const lhs = ft + g.conjugate(d), rhs = t * d;
      if (!(Math.abs(lhs - rhs) <= 1e-8 * (1 + Math.abs(rhs)))) {
        throw new InvalidParameterError(`${name}.conjugate`, `f(t) + f*(f′(t)) = ${lhs} ≠ t f′(t) = ${rhs} at t = ${t} (Fenchel–Young); the conjugate does not belong to f`);
      }
    }
  }
}

/**
 * Generic f-divergence between the rows of softmax(a/T) and softmax(b/T):
 *   D_f(P‖Q) = Σ_k q_k f(p_k/q_k)   (Csiszár 1967; Liese & Vajda 2006, IEEE Trans. IT 52(10), §II),
 * with q f(p/q) = p·f′(∞) where q_k = 0 < p_k and 0 where p_k = q_k = 0. Gradients through the
 * softmax: with t = p/q,  ∂D/∂log p_k = p_k f′(t_k),  ∂D/∂log q_k = q_k (f(t_k) − t_k f′(t_k)).
 * `generator` is a name from {@link generators} or a user {@link FGenerator} (validated: f(1) = 0,
 * f′ against finite differences of f, and the conjugate by Fenchel–Young). The ratio is formed as
 * exp(log p − log q), so the result follows the dedicated functions to ~1e-12 on well-conditioned
 * rows, but the dedicated ones are more accurate when P ≈ Q and faster.
 *
 * @example fdiv.fDivergence([[0, 0]], [[Math.log(3), 0]], 'pearson').value  // 1/3
 */
export function fDivergence(logitsP: Logits, logitsQ: Logits, generator: FGenerator | GeneratorName, options: LogitOptions = {}): LogitDivergence {
  let g: FGenerator;
  if (typeof generator === 'string') {
    if (!(generator in generators)) {
      throw new InvalidParameterError('generator', `unknown generator '${generator}'; use one of ${Object.keys(generators).join(', ')} or pass { f, fPrime, conjugate }`);
    }
    g = generators[generator];
  } else {
    g = generator;
  }
  checkGenerator(g);
  const slope = g.slopeAtInfinity ?? Infinity;
  const f0 = g.f(0);
  return runLogitDivergence(logitsP, logitsQ, options, {
    divergence: g.name ? `f:${g.name}` : 'f-divergence',
    params: {},
    kernel: (lp, lq, p, q, u, v, n) => {
      let s = 0, c = 0;
      for (let k = 0; k < n; k++) {
        const a = lp[k], b = lq[k];
        let term: number, uk = 0, vk = 0;
        if (a === -Infinity && b === -Infinity) {
          term = 0;
        } else if (b === -Infinity) {
          if (slope === Infinity) return Infinity;
          term = p[k] * slope;
          uk = term;
        } else if (a === -Infinity) {
          if (!Number.isFinite(f0)) return Infinity;
          term = q[k] * f0;
          vk = term;
        } else {
          const t = Math.exp(a - b);
          const ft = g.f(t);
          if (ft === Infinity) return Infinity;
          term = q[k] * ft;
          if (u) {
            const d = g.fPrime(t);
            uk = p[k] * d;
            vk = q[k] * (ft - t * d);
          }
        }
        const s2 = s + term;
        c += Math.abs(s) >= Math.abs(term) ? s - s2 + term : term - s2 + s;
        s = s2;
        if (u) { u[k] = uk; v![k] = vk; }
      }
      return s + c;
    },
  });
}

/**
 * divlab/fdiv — divergences between categorical distributions given by logits (rows × classes),
 * each with its analytic gradient with respect to both logit arrays. Values in nats.
 *
 * import { fdiv } from 'divlab';
 * const r = fdiv.kl(teacherLogits, studentLogits, { temperature: 2 });
 * r.value; r.gradQ;   // ∂ mean-row KL / ∂ student logits
 */
export { kl, reverseKl } from './kl.js';
export { js } from './js.js';
export { totalVariation } from './total-variation.js';
export { hellinger } from './hellinger.js';
export { pearson, neyman } from './chi-square.js';
export { alpha, type AlphaOptions } from './alpha.js';
export { renyi } from './renyi.js';
export { tsallis, type TsallisOptions } from './tsallis.js';
export { skewKl, type SkewKlOptions } from './skew-kl.js';
export { fDivergence, generators, checkGenerator, type FGenerator, type GeneratorName } from './f-divergence.js';
export { softmax, logSoftmax, toLogits, type Logits, type LogitOptions, type LogitDivergence, type LogitBatch } from './logits.js';

/**
 * divlab/ot — entropic optimal transport (Sinkhorn in the log domain) with convergence reports and
 * gradients.
 */
export { sinkhorn, solveSinkhornLog, toHistogram, toCost, type SinkhornOptions, type SinkhornResult, type SinkhornReport, type CostMatrix } from './sinkhorn.js';
export { sinkhornLogits, type SinkhornLogitOptions, type SinkhornLogitResult } from './sinkhorn-logits.js';

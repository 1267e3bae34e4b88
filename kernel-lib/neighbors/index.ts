export { KdTree } from './kdtree.js';
export { bruteKnn, bruteCount, brutePairwise } from './brute.js';
export { distance, type Metric } from './metric.js';

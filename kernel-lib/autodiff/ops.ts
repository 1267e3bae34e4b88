/** Every differentiable op of divlab/autodiff, re-exported as one namespace (`autodiff.ops`). */
export { matmul, matmulNT, addBias, linear, concatCols, pairSum, reshape, transpose } from './linear.js';
export { add, sub, mul, mulColumn, scale, addScalar, neg, exp, log, square, clip } from './elementwise.js';
export { relu, elu, softplus, tanh, sigmoid, activate } from './activations.js';
export { sum, mean, sumRows, logSumExpRows, logSumExpCols, logSumExp, diag, fillDiagonal } from './reductions.js';

/**
 * divlab/autodiff — a small reverse-mode differentiation core over float64 row-major matrices,
 * for the trainable critics of the variational MI bounds and for score networks.
 *
 * Everything is a 2-D {@link Tensor} (scalars 1×1). Ops compute eagerly and record the graph;
 * `backward(loss)` fills `grad` of every parameter the loss depends on (accumulating, as in
 * PyTorch, until the optimiser's `zeroGrad()`). Each op's gradient is checked against central
 * finite differences in test/autodiff/. The heavy products run in a 4×4 register-blocked float64
 * kernel: WebAssembly SIMD (f64x2, assembled at load time, no .wasm file) where available, else
 * plain JavaScript (gemm.ts; both bit-identical). It runs unchanged in Node (tslab) and in the
 * browser; everything is synchronous.
 *
 * @example
 * import { autodiff, optim, Rng } from 'divlab';
 * const { ops } = autodiff;
 * const net = autodiff.mlp([3, 64, 64, 2], { activation: 'relu', seed: 1 });  // 3 → 64 → 64 → 2
 * const opt = optim.adam(net.parameters(), { lr: 1e-3 });
 * const rng = new Rng(7);
 * for (let step = 0; step < 100; step++) {
 *   // a batch of 32 rows: inputs [x1, x2, t] and a target of 2 columns
 *   const xb = autodiff.constant(rng.normals(32 * 3), 32, 3);
 *   const target = autodiff.constant(rng.normals(32 * 2), 32, 2);
 *   const out = net.forward(xb);                                   // 32×2 tensor
 *   const loss = ops.mean(ops.square(ops.sub(out, target)));       // 1×1
 *   opt.zeroGrad();
 *   autodiff.backward(loss);                                       // fills p.grad for p of net.parameters()
 *   const gradNorm = optim.clipGradNorm(net.parameters(), 10);    // optional; returns the norm before clipping
 *   opt.step();
 *   loss.item();                                                   // the number
 * }
 * // Inputs with extra columns (e.g. time for a score network): ops.concatCols(x, t).
 * // A non-scalar output can be differentiated with an explicit seed: autodiff.backward(S, dLdS).
 *
 * Ops (all in `ops`): matmul, matmulNT (A·Bᵀ), addBias, linear, concatCols, pairSum, reshape,
 * transpose; add, sub, mul, mulColumn (row weights), scale, addScalar, neg, exp, log, square, clip;
 * relu, elu, softplus, tanh, sigmoid; sum, mean, sumRows, logSumExpRows, logSumExpCols, logSumExp,
 * diag, fillDiagonal.
 */
export { Tensor, constant, parameter, scalar, backward } from './tensor.js';
export { Mlp, mlp, type MlpOptions, type Dense } from './mlp.js';
export { type Activation } from './activations.js';
export { gemm, gemmNN, gemmNT, gemmTN, setGemmBackend, gemmBackend, type GemmBackend } from './gemm.js';
export * as ops from './ops.js';

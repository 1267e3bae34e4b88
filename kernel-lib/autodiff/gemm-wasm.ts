/**
 * A WebAssembly SIMD (128-bit, f64x2) float64 matrix-product kernel, assembled at load time from
 * the bytes below (no build step, no .wasm file to ship: it runs wherever WebAssembly SIMD does —
 * Node ≥ 16.4 and every current browser). Each call copies the operands into the module's linear
 * memory, computes the 4-row × 4-column blocks of C (+)= op(A)·B there, and copies C back; the
 * caller finishes the ragged edge rows/columns in JavaScript (see gemm.ts).
 *
 * Micro-kernel: for each p, two v128 loads of B[p, j..j+3], four `v128.load64_splat` of
 * A[i..i+3, p], eight f64x2 multiply-adds into eight v128 accumulators (a 4×4 block of C); the
 * sums run over p = 0, 1, …, K−1 in the same order as the scalar kernel, so both paths give
 * bit-identical results (no fused multiply-add in WebAssembly SIMD 1.0).
 */

/** Unsigned LEB128. */
function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

// opcodes
const LOCAL_GET = 0x20, LOCAL_SET = 0x21, I32_CONST = 0x41, I32_ADD = 0x6a, I32_MUL = 0x6c, I32_GE_S = 0x4e;
const BLOCK = 0x02, LOOP = 0x03, IF = 0x04, END = 0x0b, BR = 0x0c, BR_IF = 0x0d, VOID = 0x40;
const SIMD = 0xfd;
const v128Load = (offset: number): number[] => [SIMD, ...leb(0), 3, ...leb(offset)];
const v128Store = (offset: number): number[] => [SIMD, ...leb(11), 3, ...leb(offset)];
const load64Splat = (): number[] => [SIMD, ...leb(10), 3, 0];
const f64x2Add = [SIMD, ...leb(240)];
const f64x2Mul = [SIMD, ...leb(242)];
const v128Zero = [SIMD, ...leb(12), ...new Array<number>(16).fill(0)];

// parameters: aPtr, ai8, ap8, bPtr, m, cPtr, n4, m4, K, acc (byte addresses / byte strides)
const P_APTR = 0, P_AI8 = 1, P_AP8 = 2, P_BPTR = 3, P_M = 4, P_CPTR = 5, P_N4 = 6, P_M4 = 7, P_K = 8, P_ACC = 9;
// i32 locals
const L_I = 10, L_J = 11, L_P = 12, L_A0 = 13, L_BADDR = 17, L_AOFF = 18, L_CADDR = 19, L_PB = 20;
// v128 locals: c[r][h] at 21 + 2r + h, b0, b1, av
const L_C = 21, L_B0 = 29, L_B1 = 30, L_AV = 31;

const get = (l: number): number[] => [LOCAL_GET, ...leb(l)];
const set = (l: number): number[] => [LOCAL_SET, ...leb(l)];
const i32 = (v: number): number[] => [I32_CONST, ...leb(v)];

function body(): number[] {
  const c: number[] = [];
  const e = (...xs: (number | number[])[]): void => {
    for (const x of xs) Array.isArray(x) ? c.push(...x) : c.push(x);
  };
  // locals: 11 i32, 11 v128
  e(2, 11, 0x7f, 11, 0x7b);
  e(get(P_M), i32(8), I32_MUL, set(L_PB));
  e(i32(0), set(L_I));
  e(BLOCK, VOID, LOOP, VOID);
  e(get(L_I), get(P_N4), I32_GE_S, BR_IF, 1);
  // row base addresses a_r = aPtr + (i + r)·ai8
  e(get(P_APTR), get(L_I), get(P_AI8), I32_MUL, I32_ADD, set(L_A0));
  for (let r = 1; r < 4; r++) e(get(L_A0 + r - 1), get(P_AI8), I32_ADD, set(L_A0 + r));
  e(i32(0), set(L_J));
  e(BLOCK, VOID, LOOP, VOID);
  e(get(L_J), get(P_M4), I32_GE_S, BR_IF, 1);
  for (let k = 0; k < 8; k++) e(v128Zero, set(L_C + k));
  e(get(P_BPTR), get(L_J), i32(8), I32_MUL, I32_ADD, set(L_BADDR));
  e(i32(0), set(L_AOFF), i32(0), set(L_P));
  e(BLOCK, VOID, LOOP, VOID);
  e(get(L_P), get(P_K), I32_GE_S, BR_IF, 1);
  e(get(L_BADDR), v128Load(0), set(L_B0));
  e(get(L_BADDR), v128Load(16), set(L_B1));
  for (let r = 0; r < 4; r++) {
    e(get(L_A0 + r), get(L_AOFF), I32_ADD, load64Splat(), set(L_AV));
    e(get(L_C + 2 * r), get(L_AV), get(L_B0), f64x2Mul, f64x2Add, set(L_C + 2 * r));
    e(get(L_C + 2 * r + 1), get(L_AV), get(L_B1), f64x2Mul, f64x2Add, set(L_C + 2 * r + 1));
  }
  e(get(L_AOFF), get(P_AP8), I32_ADD, set(L_AOFF));
  e(get(L_BADDR), get(L_PB), I32_ADD, set(L_BADDR));
  e(get(L_P), i32(1), I32_ADD, set(L_P));
  e(BR, 0, END, END);
  // C block: cAddr = cPtr + (i·m + j)·8
  e(get(P_CPTR), get(L_I), get(P_M), I32_MUL, get(L_J), I32_ADD, i32(8), I32_MUL, I32_ADD, set(L_CADDR));
  for (let r = 0; r < 4; r++) {
    e(get(P_ACC), IF, VOID);
    e(get(L_C + 2 * r), get(L_CADDR), v128Load(0), f64x2Add, set(L_C + 2 * r));
    e(get(L_C + 2 * r + 1), get(L_CADDR), v128Load(16), f64x2Add, set(L_C + 2 * r + 1));
    e(END);
    e(get(L_CADDR), get(L_C + 2 * r), v128Store(0));
    e(get(L_CADDR), get(L_C + 2 * r + 1), v128Store(16));
    e(get(L_CADDR), get(L_PB), I32_ADD, set(L_CADDR));
  }
  e(get(L_J), i32(4), I32_ADD, set(L_J));
  e(BR, 0, END, END);
  e(get(L_I), i32(4), I32_ADD, set(L_I));
  e(BR, 0, END, END);
  e(END);
  return c;
}

function section(id: number, content: number[]): number[] {
  return [id, ...leb(content.length), ...content];
}

/** The module: one imported memory ("env", "mem"), one exported function "mm". */
export function gemmModuleBytes(): Uint8Array {
  const type = section(1, [1, 0x60, 10, ...new Array<number>(10).fill(0x7f), 0]);
  const imp = section(2, [1, 3, ...[0x65, 0x6e, 0x76], 3, ...[0x6d, 0x65, 0x6d], 0x02, 0x00, 1]);
  const func = section(3, [1, 0]);
  const exp = section(7, [1, 2, 0x6d, 0x6d, 0x00, 0]);
  const b = body();
  const code = section(10, [1, ...leb(b.length), ...b]);
  return new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...type, ...imp, ...func, ...exp, ...code]);
}

type MmFn = (aPtr: number, ai8: number, ap8: number, bPtr: number, m: number, cPtr: number, n4: number, m4: number, K: number, acc: number) => void;

/** The instantiated kernel and its memory, or null where WebAssembly SIMD is unavailable. */
export interface WasmGemm {
  mm: MmFn;
  memory: WebAssembly.Memory;
}

let instance: WasmGemm | null | undefined;

/** Instantiates the module once (synchronously; it is < 1 KB). Null where it cannot run. */
export function wasmGemm(): WasmGemm | null {
  if (instance !== undefined) return instance;
  instance = null;
  try {
    if (typeof WebAssembly !== 'object') return null;
    const bytes = gemmModuleBytes().buffer as ArrayBuffer;
    if (!WebAssembly.validate(bytes)) return null;
    const memory = new WebAssembly.Memory({ initial: 32 });
    const inst = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { mem: memory } });
    instance = { mm: inst.exports.mm as unknown as MmFn, memory };
  } catch {
    instance = null;
  }
  return instance;
}

/** Whether this runtime can run the WebAssembly SIMD kernel. */
export function wasmSimdAvailable(): boolean {
  return wasmGemm() !== null;
}

/** Makes sure the memory holds `bytes` bytes; returns a fresh Float64Array view of all of it. */
export function wasmView(w: WasmGemm, bytes: number): Float64Array {
  const have = w.memory.buffer.byteLength;
  if (have < bytes) w.memory.grow(Math.ceil((bytes - have) / 65536));
  return new Float64Array(w.memory.buffer);
}

// A small feed-forward acoustic network (affine → ReLU → … → log-softmax) trained with
// minibatch Adam and cross-entropy, in plain TypeScript with Float32Array kernels.

import type { Rng } from './rng.ts';

/** C[M×N] = A[M×K] · B[N×K]ᵀ (both row-major, K contiguous), 4×4 register blocking. */
export function gemmABt(A: Float32Array, B: Float32Array, C: Float32Array, M: number, N: number, K: number): void {
  const M4 = M - (M % 4);
  const N4 = N - (N % 4);
  for (let m = 0; m < M4; m += 4) {
    const a0 = m * K, a1 = a0 + K, a2 = a1 + K, a3 = a2 + K;
    for (let n = 0; n < N4; n += 4) {
      const b0 = n * K, b1 = b0 + K, b2 = b1 + K, b3 = b2 + K;
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      for (let k = 0; k < K; k++) {
        const x0 = A[a0 + k] as number, x1 = A[a1 + k] as number, x2 = A[a2 + k] as number, x3 = A[a3 + k] as number;
        const y0 = B[b0 + k] as number, y1 = B[b1 + k] as number, y2 = B[b2 + k] as number, y3 = B[b3 + k] as number;
        c00 += x0 * y0; c01 += x0 * y1; c02 += x0 * y2; c03 += x0 * y3;
        c10 += x1 * y0; c11 += x1 * y1; c12 += x1 * y2; c13 += x1 * y3;
        c20 += x2 * y0; c21 += x2 * y1; c22 += x2 * y2; c23 += x2 * y3;
        c30 += x3 * y0; c31 += x3 * y1; c32 += x3 * y2; c33 += x3 * y3;
      }
      let c = m * N + n;
      C[c] = c00; C[c + 1] = c01; C[c + 2] = c02; C[c + 3] = c03; c += N;
      C[c] = c10; C[c + 1] = c11; C[c + 2] = c12; C[c + 3] = c13; c += N;
      C[c] = c20; C[c + 1] = c21; C[c + 2] = c22; C[c + 3] = c23; c += N;
      C[c] = c30; C[c + 1] = c31; C[c + 2] = c32; C[c + 3] = c33;
    }
  }
  // remainders
  for (let m = 0; m < M; m++) {
    const nStart = m < M4 ? N4 : 0;
    for (let n = nStart; n < N; n++) {
      let s = 0;
      const a = m * K, b = n * K;
      for (let k = 0; k < K; k++) s += (A[a + k] as number) * (B[b + k] as number);
      C[m * N + n] = s;
    }
  }
}

/** out[c×r] = in[r×c]ᵀ */
export function transpose(src: Float32Array, rows: number, cols: number, dst: Float32Array): void {
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let c = 0; c < cols; c++) dst[c * rows + r] = src[o + c] as number;
  }
}

export interface MlpLayer {
  inDim: number;
  outDim: number;
  W: Float32Array; // outDim x inDim
  b: Float32Array;
}

export class Mlp {
  readonly layers: MlpLayer[];
  readonly batch: number;
  #acts: Float32Array[]; // acts[0] = input, acts[l+1] = output of layer l (post-ReLU for hidden)
  #grads: { W: Float32Array; b: Float32Array }[];
  #adam: { mW: Float32Array; vW: Float32Array; mb: Float32Array; vb: Float32Array }[];
  #step = 0;
  #tmpT: Float32Array;
  #tmpT2: Float32Array;
  #tmpX: Float32Array;
  #delta: Float32Array[];
  #masks: Uint8Array[];

  constructor(dims: number[], batch: number, rng: Rng) {
    this.batch = batch;
    this.layers = [];
    for (let l = 0; l + 1 < dims.length; l++) {
      const inDim = dims[l] as number, outDim = dims[l + 1] as number;
      const W = new Float32Array(outDim * inDim);
      const std = Math.sqrt(2 / inDim) * (l + 2 === dims.length ? 0.5 : 1);
      for (let i = 0; i < W.length; i++) W[i] = rng.gauss() * std;
      this.layers.push({ inDim, outDim, W, b: new Float32Array(outDim) });
    }
    this.#acts = dims.map((d) => new Float32Array(batch * d));
    this.#delta = dims.map((d) => new Float32Array(batch * d));
    this.#masks = dims.map((d) => new Uint8Array(batch * d));
    this.#grads = this.layers.map((L) => ({ W: new Float32Array(L.W.length), b: new Float32Array(L.outDim) }));
    this.#adam = this.layers.map((L) => ({ mW: new Float32Array(L.W.length), vW: new Float32Array(L.W.length), mb: new Float32Array(L.outDim), vb: new Float32Array(L.outDim) }));
    const maxDim = Math.max(...dims);
    this.#tmpT = new Float32Array(batch * maxDim);
    this.#tmpT2 = new Float32Array(maxDim * maxDim);
    this.#tmpX = new Float32Array(batch * maxDim);
  }

  get inputDim(): number {
    return this.layers[0]?.inDim ?? 0;
  }

  get outputDim(): number {
    return this.layers[this.layers.length - 1]?.outDim ?? 0;
  }

  /** Input buffer (batch × inputDim) to fill before forward/trainStep. */
  get input(): Float32Array {
    return this.#acts[0] as Float32Array;
  }

  /** Forward pass for `n` rows; returns log-softmax outputs (n × outputDim, view into internal buffer). */
  forward(n: number, dropout = 0, rng?: Rng): Float32Array {
    const L = this.layers.length;
    for (let l = 0; l < L; l++) {
      const layer = this.layers[l] as MlpLayer;
      const x = this.#acts[l] as Float32Array;
      const y = this.#acts[l + 1] as Float32Array;
      gemmABt(x, layer.W, y, n, layer.outDim, layer.inDim);
      const O = layer.outDim;
      const b = layer.b;
      if (l < L - 1) {
        const mask = this.#masks[l + 1] as Uint8Array;
        const keep = 1 - dropout;
        for (let r = 0; r < n; r++) {
          const o = r * O;
          for (let j = 0; j < O; j++) {
            let v = (y[o + j] as number) + (b[j] as number);
            if (v < 0) v = 0;
            if (dropout > 0 && rng) {
              if (rng.next() < dropout) {
                v = 0;
                mask[o + j] = 0;
              } else {
                v /= keep;
                mask[o + j] = 1;
              }
            }
            y[o + j] = v;
          }
        }
      } else {
        for (let r = 0; r < n; r++) {
          const o = r * O;
          let mx = -Infinity;
          for (let j = 0; j < O; j++) {
            const v = (y[o + j] as number) + (b[j] as number);
            y[o + j] = v;
            if (v > mx) mx = v;
          }
          let s = 0;
          for (let j = 0; j < O; j++) s += Math.exp((y[o + j] as number) - mx);
          const lse = mx + Math.log(s);
          for (let j = 0; j < O; j++) y[o + j] = (y[o + j] as number) - lse;
        }
      }
    }
    return this.#acts[L] as Float32Array;
  }

  /** One Adam step on rows 0..n-1 of `input` with integer targets; returns mean cross-entropy. */
  trainStep(n: number, targets: Int32Array, lr: number, dropout: number, rng: Rng, l2 = 1e-6): number {
    const L = this.layers.length;
    const out = this.forward(n, dropout, rng);
    const O = this.outputDim;
    const dOut = this.#delta[L] as Float32Array;
    let loss = 0;
    for (let r = 0; r < n; r++) {
      const t = targets[r] as number;
      loss -= out[r * O + t] as number;
      for (let j = 0; j < O; j++) dOut[r * O + j] = Math.exp(out[r * O + j] as number) / n;
      dOut[r * O + t] = (dOut[r * O + t] as number) - 1 / n;
    }
    for (let l = L - 1; l >= 0; l--) {
      const layer = this.layers[l] as MlpLayer;
      const I = layer.inDim, Od = layer.outDim;
      const dY = this.#delta[l + 1] as Float32Array;
      const X = this.#acts[l] as Float32Array;
      const g = this.#grads[l] as { W: Float32Array; b: Float32Array };
      // dW = dYᵀ · X
      const dYT = this.#tmpT;
      transpose(dY, n, Od, dYT);
      const XT = this.#tmpX;
      transpose(X, n, I, XT);
      gemmABt(dYT, XT, g.W, Od, I, n);
      g.b.fill(0);
      for (let r = 0; r < n; r++) for (let j = 0; j < Od; j++) g.b[j] = (g.b[j] as number) + (dY[r * Od + j] as number);
      if (l > 0) {
        // dX = dY · W  (B = Wᵀ, I × Od)
        const WT = this.#tmpT2;
        transpose(layer.W, Od, I, WT);
        const dX = this.#delta[l] as Float32Array;
        gemmABt(dY, WT, dX, n, I, Od);
        const act = X;
        const mask = this.#masks[l] as Uint8Array;
        const keep = 1 - dropout;
        for (let i = 0; i < n * I; i++) {
          if ((act[i] as number) <= 0) dX[i] = 0;
          else if (dropout > 0) dX[i] = mask[i] ? (dX[i] as number) / keep : 0;
        }
      }
    }
    this.#step++;
    const b1 = 0.9, b2 = 0.999, eps = 1e-8;
    const c1 = 1 - b1 ** this.#step, c2 = 1 - b2 ** this.#step;
    for (let l = 0; l < L; l++) {
      const layer = this.layers[l] as MlpLayer;
      const g = this.#grads[l] as { W: Float32Array; b: Float32Array };
      const a = this.#adam[l] as { mW: Float32Array; vW: Float32Array; mb: Float32Array; vb: Float32Array };
      adamUpdate(layer.W, g.W, a.mW, a.vW, lr, b1, b2, c1, c2, eps, l2);
      adamUpdate(layer.b, g.b, a.mb, a.vb, lr, b1, b2, c1, c2, eps, 0);
    }
    return loss / n;
  }
}

function adamUpdate(p: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, lr: number, b1: number, b2: number, c1: number, c2: number, eps: number, l2: number): void {
  for (let i = 0; i < p.length; i++) {
    const gi = (g[i] as number) + l2 * (p[i] as number);
    const mi = b1 * (m[i] as number) + (1 - b1) * gi;
    const vi = b2 * (v[i] as number) + (1 - b2) * gi * gi;
    m[i] = mi;
    v[i] = vi;
    p[i] = (p[i] as number) - (lr * (mi / c1)) / (Math.sqrt(vi / c2) + eps);
  }
}

// One-vs-rest linear SVM (L2-regularized, squared hinge loss) trained by dual coordinate
// descent with shrinking — the algorithm of liblinear's default solver (Hsieh et al. 2008),
// the same one scikit-learn's LinearSVC wraps. Pure and deterministic for a given seed.
import { seededRandom, shuffleInPlace } from './random.ts';
import type { SparseMatrix } from './sparse.ts';

export interface SvmOptions {
  /** Inverse regularization strength; smaller = smoother model. */
  C: number;
  /** Stopping tolerance on the projected-gradient spread (liblinear default 0.1). */
  epsilon: number;
  maxIterations: number;
  seed: number;
}

export const DEFAULT_SVM_OPTIONS: SvmOptions = { C: 0.5, epsilon: 0.1, maxIterations: 1000, seed: 1 };

/** Weights laid out feature-major (weights[f * classes + k]) so scoring a sparse input walks
 * contiguous memory: one row of `classes` weights per active feature. */
export interface LinearModel {
  classes: number;
  features: number;
  weights: Float32Array;
  bias: Float32Array;
}

/** Trains one binary SVM per class (that class vs. all others). */
export function trainOneVsRest(x: SparseMatrix, labels: Int32Array, classes: number, options: SvmOptions): LinearModel {
  const weights = new Float32Array(x.cols * classes);
  const bias = new Float32Array(classes);
  const squaredNorms = rowSquaredNorms(x);
  const y = new Int8Array(x.rows);
  for (let k = 0; k < classes; k++) {
    for (let i = 0; i < x.rows; i++) y[i] = labels[i] === k ? 1 : -1;
    const w = trainBinary(x, y, squaredNorms, { ...options, seed: options.seed + k });
    for (let f = 0; f < x.cols; f++) weights[f * classes + k] = w[f]!;
    bias[k] = w[x.cols]!;
  }
  return { classes, features: x.cols, weights, bias };
}

/** Decision values w_k·x + b_k for every class. */
export function decisionValues(model: LinearModel, indices: Int32Array, values: Float64Array): Float64Array {
  const k = model.classes;
  const out = new Float64Array(k);
  for (let c = 0; c < k; c++) out[c] = model.bias[c]!;
  for (let j = 0; j < indices.length; j++) {
    const base = indices[j]! * k;
    const v = values[j]!;
    for (let c = 0; c < k; c++) out[c]! += model.weights[base + c]! * v;
  }
  return out;
}

function rowSquaredNorms(x: SparseMatrix): Float64Array {
  const norms = new Float64Array(x.rows);
  for (let i = 0; i < x.rows; i++) {
    let s = 0;
    for (let p = x.indptr[i]!; p < x.indptr[i + 1]!; p++) s += x.values[p]! ** 2;
    norms[i] = s;
  }
  return norms;
}

/**
 * Dual coordinate descent for min_w ½‖w‖² + C Σ max(0, 1 − y_i w·x_i)².
 * The bias is an extra constant feature of value 1 (regularized, as liblinear does).
 * Returns w with the bias as its last element.
 */
function trainBinary(x: SparseMatrix, y: Int8Array, squaredNorms: Float64Array, options: SvmOptions): Float64Array {
  const n = x.rows;
  const biasIndex = x.cols;
  const w = new Float64Array(x.cols + 1);
  const alpha = new Float64Array(n);
  const diag = 1 / (2 * options.C);
  const qd = new Float64Array(n);
  for (let i = 0; i < n; i++) qd[i] = squaredNorms[i]! + 1 + diag;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const random = seededRandom(options.seed);
  const { indptr, indices, values } = x;

  let active = n;
  let pgMaxOld = Infinity;
  for (let iter = 0; iter < options.maxIterations; iter++) {
    let pgMax = -Infinity;
    let pgMin = Infinity;
    shuffleInPlace(order, random, active);
    for (let s = 0; s < active; s++) {
      const i = order[s]!;
      const yi = y[i]!;
      let dot = w[biasIndex]!;
      for (let p = indptr[i]!; p < indptr[i + 1]!; p++) dot += w[indices[p]!]! * values[p]!;
      const g = yi * dot - 1 + diag * alpha[i]!;
      let pg = 0;
      if (alpha[i] === 0) {
        if (g > pgMaxOld) {
          // Shrinking: this point sits comfortably outside the margin; skip it until the
          // final full pass re-checks every point.
          active--;
          order[s] = order[active]!;
          order[active] = i;
          s--;
          continue;
        }
        if (g < 0) pg = g;
      } else {
        pg = g;
      }
      if (pg > pgMax) pgMax = pg;
      if (pg < pgMin) pgMin = pg;
      if (Math.abs(pg) > 1e-12) {
        const old = alpha[i]!;
        const next = Math.max(old - g / qd[i]!, 0);
        alpha[i] = next;
        const d = (next - old) * yi;
        for (let p = indptr[i]!; p < indptr[i + 1]!; p++) w[indices[p]!]! += d * values[p]!;
        w[biasIndex]! += d;
      }
    }
    if (pgMax - pgMin <= options.epsilon) {
      if (active === n) break;
      active = n;
      pgMaxOld = Infinity;
      continue;
    }
    pgMaxOld = pgMax <= 0 ? Infinity : pgMax;
  }
  return w;
}

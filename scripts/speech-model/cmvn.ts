// Online cepstral mean normalization exactly as libvosk applies it when a model ships
// am/global_cmvn.stats: Kaldi's OnlineCmvn with its default options (mean only, a causal
// 600-frame window, topped up with up to 200 frames' worth of the global mean while the
// window is short). The net must be trained on the same normalized features it will see;
// test/speech-model/mfcc-libvosk.test.ts proves this function equals libvosk's.

/** Kaldi OnlineCmvnOptions defaults (libvosk reads no online_cmvn.conf for the acoustic model). */
export const CMN_WINDOW = 600;
export const GLOBAL_FRAMES = 200;

/** Global CMVN statistics: per-dimension sums, sums of squares and the frame count. */
export interface CmvnStats {
  sum: Float64Array;
  sumSq: Float64Array;
  count: number;
}

export function emptyCmvnStats(dim: number): CmvnStats {
  return { sum: new Float64Array(dim), sumSq: new Float64Array(dim), count: 0 };
}

/** Adds T frames of `feats` (row-major T×dim) to `stats`. */
export function accumulateCmvnStats(stats: CmvnStats, feats: Float32Array, dim: number): void {
  const T = Math.floor(feats.length / dim);
  for (let t = 0; t < T; t++) {
    for (let d = 0; d < dim; d++) {
      const x = feats[t * dim + d] as number;
      stats.sum[d] = (stats.sum[d] as number) + x;
      stats.sumSq[d] = (stats.sumSq[d] as number) + x * x;
    }
  }
  stats.count += T;
}

/**
 * Returns a normalized copy of `feats` (T×dim): frame t minus the mean of frames
 * (t−600, t], where a window shorter than 600 frames is topped up with min(200, 600−n) frames
 * of the global mean — Kaldi's OnlineCmvn::GetFrame + SmoothOnlineCmvnStats with no speaker stats.
 */
export function applyOnlineCmvn(feats: Float32Array, dim: number, global: CmvnStats): Float32Array {
  const T = Math.floor(feats.length / dim);
  const out = new Float32Array(T * dim);
  const sum = new Float64Array(dim);
  const globalMean = Float64Array.from(global.sum, (s) => s / global.count);
  for (let t = 0; t < T; t++) {
    for (let d = 0; d < dim; d++) sum[d] = (sum[d] as number) + (feats[t * dim + d] as number);
    const leaving = t - CMN_WINDOW;
    if (leaving >= 0) for (let d = 0; d < dim; d++) sum[d] = (sum[d] as number) - (feats[leaving * dim + d] as number);
    const n = Math.min(t + 1, CMN_WINDOW);
    const fromGlobal = Math.min(GLOBAL_FRAMES, CMN_WINDOW - n);
    for (let d = 0; d < dim; d++) {
      const mean = ((sum[d] as number) + fromGlobal * (globalMean[d] as number)) / (n + fromGlobal);
      out[t * dim + d] = (feats[t * dim + d] as number) - mean;
    }
  }
  return out;
}

/** am/global_cmvn.stats in Kaldi text matrix form (2 × dim+1, as `matrix-sum` of cmvn.scp writes). */
export function cmvnStatsText(stats: CmvnStats): string {
  const row0 = [...stats.sum, stats.count];
  const row1 = [...stats.sumSq, 0];
  const fmt = (xs: number[]): string => xs.map((x) => (Number.isInteger(x) ? String(x) : x.toPrecision(10))).join(' ');
  return ` [\n  ${fmt(row0)}\n  ${fmt(row1)} ]\n`;
}

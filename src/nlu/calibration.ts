// Turns one-vs-rest SVM margins into probabilities. Margins are on an arbitrary scale, so a
// temperature T fitted on held-out data rescales them. An extra "none of these" logit at a
// fitted margin b competes with the intents: when no binary SVM claims the utterance, most of
// the mass goes to "none", which is what out-of-scope detection needs and a plain softmax
// over the intents would hide.

export interface Calibration {
  temperature: number;
  /** Margin of the implicit "none of these" candidate. */
  noneMargin: number;
}

/** p_k = exp(m_k/T) / (exp(b/T) + Σ_j exp(m_j/T)). */
export function calibratedProbabilities(margins: Float64Array, calibration: Calibration): Float64Array {
  const { temperature, noneMargin } = calibration;
  let max = noneMargin;
  for (const m of margins) if (m > max) max = m;
  const out = new Float64Array(margins.length);
  let sum = Math.exp((noneMargin - max) / temperature);
  for (let k = 0; k < margins.length; k++) {
    const e = Math.exp((margins[k]! - max) / temperature);
    out[k] = e;
    sum += e;
  }
  for (let k = 0; k < out.length; k++) out[k]! /= sum;
  return out;
}

/** A held-out example: its margins and its true class index, or -1 for "none of these". */
export interface CalibrationExample {
  margins: Float64Array;
  label: number;
}

/** Mean negative log-likelihood of the true classes. */
export function negativeLogLikelihood(examples: readonly CalibrationExample[], calibration: Calibration): number {
  let total = 0;
  for (const { margins, label } of examples) {
    const p = calibratedProbabilities(margins, calibration);
    const pTrue = label >= 0 ? p[label]! : 1 - p.reduce((s, v) => s + v, 0);
    total -= Math.log(Math.max(pTrue, 1e-300));
  }
  return total / examples.length;
}

/**
 * The calibration minimizing held-out NLL. With β = 1/T and c = b/T every logit is linear in
 * (β, c), so the NLL is convex and alternating 1-D golden-section searches converge. Without
 * "none" examples b stays fixed (the likelihood would push it to −∞).
 */
export function fitCalibration(examples: readonly CalibrationExample[], initial: Calibration): Calibration {
  const nll = (beta: number, c: number): number =>
    negativeLogLikelihood(examples, { temperature: 1 / beta, noneMargin: c / beta });
  if (!examples.some((e) => e.label < 0)) {
    const b = initial.noneMargin;
    const beta = goldenSection((bb) => nll(bb, b * bb), 0.5, 200);
    return { temperature: 1 / beta, noneMargin: b };
  }
  let beta = 1 / initial.temperature;
  let c = initial.noneMargin * beta;
  for (let round = 0; round < 8; round++) {
    c = goldenSection((cc) => nll(beta, cc), -300, 100);
    beta = goldenSection((bb) => nll(bb, c), 0.5, 200);
  }
  return { temperature: 1 / beta, noneMargin: c / beta };
}

function goldenSection(f: (x: number) => number, lo: number, hi: number): number {
  const ratio = (Math.sqrt(5) - 1) / 2;
  let a = hi - ratio * (hi - lo);
  let b = lo + ratio * (hi - lo);
  let fa = f(a);
  let fb = f(b);
  for (let i = 0; i < 50 && hi - lo > 1e-3; i++) {
    if (fa < fb) {
      hi = b;
      b = a;
      fb = fa;
      a = hi - ratio * (hi - lo);
      fa = f(a);
    } else {
      lo = a;
      a = b;
      fa = fb;
      b = lo + ratio * (hi - lo);
      fb = f(b);
    }
  }
  return (lo + hi) / 2;
}

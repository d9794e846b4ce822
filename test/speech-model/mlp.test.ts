// The acoustic network's ONNX graphs (run in onnxruntime-web) against a float64 JavaScript
// reference: forward outputs, gradients by finite differences, dropout, learning, determinism.
import { describe, expect, it } from 'vitest';
import { Mlp } from '../../scripts/speech-model/mlp.ts';
import { encodeModel } from '../../scripts/speech-model/onnx-graph.ts';
import { Rng } from '../../scripts/speech-model/rng.ts';

const DIMS = [6, 5, 4, 3];
const BATCH = 8;

type Params = { W: Float64Array[]; b: Float64Array[] };

function paramsOf(m: Mlp): Params {
  return { W: m.layers.map((l) => Float64Array.from(l.W)), b: m.layers.map((l) => Float64Array.from(l.b)) };
}

/** float64 log-softmax outputs of `rows` inputs, optionally with dropout masks (per hidden layer, rows × width). */
function referenceForward(p: Params, x: Float64Array, rows: number, masks?: Float64Array[]): Float64Array {
  let act = x;
  for (let l = 0; l < DIMS.length - 1; l++) {
    const I = DIMS[l] as number, O = DIMS[l + 1] as number;
    const next = new Float64Array(rows * O);
    for (let r = 0; r < rows; r++) {
      for (let o = 0; o < O; o++) {
        let s = p.b[l]![o]!;
        for (let i = 0; i < I; i++) s += p.W[l]![o * I + i]! * act[r * I + i]!;
        next[r * O + o] = s;
      }
    }
    if (l < DIMS.length - 2) for (let k = 0; k < next.length; k++) next[k] = Math.max(0, next[k]!) * (masks ? masks[l]![k]! : 1);
    act = next;
  }
  const O = DIMS[DIMS.length - 1] as number;
  for (let r = 0; r < rows; r++) {
    let mx = -Infinity;
    for (let o = 0; o < O; o++) mx = Math.max(mx, act[r * O + o]!);
    let s = 0;
    for (let o = 0; o < O; o++) s += Math.exp(act[r * O + o]! - mx);
    const lse = mx + Math.log(s);
    for (let o = 0; o < O; o++) act[r * O + o] = act[r * O + o]! - lse;
  }
  return act;
}

function referenceLoss(p: Params, x: Float64Array, targets: Int32Array, masks?: Float64Array[]): number {
  const out = referenceForward(p, x, targets.length, masks);
  const O = DIMS[DIMS.length - 1] as number;
  let loss = 0;
  targets.forEach((t, r) => (loss -= out[r * O + t]!));
  return loss / targets.length;
}

async function netWithInput(seed: number, dropout = 0): Promise<{ mlp: Mlp; x: Float64Array; targets: Int32Array }> {
  const rng = new Rng(seed);
  const mlp = await Mlp.create(DIMS, BATCH, rng.fork('init'), { dropout, maxForwardRows: 16 });
  // biases away from zero so that no ReLU sits on its kink (finite differences would straddle it)
  mlp.layers.forEach((l) => l.b.forEach((_, i) => (l.b[i] = rng.uniform(-0.5, 0.5))));
  for (let i = 0; i < BATCH * DIMS[0]!; i++) mlp.input[i] = rng.gauss();
  const targets = Int32Array.from({ length: BATCH }, () => rng.int(DIMS[DIMS.length - 1]!));
  return { mlp, x: Float64Array.from(mlp.input.subarray(0, BATCH * DIMS[0]!)), targets };
}

/** Central finite differences of the float64 reference loss for every parameter. */
function numericGradients(p: Params, x: Float64Array, targets: Int32Array, masks?: Float64Array[]): Params {
  const h = 1e-5;
  const diff = (arr: Float64Array, i: number): number => {
    const keep = arr[i]!;
    arr[i] = keep + h;
    const up = referenceLoss(p, x, targets, masks);
    arr[i] = keep - h;
    const down = referenceLoss(p, x, targets, masks);
    arr[i] = keep;
    return (up - down) / (2 * h);
  };
  return { W: p.W.map((w) => Float64Array.from(w, (_, i) => diff(w, i))), b: p.b.map((b) => Float64Array.from(b, (_, i) => diff(b, i))) };
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

describe('acoustic network (ONNX graphs in onnxruntime-web)', () => {
  it('writes ONNX that onnxruntime really parses: an unknown operator is rejected by name', async () => {
    const bytes = encodeModel({ name: 'g', inputs: [{ name: 'X', dims: ['B', 2] }], outputs: [{ name: 'Y', dims: ['B', 2] }], nodes: [{ op: 'NoSuchOp', inputs: ['X'], outputs: ['Y'] }], opset: 11 });
    const ort = await import('onnxruntime-web');
    await expect(ort.InferenceSession.create(bytes)).rejects.toThrow(/NoSuchOp/);
  });

  it('forward() matches a float64 reference', async () => {
    const { mlp } = await netWithInput(1);
    const rows = 13; // more than one training batch, fewer than maxForwardRows
    const rng = new Rng(99);
    for (let i = 0; i < rows * DIMS[0]!; i++) mlp.input[i] = rng.gauss();
    const got = await mlp.forward(rows);
    const want = referenceForward(paramsOf(mlp), Float64Array.from(mlp.input.subarray(0, rows * DIMS[0]!)), rows);
    expect(got.length).toBe(rows * DIMS[3]!);
    expect(maxAbsDiff(got, want)).toBeLessThan(1e-5);
  });

  it('refuses more rows than it was sized for', async () => {
    const { mlp } = await netWithInput(1);
    await expect(mlp.forward(17)).rejects.toThrow(RangeError);
  });

  it('gradients match finite differences of the mean cross-entropy', async () => {
    const { mlp, x, targets } = await netWithInput(2);
    const p = paramsOf(mlp);
    const g = await mlp.gradients(targets, new Rng(0));
    expect(g.loss).toBeCloseTo(referenceLoss(p, x, targets), 5);
    const num = numericGradients(p, x, targets);
    for (let l = 0; l < mlp.layers.length; l++) {
      expect(maxAbsDiff(g.W[l]!, num.W[l]!)).toBeLessThan(1e-5);
      expect(maxAbsDiff(g.b[l]!, num.b[l]!)).toBeLessThan(1e-5);
    }
  });

  it('with dropout, gradients are those of the masked network (masks drawn layer by layer, row-major)', async () => {
    const { mlp, x, targets } = await netWithInput(3, 0.3);
    const p = paramsOf(mlp);
    const g = await mlp.gradients(targets, new Rng(42));
    const maskRng = new Rng(42);
    const masks = DIMS.slice(1, -1).map((w) => Float64Array.from({ length: BATCH * w }, () => (maskRng.next() < 0.3 ? 0 : 1 / 0.7)));
    expect(masks.flatMap((m) => [...m]).some((v) => v === 0)).toBe(true);
    expect(g.loss).toBeCloseTo(referenceLoss(p, x, targets, masks), 5);
    const num = numericGradients(p, x, targets, masks);
    for (let l = 0; l < mlp.layers.length; l++) expect(maxAbsDiff(g.W[l]!, num.W[l]!)).toBeLessThan(1e-5);
  });

  it('learns a separable problem, and the same seed trains the same weights', async () => {
    const train = async (): Promise<{ first: number; last: number; W: Float32Array }> => {
      const rng = new Rng(7);
      const mlp = await Mlp.create(DIMS, BATCH, rng.fork('init'), { dropout: 0, maxForwardRows: BATCH });
      const centers = [[2, 0, 0, 0, 0, 0], [0, 2, 0, 0, 0, 0], [0, 0, 2, 0, 0, 0]];
      const targets = new Int32Array(BATCH);
      let first = 0, last = 0;
      for (let step = 0; step < 300; step++) {
        for (let r = 0; r < BATCH; r++) {
          const c = rng.int(3);
          targets[r] = c;
          for (let d = 0; d < DIMS[0]!; d++) mlp.input[r * DIMS[0]! + d] = centers[c]![d]! + 0.5 * rng.gauss();
        }
        const loss = await mlp.trainStep(targets, 1e-2, rng);
        if (step < 10) first += loss / 10;
        if (step >= 290) last += loss / 10;
      }
      return { first, last, W: Float32Array.from(mlp.layers[0]!.W) };
    };
    const a = await train();
    const b = await train();
    expect(a.first).toBeGreaterThan(0.8);
    expect(a.last).toBeLessThan(0.1);
    expect(Buffer.from(a.W.buffer).equals(Buffer.from(b.W.buffer))).toBe(true);
  });
});

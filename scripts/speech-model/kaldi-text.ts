// Writers for the Kaldi objects a Vosk model needs, in Kaldi's text format: the
// TransitionModel (HMM topology + transition ids) and an nnet3 AmNnetSimple (feed-forward
// net + priors). Kaldi's text parser is strict: every token is followed by whitespace.

/** One HMM "phone": here a whole word or silence, with `numStates` left-to-right states. */
export interface PhoneHmm {
  /** Kaldi phone id (1-based; 0 is epsilon). */
  phone: number;
  numStates: number;
  /** First pdf id of this phone; state j uses pdf firstPdf + j. */
  firstPdf: number;
  /** Self-loop probability per state. */
  selfLoopProb: number[];
}

export interface TransitionIds {
  /** transition-id of the self-loop of state j of `phone`. */
  selfLoop(phone: number, state: number): number;
  /** transition-id of the forward transition out of state j of `phone`. */
  forward(phone: number, state: number): number;
  /** pdf id of a transition-id (index 0 unused). */
  pdfOf: Int32Array;
  numTransitionIds: number;
}

/**
 * Transition ids in Kaldi's order: tuples sorted by (phone, hmm-state, pdfs), each tuple's
 * transitions in topology order (self-loop first, then forward, as written below).
 */
export function transitionIds(phones: PhoneHmm[]): TransitionIds {
  const sorted = [...phones].sort((a, b) => a.phone - b.phone);
  const base = new Map<number, number>();
  const pdfs: number[] = [0];
  let next = 1;
  for (const p of sorted) {
    base.set(p.phone, next);
    for (let j = 0; j < p.numStates; j++) {
      pdfs.push(p.firstPdf + j, p.firstPdf + j);
      next += 2;
    }
  }
  const at = (phone: number, state: number): number => {
    const b = base.get(phone);
    if (b === undefined) throw new Error(`unknown phone ${phone}`);
    return b + 2 * state;
  };
  return {
    selfLoop: (phone, state) => at(phone, state),
    forward: (phone, state) => at(phone, state) + 1,
    pdfOf: Int32Array.from(pdfs),
    numTransitionIds: next - 1,
  };
}

/** Kaldi-parsable number (never NaN/Infinity, never a leading dot). */
export function num(x: number): string {
  if (!Number.isFinite(x)) throw new Error(`non-finite value ${x} in a Kaldi model`);
  if (x === 0) return '0';
  return Math.abs(x) < 1e-30 ? '0' : Number(x.toPrecision(7)).toString();
}

function vec(v: ArrayLike<number>): string {
  const parts: string[] = [];
  for (let i = 0; i < v.length; i++) parts.push(num(v[i] ?? 0));
  return `[ ${parts.join(' ')} ]`;
}

function mat(m: Float32Array, rows: number, cols: number): string {
  const lines: string[] = [];
  for (let r = 0; r < rows; r++) {
    const parts: string[] = [];
    for (let c = 0; c < cols; c++) parts.push(num(m[r * cols + c] ?? 0));
    lines.push(`  ${parts.join(' ')}`);
  }
  return `[\n${lines.join('\n')} ]`;
}

export function transitionModelText(phones: PhoneHmm[]): string {
  const sorted = [...phones].sort((a, b) => a.phone - b.phone);
  const byStates = new Map<string, PhoneHmm[]>();
  for (const p of sorted) {
    // Phones share a topology entry only if the whole topology (states and probs) is equal.
    const key = `${p.numStates}:${p.selfLoopProb.map((x) => num(x)).join(',')}`;
    const list = byStates.get(key) ?? [];
    list.push(p);
    byStates.set(key, list);
  }
  const out: string[] = ['<TransitionModel> ', '<Topology> '];
  for (const group of byStates.values()) {
    const p = group[0];
    if (!p) continue;
    out.push('<TopologyEntry> ', '<ForPhones> ', `${group.map((g) => g.phone).join(' ')} `, '</ForPhones> ');
    for (let j = 0; j < p.numStates; j++) {
      const loop = p.selfLoopProb[j] ?? 0.5;
      out.push(`<State> ${j} <PdfClass> ${j} <Transition> ${j} ${num(loop)} <Transition> ${j + 1} ${num(1 - loop)} </State> `);
    }
    out.push(`<State> ${p.numStates} </State> `, '</TopologyEntry> ');
  }
  out.push('</Topology> ');
  const tuples: string[] = [];
  const logProbs: number[] = [0];
  for (const p of sorted) {
    for (let j = 0; j < p.numStates; j++) {
      tuples.push(`${p.phone} ${j} ${p.firstPdf + j} ${p.firstPdf + j} `);
      const loop = p.selfLoopProb[j] ?? 0.5;
      logProbs.push(Math.log(loop), Math.log(1 - loop));
    }
  }
  out.push(`<Tuples> ${tuples.length} `, ...tuples, '</Tuples> ', '<LogProbs> ', `${vec(logProbs)} `, '</LogProbs> ', '</TransitionModel> ');
  return out.join('\n') + '\n';
}

export interface AffineLayer {
  inDim: number;
  outDim: number;
  /** Row-major outDim x inDim. */
  weights: Float32Array;
  bias: Float32Array;
}

export interface FeedForwardNet {
  inputDim: number;
  /** Input frame offsets spliced into the first layer (e.g. -15..15). */
  offsets: number[];
  /** Affine layers; ReLU between them, log-softmax after the last. */
  layers: AffineLayer[];
  /** Pdf priors (sum 1), or empty for none. */
  priors: Float32Array;
  /** Omit the final log-softmax (probe models whose "log-likelihood" is a raw feature). */
  linearOutput?: boolean;
}

function nonlinear(type: string, dim: number): string {
  return `<${type}> <Dim> ${dim} <ValueAvg> [ ] <DerivAvg> [ ] <Count> 0 <OderivRms> [ ] <OderivCount> 0 <NumDimsSelfRepaired> 0 <NumDimsProcessed> 0 </${type}> `;
}

export function amNnetText(net: FeedForwardNet): string {
  const config: string[] = [`input-node name=input dim=${net.inputDim}`];
  const comps: string[] = [];
  const spliced = net.offsets.map((o) => (o === 0 ? 'input' : `Offset(input, ${o})`));
  let prev = spliced.length === 1 ? (spliced[0] ?? 'input') : `Append(${spliced.join(', ')})`;
  net.layers.forEach((layer, i) => {
    const name = `affine${i + 1}`;
    config.push(`component-node name=${name} component=${name} input=${prev}`);
    comps.push(`<ComponentName> ${name} <AffineComponent> <LearningRate> 0.001 <LinearParams> ${mat(layer.weights, layer.outDim, layer.inDim)}\n<BiasParams> ${vec(layer.bias)}\n</AffineComponent> `);
    prev = name;
    const last = i === net.layers.length - 1;
    if (!last) {
      const relu = `relu${i + 1}`;
      config.push(`component-node name=${relu} component=${relu} input=${prev}`);
      comps.push(`<ComponentName> ${relu} ${nonlinear('RectifiedLinearComponent', layer.outDim)}`);
      prev = relu;
    } else if (!net.linearOutput) {
      config.push(`component-node name=logsoftmax component=logsoftmax input=${prev}`);
      comps.push(`<ComponentName> logsoftmax ${nonlinear('LogSoftmaxComponent', layer.outDim)}`);
      prev = 'logsoftmax';
    }
  });
  config.push(`output-node name=output input=${prev} objective=linear`);
  const left = Math.max(0, -Math.min(0, ...net.offsets));
  const right = Math.max(0, ...net.offsets);
  return [
    '<Nnet3> ',
    ...config,
    '',
    `<NumComponents> ${comps.length} `,
    ...comps,
    '</Nnet3> ',
    `<LeftContext> ${left} <RightContext> ${right} <Priors> ${vec(net.priors)} `,
    '',
  ].join('\n');
}

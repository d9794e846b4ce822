// A probe Vosk model (see probe-model.ts) whose input is MFCC + pitch: conf/pitch.conf makes
// libvosk append its pitch features, and the one-layer linear net's per-frame log-likelihood
// is weights · [mfcc, pitch] + bias. Decoded with zero graph cost and acoustic scale 1, the
// reported confidence is the sum of that over all frames libvosk fed the network (or, with
// `onlyFrame`, that one frame's value: a chain graph forces every other frame onto a pdf whose
// output is 0).

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mfccConfText, TELEPHONY_MFCC, type MfccOptions } from '../../../src/speech/audio/mfcc.ts';
import { cmvnStatsText, type CmvnStats } from '../../../scripts/speech-model/cmvn.ts';
import { Fst, writeFstBinary } from '../../../scripts/speech-model/fst.ts';
import { amNnetText, transitionIds, transitionModelText, type PhoneHmm } from '../../../scripts/speech-model/kaldi-text.ts';

export interface PitchProbeOptions {
  /** conf/pitch.conf contents; omitted → no pitch.conf (MFCC only). */
  pitchConf?: string;
  /** Network input dimension (numCeps + pitch dims when pitch is on). */
  inputDim: number;
  bias?: number;
  cmvn?: CmvnStats;
  mfcc?: MfccOptions;
  /**
   * Expose a single frame: the graph becomes a chain of `numFrames` frames (the utterance must
   * have exactly that many) where only frame `frame` uses the probe pdf; every other frame uses
   * a second pdf whose log-likelihood is 0. The confidence is then weights · x_frame + bias.
   */
  onlyFrame?: { frame: number; numFrames: number };
  /** Written as --frames-per-chunk to conf/model.conf (the looped decodable's chunk size). */
  framesPerChunk?: number;
}

export function writePitchProbeModel(dir: string, weights: number[], opts: PitchProbeOptions): void {
  const mfcc = opts.mfcc ?? TELEPHONY_MFCC;
  if (weights.length !== opts.inputDim) throw new Error(`weights has ${weights.length} entries, inputDim is ${opts.inputDim}`);
  mkdirSync(join(dir, 'am'), { recursive: true });
  mkdirSync(join(dir, 'conf'), { recursive: true });
  mkdirSync(join(dir, 'graph'), { recursive: true });
  const only = opts.onlyFrame;
  const phones: PhoneHmm[] = [{ phone: 1, numStates: 1, firstPdf: 0, selfLoopProb: [0.5] }];
  if (only) phones.push({ phone: 2, numStates: 1, firstPdf: 1, selfLoopProb: [0.5] });
  const tids = transitionIds(phones);
  const outDim = only ? 2 : 1;
  // row 0: the probe; row 1 (onlyFrame): all zeros
  const w = new Float32Array(outDim * opts.inputDim);
  w.set(weights, 0);
  const net = amNnetText({
    inputDim: opts.inputDim,
    offsets: [0],
    layers: [{ inDim: opts.inputDim, outDim, weights: w, bias: Float32Array.from(only ? [opts.bias ?? 0, 0] : [opts.bias ?? 0]) }],
    priors: new Float32Array(0),
    linearOutput: true,
  });
  writeFileSync(join(dir, 'am', 'final.mdl'), transitionModelText(phones) + net);
  if (opts.cmvn) writeFileSync(join(dir, 'am', 'global_cmvn.stats'), cmvnStatsText(opts.cmvn));
  writeFileSync(join(dir, 'conf', 'mfcc.conf'), mfccConfText(mfcc));
  if (opts.pitchConf !== undefined) writeFileSync(join(dir, 'conf', 'pitch.conf'), opts.pitchConf);
  writeFileSync(
    join(dir, 'conf', 'model.conf'),
    ['--min-active=1', '--max-active=100', '--beam=1000', '--lattice-beam=1', '--acoustic-scale=1.0', '--frame-subsampling-factor=1', '--endpoint.silence-phones=2']
      .concat(opts.framesPerChunk === undefined ? [] : [`--frames-per-chunk=${opts.framesPerChunk}`], [''])
      .join('\n'),
  );
  const fst = new Fst();
  const s0 = fst.addState();
  let s1 = fst.addState();
  fst.start = s0;
  fst.addArc(s0, { ilabel: 0, olabel: 1, weight: 0, next: s1 });
  if (only) {
    for (let t = 0; t < only.numFrames; t++) {
      const next = fst.addState();
      const phone = t === only.frame ? 1 : 2;
      fst.addArc(s1, { ilabel: tids.forward(phone, 0), olabel: 0, weight: 0, next });
      s1 = next;
    }
  } else {
    fst.addArc(s1, { ilabel: tids.selfLoop(1, 0), olabel: 0, weight: 0, next: s1 });
    fst.addArc(s1, { ilabel: tids.forward(1, 0), olabel: 0, weight: 0, next: s1 });
  }
  fst.setFinal(s1, 0);
  writeFileSync(join(dir, 'graph', 'HCLG.fst'), writeFstBinary(fst));
  writeFileSync(join(dir, 'graph', 'words.txt'), '<eps> 0\nprobe 1\n');
}

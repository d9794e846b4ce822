// A "probe" Vosk model whose acoustic log-likelihood for every frame is one linear function
// of the MFCC vector libvosk computed. Decoded with zero graph cost and acoustic scale 1, the
// best path's total cost is minus the sum of that function over all frames, so libvosk's
// reported confidence exposes its own features to the test.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mfccConfText, TELEPHONY_MFCC, type MfccOptions } from '../../../src/speech/audio/mfcc.ts';
import { cmvnStatsText, type CmvnStats } from '../../../scripts/speech-model/cmvn.ts';
import { Fst, writeFstBinary } from '../../../scripts/speech-model/fst.ts';
import { amNnetText, transitionIds, transitionModelText, type PhoneHmm } from '../../../scripts/speech-model/kaldi-text.ts';

/**
 * Writes a probe model to `dir` whose per-frame log-likelihood is `weights · mfcc + bias`
 * (with `cmvn`, the MFCC after libvosk's online CMVN from am/global_cmvn.stats), with the
 * MFCC options `mfcc` written to conf/mfcc.conf.
 */
export function writeProbeModel(dir: string, weights: number[], bias = 0, cmvn?: CmvnStats, mfcc: MfccOptions = TELEPHONY_MFCC): void {
  mkdirSync(join(dir, 'am'), { recursive: true });
  mkdirSync(join(dir, 'conf'), { recursive: true });
  mkdirSync(join(dir, 'graph'), { recursive: true });
  const phones: PhoneHmm[] = [{ phone: 1, numStates: 1, firstPdf: 0, selfLoopProb: [0.5] }];
  const tids = transitionIds(phones);
  const net = amNnetText({
    inputDim: mfcc.numCeps,
    offsets: [0],
    layers: [{ inDim: mfcc.numCeps, outDim: 1, weights: Float32Array.from(weights), bias: Float32Array.from([bias]) }],
    priors: new Float32Array(0),
    linearOutput: true,
  });
  writeFileSync(join(dir, 'am', 'final.mdl'), transitionModelText(phones) + net);
  if (cmvn) writeFileSync(join(dir, 'am', 'global_cmvn.stats'), cmvnStatsText(cmvn));
  writeFileSync(join(dir, 'conf', 'mfcc.conf'), mfccConfText(mfcc));
  writeFileSync(
    join(dir, 'conf', 'model.conf'),
    ['--min-active=1', '--max-active=100', '--beam=1000', '--lattice-beam=1', '--acoustic-scale=1.0', '--frame-subsampling-factor=1', '--endpoint.silence-phones=2', ''].join('\n'),
  );
  // start -(eps:probe)-> s1; s1 loops on both transition ids with zero cost; s1 is final.
  const fst = new Fst();
  const s0 = fst.addState();
  const s1 = fst.addState();
  fst.start = s0;
  fst.addArc(s0, { ilabel: 0, olabel: 1, weight: 0, next: s1 });
  fst.addArc(s1, { ilabel: tids.selfLoop(1, 0), olabel: 0, weight: 0, next: s1 });
  fst.addArc(s1, { ilabel: tids.forward(1, 0), olabel: 0, weight: 0, next: s1 });
  fst.setFinal(s1, 0);
  writeFileSync(join(dir, 'graph', 'HCLG.fst'), writeFstBinary(fst));
  writeFileSync(join(dir, 'graph', 'words.txt'), '<eps> 0\nprobe 1\n');
}

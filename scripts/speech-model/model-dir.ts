// Writes a Vosk model directory (v2 layout) from the trained pieces. The shipped graph/ is the
// HCLr + Gr variant, so free recognition (Gr word loop) and per-call grammars both work; the
// equivalent static HCLG (free recognition only) is kept beside it in graph-static/.

import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mfccConfText, TELEPHONY_MFCC, type MfccOptions } from '../../src/speech/audio/mfcc.ts';
import { pitchConfText, type PitchOptions } from './pitch.ts';
import { SILENCE_PHONE, type Topology } from './align.ts';
import { cmvnStatsText, type CmvnStats } from './cmvn.ts';
import { buildGrammarLoop, buildWordLoop, writeFstBinary, type LoopWord } from './fst.ts';
import type { LoopLm } from './lm.ts';
import { amNnetText, transitionIds, transitionModelText, type FeedForwardNet, type PhoneHmm } from './kaldi-text.ts';

export interface DecodingParams {
  acousticScale: number;
  /** Word insertion penalty (graph cost per word). */
  wordCost: number;
  silenceCost: number;
  transitionScale: number;
}

export interface ModelPieces {
  topology: Topology;
  net: FeedForwardNet;
  /** Self-loop probability per pdf (from alignments). */
  selfLoopProb: Float32Array;
  params: DecodingParams;
  /** Global MFCC statistics for libvosk's online CMVN (am/global_cmvn.stats); the net was trained on normalized features. */
  cmvn?: CmvnStats;
  /** conf/mfcc.conf (TELEPHONY_MFCC when omitted); the net's input dimension is its numCeps. */
  mfcc?: MfccOptions;
  /** conf/pitch.conf: libvosk then appends Kaldi online pitch to the MFCC (the net's input has 3 more dims). */
  pitch?: PitchOptions;
  /** Free recognition's language model (lm.ts), over topology.words in order; a flat word loop when omitted. */
  lm?: LoopLm;
}

export function modelConfText(p: DecodingParams): string {
  return [
    '--min-active=200',
    '--max-active=3000',
    '--beam=13.0',
    // 2 rather than 4: the same best paths (dev sets of both demo models), and lattice
    // generation, most of libvosk's decoding time here, is ~6x cheaper.
    '--lattice-beam=2.0',
    `--acoustic-scale=${p.acousticScale}`,
    // The net is evaluated every 3rd frame (30 ms), which is also what libvosk assumes for word times.
    '--frame-subsampling-factor=3',
    `--endpoint.silence-phones=${SILENCE_PHONE}`,
    // Phone-call endpointing: an utterance ends after 0.5 s of silence following speech, 1.0 s
    // if the decoder is not yet in a final state, and always after 20 s.
    '--endpoint.rule1.min-trailing-silence=5.0',
    '--endpoint.rule2.min-trailing-silence=0.5',
    '--endpoint.rule3.min-trailing-silence=1.0',
    '--endpoint.rule4.min-trailing-silence=2.0',
    '--endpoint.rule5.min-utterance-length=20.0',
    '',
  ].join('\n');
}

function phoneHmms(m: ModelPieces): PhoneHmm[] {
  const topo = m.topology;
  const loops = (first: number, n: number): number[] => Array.from({ length: n }, (_, j) => m.selfLoopProb[first + j] ?? 0.5);
  return [
    { phone: SILENCE_PHONE, numStates: topo.silenceStates, firstPdf: 0, selfLoopProb: loops(0, topo.silenceStates) },
    ...topo.words.map((w) => ({ phone: w.phone, numStates: w.numStates, firstPdf: w.firstPdf, selfLoopProb: loops(w.firstPdf, w.numStates) })),
  ];
}

export function writeModelDir(dir: string, m: ModelPieces, opts: { staticGraph: boolean }): void {
  rmSync(join(dir, 'am'), { recursive: true, force: true });
  rmSync(join(dir, 'graph'), { recursive: true, force: true });
  rmSync(join(dir, 'graph-static'), { recursive: true, force: true });
  rmSync(join(dir, 'conf'), { recursive: true, force: true });
  for (const sub of ['am', 'conf', 'graph/phones']) mkdirSync(join(dir, sub), { recursive: true });
  const phones = phoneHmms(m);
  const tids = transitionIds(phones);
  writeFileSync(join(dir, 'am', 'final.mdl'), transitionModelText(phones) + amNnetText(m.net));
  if (m.cmvn) writeFileSync(join(dir, 'am', 'global_cmvn.stats'), cmvnStatsText(m.cmvn));
  writeFileSync(join(dir, 'conf', 'mfcc.conf'), mfccConfText(m.mfcc ?? TELEPHONY_MFCC));
  if (m.pitch) writeFileSync(join(dir, 'conf', 'pitch.conf'), pitchConfText(m.pitch));
  writeFileSync(join(dir, 'conf', 'model.conf'), modelConfText(m.params));
  const words: LoopWord[] = phones.slice(1).map((p, i) => ({ wordId: m.topology.words[i]?.wordId ?? 0, phone: p.phone, numStates: p.numStates, selfLoopProb: p.selfLoopProb }));
  const silence = { phone: SILENCE_PHONE, numStates: m.topology.silenceStates, selfLoopProb: phones[0]?.selfLoopProb ?? [0.5] };
  const loopOpts = { words, silence, tids, silenceCost: m.params.silenceCost, transitionScale: m.params.transitionScale };
  const hclr = buildWordLoop({ ...loopOpts, wordCost: 0 });
  hclr.sortArcs('olabel');
  writeFileSync(join(dir, 'graph', 'HCLr.fst'), writeFstBinary(hclr));
  writeFileSync(join(dir, 'graph', 'Gr.fst'), writeFstBinary(buildGrammarLoop(words.map((w) => w.wordId), m.params.wordCost, m.lm)));
  writeFileSync(join(dir, 'graph', 'disambig_tid.int'), '');
  const wordsTxt = ['<eps> 0', ...m.topology.words.map((w) => `${w.token} ${w.wordId}`)].join('\n') + '\n';
  writeFileSync(join(dir, 'graph', 'words.txt'), wordsTxt);
  // Whole-word "phones": each word is a singleton, silence is not a word. libvosk uses this
  // (with Kaldi's default reordered-HMM assumption, which the graphs follow) for word times.
  const boundary = [`${SILENCE_PHONE} nonword`, ...m.topology.words.map((w) => `${w.phone} singleton`)].join('\n') + '\n';
  writeFileSync(join(dir, 'graph', 'phones', 'word_boundary.int'), boundary);
  if (opts.staticGraph) {
    mkdirSync(join(dir, 'graph-static'), { recursive: true });
    writeFileSync(join(dir, 'graph-static', 'HCLG.fst'), writeFstBinary(buildWordLoop({ ...loopOpts, wordCost: m.params.wordCost, ...(m.lm ? { lm: m.lm } : {}) })));
    writeFileSync(join(dir, 'graph-static', 'words.txt'), wordsTxt);
    mkdirSync(join(dir, 'graph-static', 'phones'), { recursive: true });
    writeFileSync(join(dir, 'graph-static', 'phones', 'word_boundary.int'), boundary);
  }
}

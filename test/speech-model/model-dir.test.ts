// The builder's model directory writer: what libvosk reads from conf/ decides the features the
// network gets, so a directory written with pitch must carry conf/pitch.conf, a network input
// and CMVN statistics 3 dims wider than the MFCC, and load and decode in libvosk.

import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TELEPHONY_MFCC } from '../../src/speech/audio/mfcc.ts';
import { setVoskLogLevel, VoskModel } from '../../src/speech/libvosk.ts';
import { makeTopology } from '../../scripts/speech-model/align.ts';
import { emptyCmvnStats } from '../../scripts/speech-model/cmvn.ts';
import { recognize } from '../../scripts/speech-model/decode.ts';
import { writeModelDir, type ModelPieces } from '../../scripts/speech-model/model-dir.ts';
import { pitchConfText, TELEPHONY_PITCH } from '../../scripts/speech-model/pitch.ts';
import { Rng } from '../../scripts/speech-model/rng.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A tiny random two-word model whose net reads `dim` features per frame. */
function pieces(dim: number, withPitch: boolean): ModelPieces {
  const topology = makeTopology(['yes', 'no'], new Map([['yes', 2], ['no', 2]]), 1);
  const P = topology.numPdfs;
  const rng = new Rng(3);
  const offsets = [-2, 0, 2];
  const hidden = 8;
  const layer = (inDim: number, outDim: number) => ({ inDim, outDim, weights: Float32Array.from({ length: inDim * outDim }, () => rng.uniform(-0.1, 0.1)), bias: new Float32Array(outDim) });
  const cmvn = emptyCmvnStats(dim);
  cmvn.count = 100;
  for (let d = 0; d < dim; d++) cmvn.sumSq[d] = 100;
  return {
    topology,
    net: { inputDim: dim, offsets, layers: [layer(dim * offsets.length, hidden), layer(hidden, P)], priors: new Float32Array(P).fill(1 / P) },
    selfLoopProb: new Float32Array(P).fill(0.5),
    params: { acousticScale: 0.5, wordCost: 0, silenceCost: 0, transitionScale: 0.5 },
    mfcc: TELEPHONY_MFCC,
    cmvn,
    ...(withPitch ? { pitch: TELEPHONY_PITCH } : {}),
  };
}

function tone(): Int16Array {
  const out = new Int16Array(8000);
  for (let i = 2000; i < 6000; i++) out[i] = Math.round(3000 * Math.sin((2 * Math.PI * 150 * i) / 8000) + 800 * Math.sin((2 * Math.PI * 450 * i) / 8000));
  return out;
}

describe('writeModelDir', () => {
  setVoskLogLevel(-2);

  it('writes conf/pitch.conf for a model with pitch, and libvosk feeds its net MFCC + 3 pitch dims', () => {
    const dir = mkdtempSync(join(tmpdir(), 'model-dir-pitch-'));
    dirs.push(dir);
    writeModelDir(dir, pieces(13 + 3, true), { staticGraph: false });
    expect(readFileSync(join(dir, 'conf', 'pitch.conf'), 'utf8')).toBe(pitchConfText(TELEPHONY_PITCH));
    const model = new VoskModel(dir);
    try {
      // decodes (libvosk aborts the process on a feature/net dimension mismatch)
      expect(Array.isArray(recognize(model, tone()))).toBe(true);
    } finally {
      model.free();
    }
  });

  it('writes no pitch.conf without pitch, and removes one left from an earlier write', () => {
    const dir = mkdtempSync(join(tmpdir(), 'model-dir-plain-'));
    dirs.push(dir);
    writeModelDir(dir, pieces(16, true), { staticGraph: false });
    writeModelDir(dir, pieces(13, false), { staticGraph: false });
    expect(existsSync(join(dir, 'conf', 'pitch.conf'))).toBe(false);
    const model = new VoskModel(dir);
    try {
      expect(Array.isArray(recognize(model, tone()))).toBe(true);
    } finally {
      model.free();
    }
  });
});

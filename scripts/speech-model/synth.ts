// eSpeak NG synthesis for the corpora: many items per process call (separated by SSML breaks
// and split again on the exact digital silence eSpeak emits), resampled to 8 kHz.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readWav } from '../../src/speech/audio/wav.ts';
import { resample } from '../../src/speech/audio/resample.ts';
import { espeakTimed } from './espeak-lib.ts';
import { runQuietly } from './spawn.ts';

export const ESPEAK = process.env.ESPEAK_NG ?? 'espeak-ng';
export const MODEL_RATE = 8000;

export interface VoiceConfig {
  voice: string;
  variant: string;
  speed: number;
  pitch: number;
  /** Extra pause between words in 10 ms units (-g). */
  wordGap: number;
  /** Private espeak-ng data directory (--path), for generated variants. */
  dataPath?: string;
}

export function voiceLabel(c: VoiceConfig): string {
  return `${c.voice}+${c.variant} s${c.speed} p${c.pitch} g${c.wordGap}`;
}

const BREAK_MS = 1000;
const MIN_GAP_S = 0.3;
const WINDOW_S = 0.01;
/** A 10 ms window is silent below this fraction of the loudest window's RMS (-40 dB) or 3 LSB. */
const SILENCE_REL = 0.01;
const SILENCE_ABS = 3;

/** This process's scratch directory for the synthesizers' output files (removed on exit). */
let scratchDir: string | undefined;
process.on('exit', () => {
  if (scratchDir) rmSync(scratchDir, { recursive: true, force: true });
});

function scratchFile(name: string): string {
  scratchDir ??= mkdtempSync(join(tmpdir(), 'synth-'));
  return join(scratchDir, name);
}

/**
 * Runs espeak-ng and returns its raw output at its native rate. It writes a WAV file (-w; the
 * same samples as --stdout) because the command runs through posix_spawn, not a forking exec.
 */
export function espeakRaw(c: VoiceConfig, ssml: string): { rate: number; samples: Int16Array } {
  const file = scratchFile('espeak.wav');
  runQuietly(ESPEAK, [...(c.dataPath ? [`--path=${c.dataPath}`] : []), '-v', `${c.voice}+${c.variant}`, '-s', String(c.speed), '-p', String(c.pitch), '-g', String(c.wordGap), '-m', '-w', file, ssml]);
  const wav = readWav(readFileSync(file));
  return { rate: wav.sampleRate, samples: wav.samples };
}

/**
 * Synthesizes each text as its own item; returns the speech-only part of each (leading and
 * trailing silence trimmed) at 8 kHz, or undefined if the output could not be split into
 * exactly `texts.length` items. Items are separated by SSML breaks and found again as the
 * longest runs of near-silent 10 ms windows (some variants have slowly decaying echo tails,
 * so silence is relative to the loudest window rather than digital zero).
 */
export function synthesizeItems(c: VoiceConfig, texts: string[]): Float32Array[] | undefined {
  const { rate, samples } = espeakRaw(c, itemsSsml(texts).ssml);
  const ranges = splitItems(samples, rate, texts.length);
  return ranges?.map(([a, b]) => resampledRange(samples, rate, a, b));
}

export interface TimedItem {
  /** Speech-only audio at 8 kHz, as synthesizeItems returns it. */
  audio: Float32Array;
  /**
   * Where each space-separated word of the item's text starts (8 kHz samples into `audio`, 0 for
   * a word that starts in the trimmed leading silence); undefined when eSpeak's words could not be
   * matched one-to-one with the text's.
   */
  wordStarts?: number[];
}

/** synthesizeItems through libespeak-ng (espeak-lib.ts), which also says where every word starts. */
export function synthesizeTimedItems(c: VoiceConfig, texts: string[]): TimedItem[] | undefined {
  const { ssml, textSpans } = itemsSsml(texts);
  const { rate, samples, words } = espeakTimed(c, ssml);
  const ranges = splitItems(samples, rate, texts.length);
  if (!ranges) return undefined;
  return ranges.map(([a, b], k) => {
    const [from, to] = textSpans[k] as [number, number];
    const mine = words.filter((w) => w.textPosition - 1 >= from && w.textPosition - 1 < to);
    const expected = (texts[k] ?? '').split(' ').filter((w) => w !== '').length;
    const audio = resampledRange(samples, rate, a, b);
    if (mine.length !== expected) return { audio };
    const wordStarts = mine.map((w) => Math.min(audio.length, Math.max(0, Math.round(((w.sample - a) * MODEL_RATE) / rate))));
    return { audio, wordStarts };
  });
}

/** The SSML for a batch of items (separated by breaks) and each item's [from, to) characters in it. */
function itemsSsml(texts: string[]): { ssml: string; textSpans: [number, number][] } {
  const sep = ` <break time="${BREAK_MS}ms"/> `;
  const textSpans: [number, number][] = [];
  let ssml = '';
  texts.forEach((t, k) => {
    if (k > 0) ssml += sep;
    const from = ssml.length;
    ssml += escapeXml(t);
    textSpans.push([from, ssml.length]);
  });
  return { ssml, textSpans };
}

/**
 * Splits a batch's audio back into its `n` items: the items are separated by SSML breaks, found
 * again as the longest runs of near-silent 10 ms windows (some variants have slowly decaying echo
 * tails, so silence is relative to the loudest window rather than digital zero). Returns each
 * item's speech-only [from, to) sample range, or undefined if the audio does not split into `n`.
 */
function splitItems(samples: Int16Array, rate: number, n: number): [number, number][] | undefined {
  const { nWin, silent } = silenceMap(samples, rate);
  const minGap = Math.round(MIN_GAP_S / WINDOW_S);
  const gaps: { start: number; len: number }[] = [];
  let run = 0;
  let seenSpeech = false;
  for (let w = 0; w <= nWin; w++) {
    if (w < nWin && silent(w)) run++;
    else {
      if (run >= minGap && seenSpeech && w < nWin) gaps.push({ start: w - run, len: run });
      run = 0;
      seenSpeech = true;
    }
  }
  if (gaps.length < n - 1) return undefined;
  const chosen = gaps
    .sort((a, b) => b.len - a.len)
    .slice(0, n - 1)
    .sort((a, b) => a.start - b.start);
  const ranges: [number, number][] = [];
  let from = 0;
  for (let k = 0; k < n; k++) {
    const gap = chosen[k];
    const range = trimmedRange(samples, rate, silent, from, gap ? gap.start : nWin);
    if (!range) return undefined;
    ranges.push(range);
    from = gap ? gap.start + gap.len : nWin;
  }
  return ranges;
}

/** 10 ms windows of `samples` and which are silent (relative to the loudest window, or 3 LSB). */
function silenceMap(samples: Int16Array, rate: number): { nWin: number; silent: (w: number) => boolean } {
  const win = Math.round(WINDOW_S * rate);
  const nWin = Math.floor(samples.length / win);
  const rms = new Float64Array(nWin);
  let peak = 0;
  for (let w = 0; w < nWin; w++) {
    let s = 0;
    for (let i = w * win; i < (w + 1) * win; i++) s += (samples[i] ?? 0) ** 2;
    rms[w] = Math.sqrt(s / win);
    peak = Math.max(peak, rms[w] ?? 0);
  }
  const thr = Math.max(SILENCE_ABS, peak * SILENCE_REL);
  return { nWin, silent: (w) => (rms[w] ?? 0) < thr };
}

/**
 * Windows [from, to) with their silent edges trimmed and widened by one window each side, as a
 * sample range; undefined when under 50 ms of speech is left.
 */
function trimmedRange(samples: Int16Array, rate: number, silent: (w: number) => boolean, from: number, to: number): [number, number] | undefined {
  const win = Math.round(WINDOW_S * rate);
  let s = from;
  let e = to;
  while (s < e && silent(s)) s++;
  while (e > s && silent(e - 1)) e--;
  if (e - s < 5) return undefined;
  return [Math.max(0, (s - 1) * win), Math.min(samples.length, (e + 1) * win)];
}

/** Samples [a, b) resampled to 8 kHz. */
function resampledRange(samples: Int16Array, rate: number, a: number, b: number): Float32Array {
  const seg = new Float32Array(b - a);
  for (let i = a; i < b; i++) seg[i - a] = samples[i] ?? 0;
  return resample(seg, rate, MODEL_RATE);
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

// ---------------------------------------------------------------------------------------------
// Flite (CMU; Debian `flite`): English voices built from recordings of real speakers (kal: a
// diphone voice; awb, rms, slt: statistical parametric voices). eSpeak NG's formant voices are
// one synthesizer's idea of speech — a model trained on them alone recognizes another
// synthesizer's voices badly (the current English model: 0.06–0.65 isolated-word accuracy on
// Flite's voices), and real callers are further away still. Flite ignores SSML breaks and
// sentence pauses, so each item is its own process run (started through posix_spawn: spawn.ts).

export const FLITE = process.env.FLITE ?? 'flite';

export interface FliteConfig {
  voice: string;
  /** Duration stretch (> 1 is slower). */
  stretch: number;
}

export function fliteLabel(c: FliteConfig): string {
  return `flite-${c.voice} x${c.stretch}`;
}

/** Synthesizes one text; returns the speech-only part at 8 kHz (undefined if it came out silent). */
export function fliteItem(c: FliteConfig, text: string): Float32Array | undefined {
  const file = scratchFile('flite.wav');
  runQuietly(FLITE, ['-voice', c.voice, '--setf', `duration_stretch=${c.stretch}`, '-t', text, '-o', file]);
  const { samples, sampleRate: rate } = readWav(readFileSync(file));
  const { nWin, silent } = silenceMap(samples, rate);
  const range = trimmedRange(samples, rate, silent, 0, nWin);
  return range && resampledRange(samples, rate, range[0], range[1]);
}

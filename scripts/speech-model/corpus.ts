// Synthesized corpora: training material (isolated words + connected strings from training
// voices) and the dev / held-out test sets (voices, variants, speeds and pitches never trained on).

import type { LanguageSpec, VoiceSplit } from './languages.ts';
import { wordSay } from './languages.ts';
import type { Rng } from './rng.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareRandomVariants } from './random-variants.ts';
import { fliteItem, fliteLabel, MODEL_RATE, synthesizeItems, synthesizeTimedItems, voiceLabel, type FliteConfig, type TimedItem, type VoiceConfig } from './synth.ts';

export interface Utterance {
  words: string[];
  /** 8 kHz samples on the int16 scale, with leading/trailing silence. */
  audio: Float32Array;
  /** [from, to) sample range that holds speech. */
  speechFrom: number;
  speechTo: number;
  kind: 'isolated' | 'connected';
  voice: string;
  /** For connected strings: each word's isolated duration (samples) from the same voice, for flat-start segmentation. */
  wordDurations?: number[];
  /**
   * For connected strings from eSpeak NG's training voices: the sample (into `audio`) where each
   * word starts, as eSpeak reports it (espeak-lib.ts); forced alignment keeps each word near it.
   */
  wordStarts?: number[];
}

function pad(speech: Float32Array, rng: Rng, lo: number, hi: number): { audio: Float32Array; from: number; to: number } {
  const lead = Math.round(rng.uniform(lo, hi) * MODEL_RATE);
  const trail = Math.round(rng.uniform(lo, hi) * MODEL_RATE);
  const audio = new Float32Array(lead + speech.length + trail);
  audio.set(speech, lead);
  return { audio, from: lead, to: lead + speech.length };
}

export function randomDigitString(lang: LanguageSpec, rng: Rng, minLen: number, maxLen: number): string[] {
  const n = minLen + rng.int(maxLen - minLen + 1);
  return Array.from({ length: n }, () => rng.pick(lang.digits));
}

/**
 * A training digit string: like randomDigitString, but 40% of strings get an adjacent repeat
 * ("5 5", sometimes "5 5 5"). Said without a pause, a repeated syllable is one long vowel with a
 * weak onset in between; the net must see many of those boundaries or the decoder merges them.
 */
export function trainingDigitString(lang: LanguageSpec, rng: Rng, minLen: number, maxLen: number): string[] {
  const s = randomDigitString(lang, rng, minLen, maxLen);
  if (s.length >= 2 && rng.next() < 0.4) {
    const i = rng.int(s.length - 1);
    const run = Math.min(s.length - i, rng.next() < 0.2 ? 3 : 2);
    for (let k = 1; k < run; k++) s[i + k] = s[i] as string;
  }
  return s;
}

function speechText(lang: LanguageSpec, tokens: string[]): string {
  return tokens.map((t) => wordSay(lang, t)).join(lang.joinForSpeech);
}

/** Start of each token from the start of each eSpeak word of its text (a token may be several: bu2 shi4). */
export function tokenStarts(lang: LanguageSpec, tokens: string[], spokenWordStarts: number[]): number[] | undefined {
  const out: number[] = [];
  let w = 0;
  for (const t of tokens) {
    const start = spokenWordStarts[w];
    if (start === undefined) return undefined;
    out.push(start);
    w += wordSay(lang, t).split(' ').filter((x) => x !== '').length;
  }
  return w === spokenWordStarts.length ? out : undefined;
}

function randomVoiceConfig(split: VoiceSplit, voice: string, variant: string, rng: Rng, connected: boolean): VoiceConfig {
  return { voice, variant, speed: rng.pick(split.speeds), pitch: rng.pick(split.pitches), wordGap: connected ? rng.pick([0, 0, 0, 1, 2, 4]) : 0 };
}

/** Name prefix of the generated training variants (random-variants.ts); voice labels carry it. */
export const GENERATED_VARIANT_PREFIX = 'sbgen';

export interface TrainCorpusStats {
  configs: number;
  failedBatches: number;
  isolated: number;
  connected: number;
  /** Connected strings whose word starts eSpeak reported (alignment keeps words near them); optional so older reports load. */
  timedConnected?: number;
  seconds: number;
}

/** Training corpus: every training voice x variant, `passesPerTrainVoice` times with random speed/pitch. */
export function buildTrainCorpus(lang: LanguageSpec, rng: Rng, log: (m: string) => void): { utterances: Utterance[]; stats: TrainCorpusStats } {
  const utterances: Utterance[] = [];
  const stats: TrainCorpusStats = { configs: 0, failedBatches: 0, isolated: 0, connected: 0, timedConnected: 0, seconds: 0 };
  const split = lang.train;
  const tmp = mkdtempSync(join(tmpdir(), `espeak-variants-${lang.id}-`));
  const generated = prepareRandomVariants(tmp, GENERATED_VARIANT_PREFIX, lang.randomVariantsPerVoice * split.voices.length, rng.fork('variants'));
  const combos: { voice: string; variant: string; dataPath?: string; passes: number }[] = [];
  split.voices.forEach((voice, vi) => {
    for (const variant of split.variants) combos.push({ voice, variant, passes: lang.passesPerTrainVoice });
    for (const variant of generated.variants.slice(vi * lang.randomVariantsPerVoice, (vi + 1) * lang.randomVariantsPerVoice)) combos.push({ voice, variant, dataPath: generated.dataPath, passes: 1 });
  });
  /** Synthesizes `connectedPerPass` connected strings with `ccfg` (isolated-word `durations` seed their segmentation). */
  const addConnected = (ccfg: VoiceConfig, durations: Map<string, number>): void => {
    const strings: string[][] = [];
    for (let k = 0; k < lang.connectedPerPass; k++) {
      if (rng.next() < 0.7) strings.push(trainingDigitString(lang, rng, 2, 8));
      else strings.push(Array.from({ length: 2 + rng.int(3) }, () => rng.pick(lang.words).token));
    }
    const texts = strings.map((s) => speechText(lang, s));
    const conn: TimedItem[] | undefined = lang.wordTiming ? synthesizeTimedItems(ccfg, texts) : synthesizeItems(ccfg, texts)?.map((audio) => ({ audio }));
    if (!conn) {
      stats.failedBatches++;
      log(`  skipped connected batch for ${voiceLabel(ccfg)} (could not split)`);
      return;
    }
    conn.forEach((item, k) => {
      const words = strings[k] ?? [];
      const p = pad(item.audio, rng, 0.1, 0.5);
      const wordDurations = words.map((w) => durations.get(w) ?? MODEL_RATE * 0.4);
      const starts = item.wordStarts && tokenStarts(lang, words, item.wordStarts);
      utterances.push({ words, audio: p.audio, speechFrom: p.from, speechTo: p.to, kind: 'connected', voice: voiceLabel(ccfg), wordDurations, ...(starts ? { wordStarts: starts.map((x) => p.from + x) } : {}) });
      stats.connected++;
      if (starts) stats.timedConnected = (stats.timedConnected ?? 0) + 1;
    });
  };
  try {
    for (const combo of combos) {
      const { voice, variant } = combo;
      for (let pass = 0; pass < combo.passes; pass++) {
        stats.configs++;
        const cfg: VoiceConfig = { ...randomVoiceConfig(split, voice, variant, rng, false), ...(combo.dataPath ? { dataPath: combo.dataPath } : {}) };
        const iso = synthesizeItems(cfg, lang.words.map((w) => w.say));
        const durations = new Map<string, number>();
        if (!iso) {
          stats.failedBatches++;
          log(`  skipped isolated batch for ${voiceLabel(cfg)} (could not split)`);
        } else {
          iso.forEach((speech, k) => {
            const token = lang.words[k]?.token ?? '';
            durations.set(token, speech.length);
            // every word is synthesized (its duration seeds connected-speech segmentation), but
            // only a random share is kept: diversity of voices matters more than repetitions
            if (rng.next() >= lang.isolatedKeep) return;
            const p = pad(speech, rng, 0.1, 0.5);
            utterances.push({ words: [token], audio: p.audio, speechFrom: p.from, speechTo: p.to, kind: 'isolated', voice: voiceLabel(cfg) });
            stats.isolated++;
          });
        }
        const ccfg: VoiceConfig = { ...randomVoiceConfig(split, voice, variant, rng, true), speed: cfg.speed, pitch: cfg.pitch, ...(combo.dataPath ? { dataPath: combo.dataPath } : {}) };
        addConnected(ccfg, durations);
        // Fast speech beyond the normal speeds: eSpeak's robot-rhythm variants say every syllable in
        // ~90-110 ms whatever the speed (as normal voices do only at ~300 wpm), and the model, which
        // had heard nothing that fast, dropped or merged those syllables.
        if (lang.fastConnected && rng.next() < lang.fastConnected.share) addConnected({ ...ccfg, speed: rng.pick(lang.fastConnected.speeds) }, durations);
      }
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  if (lang.flite) {
    const fr = rng.fork('flite');
    for (const voice of lang.flite.train) {
      for (let pass = 0; pass < lang.flite.passesPerVoice; pass++) {
        stats.configs++;
        const cfg: FliteConfig = { voice, stretch: fr.pick(lang.flite.stretches.train) };
        // the digits always (their durations seed connected-speech segmentation), other words at the kept share
        const durations = new Map<string, number>();
        for (const w of lang.words) {
          const isDigit = lang.digits.includes(w.token);
          const keep = fr.next() < lang.isolatedKeep;
          if (!isDigit && !keep) continue;
          const speech = fliteItem(cfg, w.say);
          if (!speech) {
            stats.failedBatches++;
            continue;
          }
          durations.set(w.token, speech.length);
          if (!keep) continue;
          const p = pad(speech, fr, 0.1, 0.5);
          utterances.push({ words: [w.token], audio: p.audio, speechFrom: p.from, speechTo: p.to, kind: 'isolated', voice: fliteLabel(cfg) });
          stats.isolated++;
        }
        for (let k = 0; k < lang.connectedPerPass; k++) {
          const words = fr.next() < 0.7 ? trainingDigitString(lang, fr, 2, 8) : Array.from({ length: 2 + fr.int(3) }, () => fr.pick(lang.words).token);
          const speech = fliteItem(cfg, speechText(lang, words));
          if (!speech) {
            stats.failedBatches++;
            continue;
          }
          const p = pad(speech, fr, 0.1, 0.5);
          const wordDurations = words.map((w) => durations.get(w) ?? MODEL_RATE * 0.4);
          utterances.push({ words, audio: p.audio, speechFrom: p.from, speechTo: p.to, kind: 'connected', voice: fliteLabel(cfg), wordDurations });
          stats.connected++;
        }
      }
    }
  }
  stats.seconds = utterances.reduce((s, u) => s + u.audio.length / MODEL_RATE, 0);
  return { utterances, stats };
}

export interface EvalSetOptions {
  /** Voice x variant combinations to use (all if omitted). */
  maxConfigs?: number;
  /** Isolated words per configuration (all vocabulary words if omitted). */
  isolatedPerConfig?: number;
  connectedPerConfig: number;
  minDigits: number;
  maxDigits: number;
}

/** A dev or held-out test set from `split` (clean; noise is added by the caller). */
export function buildEvalSet(lang: LanguageSpec, split: VoiceSplit, rng: Rng, o: EvalSetOptions): Utterance[] {
  let combos: [string, string][] = [];
  for (const voice of split.voices) for (const variant of split.variants) combos.push([voice, variant]);
  combos = rng.shuffle(combos).slice(0, o.maxConfigs ?? combos.length);
  const out: Utterance[] = [];
  for (const [voice, variant] of combos) {
    const cfg = randomVoiceConfig(split, voice, variant, rng, false);
    const words = o.isolatedPerConfig === undefined ? lang.words : rng.shuffle([...lang.words]).slice(0, o.isolatedPerConfig);
    const iso = synthesizeItems(cfg, words.map((w) => w.say));
    iso?.forEach((speech, k) => {
      const p = pad(speech, rng, 0.2, 0.5);
      out.push({ words: [words[k]?.token ?? ''], audio: p.audio, speechFrom: p.from, speechTo: p.to, kind: 'isolated', voice: voiceLabel(cfg) });
    });
    const strings = Array.from({ length: o.connectedPerConfig }, () => randomDigitString(lang, rng, o.minDigits, o.maxDigits));
    if (strings.length === 0) continue;
    const ccfg = { ...cfg, wordGap: rng.pick([0, 0, 1, 2]) };
    const conn = synthesizeItems(ccfg, strings.map((s) => speechText(lang, s)));
    conn?.forEach((speech, k) => {
      const p = pad(speech, rng, 0.2, 0.5);
      out.push({ words: strings[k] ?? [], audio: p.audio, speechFrom: p.from, speechTo: p.to, kind: 'connected', voice: voiceLabel(ccfg) });
    });
  }
  return out;
}

/**
 * The held-out Flite set: every held-out Flite voice at every test stretch, each vocabulary word
 * once and `connectedPerConfig` digit strings per voice+stretch (clean; noise is added by the caller).
 */
export function buildFliteEvalSet(lang: LanguageSpec, rng: Rng, o: Pick<EvalSetOptions, 'connectedPerConfig' | 'minDigits' | 'maxDigits'>): Utterance[] {
  const out: Utterance[] = [];
  if (!lang.flite) return out;
  for (const voice of lang.flite.test) {
    for (const stretch of lang.flite.stretches.test) {
      const cfg: FliteConfig = { voice, stretch };
      for (const w of lang.words) {
        const speech = fliteItem(cfg, w.say);
        if (!speech) continue;
        const p = pad(speech, rng, 0.2, 0.5);
        out.push({ words: [w.token], audio: p.audio, speechFrom: p.from, speechTo: p.to, kind: 'isolated', voice: fliteLabel(cfg) });
      }
      for (let k = 0; k < o.connectedPerConfig; k++) {
        const words = randomDigitString(lang, rng, o.minDigits, o.maxDigits);
        const speech = fliteItem(cfg, speechText(lang, words));
        if (!speech) continue;
        const p = pad(speech, rng, 0.2, 0.5);
        out.push({ words, audio: p.audio, speechFrom: p.from, speechTo: p.to, kind: 'connected', voice: fliteLabel(cfg) });
      }
    }
  }
  return out;
}

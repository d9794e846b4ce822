// The vosk-server WebSocket protocol (alphacep/vosk-server websocket/asr_server.py), which PBX
// modules and vosk clients already speak: client text messages with validators, and results
// rendered in exactly the shape vosk-server sends. Extensions are optional config keys only.
import { z } from 'zod';
import { SpeechLanguage } from './config.ts';
import { SpeechError } from './errors.ts';
import type { AudioEncoding, RecognitionResult } from './pool/messages.ts';

export const VoskConfig = z.object({
  sample_rate: z.number().positive().optional(),
  phrase_list: z.array(z.string().min(1).max(200)).max(1000).optional(),
  words: z.boolean().optional(),
  max_alternatives: z.number().int().min(0).max(20).optional(),
  /** A model directory name inside the appliance's models dir (never a path). */
  model: z.string().min(1).max(100).optional(),
  /** Extension: pick the language's configured model instead of naming one. */
  language: SpeechLanguage.optional(),
  /** Extension: 8-bit G.711 audio instead of PCM16LE (telephony gateways that do not transcode). */
  format: z.enum(['pcm16', 'mulaw', 'alaw']).optional(),
});
export type VoskConfig = z.infer<typeof VoskConfig>;

export type VoskClientMessage = { type: 'config'; config: VoskConfig } | { type: 'eof' } | { type: 'reset' };

/** Parses one text message: `{"config": {...}}`, `{"eof" : 1}` or `{"reset" : 1}`. */
export function parseVoskTextMessage(text: string): VoskClientMessage {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new SpeechError('MALFORMED_JSON', 'text message is not valid JSON');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new SpeechError('SPEECH_CONFIG_INVALID', 'text message must be a JSON object');
  const obj = json as Record<string, unknown>;
  if ('config' in obj) {
    const parsed = VoskConfig.safeParse(obj.config);
    if (!parsed.success) {
      throw new SpeechError('SPEECH_CONFIG_INVALID', 'config does not match the vosk protocol', {
        issues: parsed.error.issues.map((i) => ({ field: ['config', ...i.path].join('.'), reason: i.message })),
      });
    }
    return { type: 'config', config: parsed.data };
  }
  if (obj.eof === 1) return { type: 'eof' };
  if (obj.reset === 1) return { type: 'reset' };
  throw new SpeechError('SPEECH_CONFIG_INVALID', 'expected {"config": {...}}, {"eof" : 1} or {"reset" : 1}');
}

/** Settings of one connection, as the client configured them (vosk-server's defaults otherwise). */
export interface VoskSessionSettings {
  sampleRate: number;
  phraseList?: string[];
  words: boolean;
  maxAlternatives: number;
  model?: string;
  language?: SpeechLanguage;
  encoding: AudioEncoding;
}

export function applyVoskConfig(current: VoskSessionSettings, config: VoskConfig): VoskSessionSettings {
  const next: VoskSessionSettings = { ...current };
  if (config.sample_rate !== undefined) next.sampleRate = config.sample_rate;
  if (config.phrase_list !== undefined) next.phraseList = config.phrase_list;
  if (config.words !== undefined) next.words = config.words;
  if (config.max_alternatives !== undefined) next.maxAlternatives = config.max_alternatives;
  if (config.model !== undefined) next.model = config.model;
  if (config.language !== undefined) next.language = config.language;
  if (config.format !== undefined) next.encoding = config.format;
  return next;
}

type VoskWord = { conf: number; end: number; start: number; word: string };
export type VoskServerMessage =
  | { partial: string }
  | { result?: VoskWord[]; text: string }
  | { alternatives: Array<{ confidence: number; result?: Array<{ end: number; start: number; word: string }>; text: string }> };

/**
 * Renders a result as vosk-server would. Finals are decoded with libvosk's n-best path (the MBR
 * path can abort libvosk), which has no per-word posteriors: `conf` is therefore 1.0.
 */
export function toVoskMessage(result: RecognitionResult, settings: { words: boolean; maxAlternatives: number }): VoskServerMessage {
  if (result.type === 'partial') return { partial: result.partial };
  if (settings.maxAlternatives > 0) {
    return {
      alternatives: result.alternatives.slice(0, settings.maxAlternatives).map((a) => ({
        confidence: a.confidence,
        ...(settings.words && a.words?.length ? { result: a.words.map((w) => ({ end: w.end, start: w.start, word: w.word })) } : {}),
        text: a.text,
      })),
    };
  }
  const best = result.alternatives[0];
  const words = settings.words && best?.words?.length ? best.words.map((w) => ({ conf: 1, end: w.end, start: w.start, word: w.word })) : undefined;
  return { ...(words ? { result: words } : {}), text: best?.text ?? '' };
}

/** What vosk-server answers to eof/reset before any audio: the final result of an empty recognizer. */
export const EMPTY_FINAL: VoskServerMessage = { text: '' };

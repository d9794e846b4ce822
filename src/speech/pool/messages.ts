// The recognizer-process protocol: frame kinds and the JSON payloads of control frames, with
// validators on both sides (a corrupt or mismatched peer is an error, not a silent cast).
import { z } from 'zod';

/** Parent → recognizer process. Every request except CLOSE gets exactly one reply, in order. */
export const ToRecognizer = {
  /** Load a model ahead of time (stream id 0); replied with LOADED. */
  LOAD: 0x01,
  /** Create a recognizer for a stream (JSON OpenStream); replied with OPENED. */
  OPEN: 0x02,
  /** Raw audio in the stream's encoding; replied with RESULT (partial or final). */
  AUDIO: 0x03,
  /** End the utterance now; replied with RESULT (final). The stream stays usable. */
  FLUSH: 0x04,
  /** Free the stream's recognizer; no reply. */
  CLOSE: 0x05,
} as const;

/** Recognizer process → parent. */
export const FromRecognizer = {
  /** The process has loaded libvosk and takes requests (stream id 0, JSON Ready). */
  READY: 0x81,
  LOADED: 0x82,
  OPENED: 0x83,
  /** JSON RecognitionResult (finals; partials use PARTIAL). */
  RESULT: 0x84,
  /** JSON RecognizerFailure, in place of the reply to the request that failed. */
  ERROR: 0x85,
  /** The process cannot work at all (stream id 0, JSON RecognizerFailure); it exits after. */
  FATAL: 0x86,
  /**
   * A partial result, the reply to almost every AUDIO frame: [f64 LE audioMs][UTF-8 partial
   * text]. Binary because it is the hot path: no JSON built in the child nor parsed here.
   */
  PARTIAL: 0x87,
} as const;

export const AudioEncoding = z.enum(['pcm16', 'mulaw', 'alaw']);
export type AudioEncoding = z.infer<typeof AudioEncoding>;

export const LoadModel = z.object({ path: z.string().min(1) });
export type LoadModel = z.infer<typeof LoadModel>;

export const OpenStream = z.object({
  modelPath: z.string().min(1),
  /** Corrects libvosk 0.3.39's word times, which assume subsampling 3. */
  frameSubsamplingFactor: z.number().int().positive(),
  sampleRate: z.number().positive(),
  encoding: AudioEncoding,
  /** Phrase list / grammar for vosk_recognizer_new_grm; absent = free recognition. */
  grammar: z.array(z.string()).optional(),
  words: z.boolean(),
  /** At least 1: libvosk's MBR path (0) can abort the process (vosk-api issues 1135, 1474). */
  maxAlternatives: z.number().int().min(1).max(20),
  trailingSilenceMs: z.number().int().positive(),
  maxUtteranceMs: z.number().int().positive(),
});
export type OpenStream = z.infer<typeof OpenStream>;

export const RecognizedWord = z.object({ word: z.string(), start: z.number(), end: z.number() });
export type RecognizedWord = z.infer<typeof RecognizedWord>;

export const Alternative = z.object({ text: z.string(), confidence: z.number(), words: z.array(RecognizedWord).optional() });
export type Alternative = z.infer<typeof Alternative>;

export const RecognitionResult = z.discriminatedUnion('type', [
  z.object({ type: z.literal('partial'), partial: z.string(), audioMs: z.number() }),
  z.object({
    type: z.literal('final'),
    /** Best alternative first; never empty. */
    alternatives: z.array(Alternative).min(1),
    /** Why the utterance ended: libvosk's own endpoint, our silence/length rules, or a flush. */
    endpoint: z.enum(['model', 'silence', 'max_length', 'flush']),
    /** Audio of this utterance, in ms (stored with the turn; bench figures). */
    utteranceMs: z.number(),
    audioMs: z.number(),
  }),
]);
export type RecognitionResult = z.infer<typeof RecognitionResult>;
export type FinalResult = Extract<RecognitionResult, { type: 'final' }>;

export const RecognizerFailure = z.object({ code: z.string(), message: z.string() });
export type RecognizerFailure = z.infer<typeof RecognizerFailure>;

export const Ready = z.object({ pid: z.number().int() });

const PARTIAL_HEADER_BYTES = 8;

export function encodePartial(partial: string, audioMs: number): Buffer {
  const out = Buffer.allocUnsafe(PARTIAL_HEADER_BYTES + Buffer.byteLength(partial, 'utf8'));
  out.writeDoubleLE(audioMs, 0);
  out.write(partial, PARTIAL_HEADER_BYTES, 'utf8');
  return out;
}

export function decodePartial(payload: Buffer): Extract<RecognitionResult, { type: 'partial' }> {
  if (payload.byteLength < PARTIAL_HEADER_BYTES) throw new Error(`partial result payload of ${payload.byteLength} bytes is shorter than its header`);
  const audioMs = payload.readDoubleLE(0);
  if (!Number.isFinite(audioMs) || audioMs < 0) throw new Error(`partial result with invalid audioMs ${audioMs}`);
  return { type: 'partial', partial: payload.toString('utf8', PARTIAL_HEADER_BYTES), audioMs };
}

export function jsonPayload(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value), 'utf8');
}

export function parsePayload<T>(schema: z.ZodType<T>, payload: Buffer): T {
  return schema.parse(JSON.parse(payload.toString('utf8')));
}

// The one place libvosk is loaded (through koffi). Small and synchronous on purpose: callers
// run it inside supervised child processes, because libvosk can abort the whole process.

import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import koffi from 'koffi';

export type LibvoskErrorCode = 'LIBVOSK_NOT_FOUND' | 'LIBVOSK_UNSUPPORTED_PLATFORM' | 'SPEECH_MODEL_LOAD_FAILED' | 'SPEECH_RECOGNIZER_FAILED' | 'SPEECH_RECOGNIZER_FREED';

export class LibvoskError extends Error {
  readonly code: LibvoskErrorCode;
  constructor(code: LibvoskErrorCode, message: string) {
    super(message);
    this.name = 'LibvoskError';
    this.code = code;
  }
}

/** Environment variable that points at a libvosk shared library (e.g. an aarch64 build). */
export const LIBVOSK_PATH_ENV = 'SWITCHBOARD_LIBVOSK_PATH';

/** Where libvosk is looked for: the env override, else npm `vosk`'s bundled linux-x86_64 build. */
export function resolveLibvoskPath(env: NodeJS.ProcessEnv = process.env): string {
  const override = env[LIBVOSK_PATH_ENV];
  if (override) {
    if (!existsSync(override)) throw new LibvoskError('LIBVOSK_NOT_FOUND', `${LIBVOSK_PATH_ENV}=${override} does not exist`);
    return override;
  }
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new LibvoskError(
      'LIBVOSK_UNSUPPORTED_PLATFORM',
      `npm vosk ships no libvosk for ${process.platform}-${process.arch}; install one (e.g. vosk-api's vosk-linux-aarch64 release) and set ${LIBVOSK_PATH_ENV}`,
    );
  }
  let voskDir: string;
  try {
    voskDir = dirname(createRequire(import.meta.url).resolve('vosk/package.json'));
  } catch {
    throw new LibvoskError('LIBVOSK_NOT_FOUND', `npm package "vosk" is not installed; install it or set ${LIBVOSK_PATH_ENV}`);
  }
  const path = join(voskDir, 'lib', 'linux-x86_64', 'libvosk.so');
  if (!existsSync(path)) throw new LibvoskError('LIBVOSK_NOT_FOUND', `libvosk not found at ${path}; set ${LIBVOSK_PATH_ENV}`);
  return path;
}

interface VoskApi {
  setLogLevel(level: number): void;
  modelNew(path: string): unknown;
  modelFree(model: unknown): void;
  modelFindWord(model: unknown, word: string): number;
  recognizerNew(model: unknown, sampleRate: number): unknown;
  recognizerNewGrm(model: unknown, sampleRate: number, grammar: string): unknown;
  setMaxAlternatives(rec: unknown, n: number): void;
  setWords(rec: unknown, on: number): void;
  setPartialWords(rec: unknown, on: number): void;
  acceptWaveform(rec: unknown, data: Uint8Array, length: number): number;
  result(rec: unknown): string;
  partialResult(rec: unknown): string;
  finalResult(rec: unknown): string;
  reset(rec: unknown): void;
  recognizerFree(rec: unknown): void;
}

let api: VoskApi | undefined;

/** Loads libvosk once per process and returns the bound functions. */
function loadApi(): VoskApi {
  if (api) return api;
  const lib = koffi.load(resolveLibvoskPath());
  const fn = (decl: string): ((...args: unknown[]) => unknown) => lib.func(decl) as (...args: unknown[]) => unknown;
  const setLogLevel = fn('void vosk_set_log_level(int level)');
  const modelNew = fn('void *vosk_model_new(const char *model_path)');
  const modelFree = fn('void vosk_model_free(void *model)');
  const modelFindWord = fn('int vosk_model_find_word(void *model, const char *word)');
  const recognizerNew = fn('void *vosk_recognizer_new(void *model, float sample_rate)');
  const recognizerNewGrm = fn('void *vosk_recognizer_new_grm(void *model, float sample_rate, const char *grammar)');
  const setMaxAlternatives = fn('void vosk_recognizer_set_max_alternatives(void *rec, int max_alternatives)');
  const setWords = fn('void vosk_recognizer_set_words(void *rec, int words)');
  const setPartialWords = fn('void vosk_recognizer_set_partial_words(void *rec, int partial_words)');
  const acceptWaveform = fn('int vosk_recognizer_accept_waveform(void *rec, const uint8_t *data, int length)');
  const result = fn('const char *vosk_recognizer_result(void *rec)');
  const partialResult = fn('const char *vosk_recognizer_partial_result(void *rec)');
  const finalResult = fn('const char *vosk_recognizer_final_result(void *rec)');
  const reset = fn('void vosk_recognizer_reset(void *rec)');
  const recognizerFree = fn('void vosk_recognizer_free(void *rec)');
  api = {
    setLogLevel: (l) => void setLogLevel(l),
    modelNew: (p) => modelNew(p),
    modelFree: (m) => void modelFree(m),
    modelFindWord: (m, w) => Number(modelFindWord(m, w)),
    recognizerNew: (m, r) => recognizerNew(m, r),
    recognizerNewGrm: (m, r, g) => recognizerNewGrm(m, r, g),
    setMaxAlternatives: (r, n) => void setMaxAlternatives(r, n),
    setWords: (r, on) => void setWords(r, on),
    setPartialWords: (r, on) => void setPartialWords(r, on),
    acceptWaveform: (r, d, n) => Number(acceptWaveform(r, d, n)),
    result: (r) => String(result(r)),
    partialResult: (r) => String(partialResult(r)),
    finalResult: (r) => String(finalResult(r)),
    reset: (r) => void reset(r),
    recognizerFree: (r) => void recognizerFree(r),
  };
  return api;
}

let mallocTrim: (() => void) | null | undefined;

/**
 * Hands heap memory that freed recognizers left behind back to the OS (glibc malloc_trim).
 * Without it a recognizer process keeps the high-water mark of its busiest moment: 240 streams
 * took one from 82 to 363 MB, and freeing them all left it at 363 MB; after the trim, 77 MB
 * (~17 ms). A no-op where there is no glibc.
 */
export function releaseFreedMemory(): void {
  if (mallocTrim === undefined) {
    try {
      const trim = koffi.load('libc.so.6').func('int malloc_trim(size_t pad)') as (pad: number) => unknown;
      mallocTrim = () => void trim(0);
    } catch {
      mallocTrim = null;
    }
  }
  mallocTrim?.();
}

/** libvosk log verbosity: -1 silences Kaldi's logging, 0 is the default (info). */
export function setVoskLogLevel(level: number): void {
  loadApi().setLogLevel(level);
}

/** A loaded Vosk model directory (am/, conf/, graph/). Free it when done. */
export class VoskModel {
  #handle: unknown;
  readonly path: string;

  constructor(path: string) {
    const handle = loadApi().modelNew(path);
    if (!handle) throw new LibvoskError('SPEECH_MODEL_LOAD_FAILED', `libvosk could not load the model at ${path}`);
    this.#handle = handle;
    this.path = path;
  }

  /** Word id in the model's vocabulary, or -1. */
  findWord(word: string): number {
    return loadApi().modelFindWord(this.handle, word);
  }

  /** @internal native handle for VoskRecognizer */
  get handle(): unknown {
    if (this.#handle === undefined) throw new LibvoskError('SPEECH_RECOGNIZER_FREED', 'model already freed');
    return this.#handle;
  }

  free(): void {
    if (this.#handle !== undefined) loadApi().modelFree(this.#handle);
    this.#handle = undefined;
  }
}

export interface VoskWord {
  word: string;
  start: number;
  end: number;
  conf?: number;
}

export interface VoskAlternative {
  text: string;
  confidence: number;
  result?: VoskWord[];
}

/** A final (utterance) result, normalized: with max_alternatives > 0 libvosk nests it. */
export interface VoskResult {
  text: string;
  confidence?: number;
  words?: VoskWord[];
  alternatives?: VoskAlternative[];
}

export interface RecognizerOptions {
  sampleRate: number;
  /** Restricts recognition to these phrases (libvosk JSON grammar); needs an HCLr/Gr model. */
  grammar?: string[];
  /** Default 1: libvosk's MBR path (0) can abort the process (upstream issues 1135, 1474). */
  maxAlternatives?: number;
  words?: boolean;
  partialWords?: boolean;
}

function parseJson(text: string): Record<string, unknown> {
  const value: unknown = JSON.parse(text);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new LibvoskError('SPEECH_RECOGNIZER_FAILED', `unexpected libvosk output: ${text}`);
  return value as Record<string, unknown>;
}

function parseWords(value: unknown): VoskWord[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const words: VoskWord[] = [];
  for (const item of value) {
    if (typeof item !== 'object' || item === null) continue;
    const w = item as Record<string, unknown>;
    if (typeof w.word !== 'string' || typeof w.start !== 'number' || typeof w.end !== 'number') continue;
    words.push(typeof w.conf === 'number' ? { word: w.word, start: w.start, end: w.end, conf: w.conf } : { word: w.word, start: w.start, end: w.end });
  }
  return words;
}

/** Normalizes libvosk's result JSON: the best alternative's text/words are lifted to the top. */
export function parseVoskResult(json: string): VoskResult {
  const raw = parseJson(json);
  if (Array.isArray(raw.alternatives)) {
    const alternatives: VoskAlternative[] = [];
    for (const a of raw.alternatives) {
      if (typeof a !== 'object' || a === null) continue;
      const alt = a as Record<string, unknown>;
      const words = parseWords(alt.result);
      alternatives.push({
        text: typeof alt.text === 'string' ? alt.text.trim() : '',
        confidence: typeof alt.confidence === 'number' ? alt.confidence : 0,
        ...(words ? { result: words } : {}),
      });
    }
    const best = alternatives[0];
    return {
      text: best?.text ?? '',
      ...(best ? { confidence: best.confidence } : {}),
      ...(best?.result ? { words: best.result } : {}),
      alternatives,
    };
  }
  const words = parseWords(raw.result);
  return { text: typeof raw.text === 'string' ? raw.text.trim() : '', ...(words ? { words } : {}) };
}

/** One recognition stream on a model. Not thread-safe; free it when done. */
export class VoskRecognizer {
  #handle: unknown;
  readonly sampleRate: number;

  constructor(model: VoskModel, options: RecognizerOptions) {
    const vosk = loadApi();
    this.sampleRate = options.sampleRate;
    const handle = options.grammar
      ? vosk.recognizerNewGrm(model.handle, options.sampleRate, JSON.stringify(options.grammar))
      : vosk.recognizerNew(model.handle, options.sampleRate);
    if (!handle) throw new LibvoskError('SPEECH_RECOGNIZER_FAILED', `libvosk could not create a recognizer for ${model.path}`);
    this.#handle = handle;
    vosk.setMaxAlternatives(handle, options.maxAlternatives ?? 1);
    if (options.words !== undefined) vosk.setWords(handle, options.words ? 1 : 0);
    if (options.partialWords !== undefined) vosk.setPartialWords(handle, options.partialWords ? 1 : 0);
  }

  private get handle(): unknown {
    if (this.#handle === undefined) throw new LibvoskError('SPEECH_RECOGNIZER_FREED', 'recognizer already freed');
    return this.#handle;
  }

  /** Feeds PCM16LE audio; true when an utterance ended (endpoint) and result() is ready. */
  acceptWaveform(audio: Int16Array | Uint8Array): boolean {
    const bytes = audio instanceof Int16Array ? new Uint8Array(audio.buffer, audio.byteOffset, audio.byteLength) : audio;
    if (bytes.byteLength % 2 !== 0) throw new LibvoskError('SPEECH_RECOGNIZER_FAILED', 'PCM16 audio must have an even number of bytes');
    const r = loadApi().acceptWaveform(this.handle, bytes, bytes.byteLength);
    if (r < 0) throw new LibvoskError('SPEECH_RECOGNIZER_FAILED', 'libvosk rejected the audio');
    return r === 1;
  }

  result(): VoskResult {
    return parseVoskResult(loadApi().result(this.handle));
  }

  finalResult(): VoskResult {
    return parseVoskResult(loadApi().finalResult(this.handle));
  }

  /** Partial hypothesis of the utterance in progress. */
  partialResult(): { partial: string; words?: VoskWord[] } {
    const raw = parseJson(loadApi().partialResult(this.handle));
    const words = parseWords(raw.partial_result);
    return { partial: typeof raw.partial === 'string' ? raw.partial.trim() : '', ...(words ? { words } : {}) };
  }

  /** Raw libvosk JSON of the final result (for protocol pass-through). */
  finalResultJson(): string {
    return loadApi().finalResult(this.handle);
  }

  reset(): void {
    loadApi().reset(this.handle);
  }

  free(): void {
    if (this.#handle !== undefined) loadApi().recognizerFree(this.#handle);
    this.#handle = undefined;
  }
}

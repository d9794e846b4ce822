// Inside a recognizer process: owns the libvosk models (cached, one load per process) and the
// recognizers of the streams placed here, and answers each request frame with exactly one reply.
// Runs synchronously per frame: this process exists so that libvosk may block or abort it.
import { decodeG711 } from '../audio/index.ts';
import { releaseFreedMemory, VoskModel, VoskRecognizer, type VoskResult } from '../libvosk.ts';
import { FromRecognizer, LoadModel, OpenStream, ToRecognizer, encodePartial, jsonPayload, parsePayload, type Alternative, type FinalResult, type RecognitionResult } from './messages.ts';
import type { IpcFrame } from './ipc-frame.ts';

export type SendFrame = (kind: number, streamId: number, payload?: Uint8Array) => void;

interface HostedStream {
  options: OpenStream;
  recognizer: VoskRecognizer;
  /** Odd trailing byte of a PCM16 frame, kept for the next frame (clients chunk anywhere). */
  carry: number | null;
  audioMs: number;
  utteranceStartMs: number;
  lastPartial: string;
  lastPartialChangeMs: number;
}

class HostError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Whether closing streams down to `streams` (from a peak of `peak` since the last release) is
 * worth handing freed memory back: when the process goes idle, or a load spike has mostly
 * ended (a quarter of the peak or less). A close storm from N streams so releases about
 * log4(N) times, each while few streams are left to wait for it.
 */
export function shouldReleaseMemory(streams: number, peak: number): boolean {
  if (peak === 0 || streams >= peak) return false;
  return streams === 0 || streams * 4 <= peak;
}

export class RecognizerHost {
  private readonly models = new Map<string, VoskModel>();
  private readonly streams = new Map<number, HostedStream>();
  /** Most streams open at once since memory was last released. */
  private peakStreams = 0;

  constructor(
    private readonly send: SendFrame,
    private readonly releaseMemory: () => void = releaseFreedMemory,
  ) {}

  get streamCount(): number {
    return this.streams.size;
  }

  handle(frame: IpcFrame): void {
    try {
      switch (frame.kind) {
        case ToRecognizer.LOAD:
          this.model(parsePayload(LoadModel, frame.payload).path);
          return this.send(FromRecognizer.LOADED, frame.streamId);
        case ToRecognizer.OPEN:
          this.open(frame.streamId, parsePayload(OpenStream, frame.payload));
          return this.send(FromRecognizer.OPENED, frame.streamId);
        case ToRecognizer.AUDIO:
          return this.reply(frame.streamId, this.accept(this.stream(frame.streamId), frame.payload));
        case ToRecognizer.FLUSH: {
          const s = this.stream(frame.streamId);
          return this.reply(frame.streamId, this.final(s, s.recognizer.finalResult(), 'flush'));
        }
        case ToRecognizer.CLOSE:
          return this.close(frame.streamId);
        default:
          throw new HostError('INTERNAL', `unknown request kind ${frame.kind}`);
      }
    } catch (err) {
      if (frame.kind === ToRecognizer.CLOSE) return; // CLOSE has no reply to carry an error
      const code = err instanceof Error && 'code' in err && typeof err.code === 'string' ? err.code : 'SPEECH_RECOGNIZER_FAILED';
      this.send(FromRecognizer.ERROR, frame.streamId, jsonPayload({ code, message: err instanceof Error ? err.message : String(err) }));
    }
  }

  closeAll(): void {
    for (const id of [...this.streams.keys()]) this.close(id);
    for (const m of this.models.values()) m.free();
    this.models.clear();
  }

  private reply(streamId: number, result: RecognitionResult): void {
    if (result.type === 'partial') this.send(FromRecognizer.PARTIAL, streamId, encodePartial(result.partial, result.audioMs));
    else this.send(FromRecognizer.RESULT, streamId, jsonPayload(result));
  }

  private model(path: string): VoskModel {
    let model = this.models.get(path);
    if (!model) {
      model = new VoskModel(path);
      this.models.set(path, model);
    }
    return model;
  }

  private stream(id: number): HostedStream {
    const s = this.streams.get(id);
    if (!s) throw new HostError('SPEECH_STREAM_CLOSED', `stream ${id} is not open in this recognizer process`);
    return s;
  }

  private open(id: number, options: OpenStream): void {
    if (this.streams.has(id)) throw new HostError('INTERNAL', `stream ${id} is already open`);
    const recognizer = new VoskRecognizer(this.model(options.modelPath), {
      sampleRate: options.sampleRate,
      ...(options.grammar ? { grammar: options.grammar } : {}),
      maxAlternatives: Math.max(1, options.maxAlternatives),
      words: options.words,
    });
    this.streams.set(id, { options, recognizer, carry: null, audioMs: 0, utteranceStartMs: 0, lastPartial: '', lastPartialChangeMs: 0 });
    this.peakStreams = Math.max(this.peakStreams, this.streams.size);
  }

  private close(id: number): void {
    const s = this.streams.get(id);
    if (!s) return;
    s.recognizer.free();
    this.streams.delete(id);
    if (shouldReleaseMemory(this.streams.size, this.peakStreams)) {
      this.releaseMemory();
      this.peakStreams = this.streams.size;
    }
  }

  private accept(s: HostedStream, payload: Buffer): RecognitionResult {
    const pcm = this.decode(s, payload);
    const endpoint = pcm.byteLength > 0 && s.recognizer.acceptWaveform(pcm);
    s.audioMs += (pcm.byteLength * 500) / s.options.sampleRate; // 2 bytes a sample
    if (endpoint) return this.final(s, s.recognizer.result(), 'model');

    const partial = s.recognizer.partialResult().partial;
    if (partial !== s.lastPartial) {
      s.lastPartial = partial;
      s.lastPartialChangeMs = s.audioMs;
    }
    // libvosk's endpoint rules live in the model's conf; on noisy phone lines they can fail to
    // fire, so a caller who stopped talking still gets a final result after a short pause.
    if (partial && s.audioMs - s.lastPartialChangeMs >= s.options.trailingSilenceMs) return this.final(s, s.recognizer.finalResult(), 'silence');
    if (partial && s.audioMs - s.utteranceStartMs >= s.options.maxUtteranceMs) return this.final(s, s.recognizer.finalResult(), 'max_length');
    return { type: 'partial', partial, audioMs: s.audioMs };
  }

  /** PCM16LE bytes for libvosk (which takes bytes: no alignment or copy needed for PCM16 input). */
  private decode(s: HostedStream, payload: Buffer): Uint8Array {
    if (s.options.encoding !== 'pcm16') {
      const pcm = decodeG711(payload, s.options.encoding);
      return new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength);
    }
    let bytes: Uint8Array = payload;
    if (s.carry !== null) {
      const joined = new Uint8Array(payload.byteLength + 1);
      joined[0] = s.carry;
      joined.set(payload, 1);
      bytes = joined;
      s.carry = null;
    }
    if (bytes.byteLength % 2 === 1) {
      s.carry = bytes[bytes.byteLength - 1] ?? 0;
      bytes = bytes.subarray(0, bytes.byteLength - 1);
    }
    return bytes;
  }

  private final(s: HostedStream, result: VoskResult, endpoint: FinalResult['endpoint']): FinalResult {
    const utteranceMs = s.audioMs - s.utteranceStartMs;
    const scale = s.options.frameSubsamplingFactor / 3;
    const base = s.utteranceStartMs / 1000;
    const fixTime = (t: number) => (scale === 1 ? t : Math.round((base + (t - base) * scale) * 1000) / 1000);
    const alternatives: Alternative[] = (result.alternatives ?? [{ text: result.text, confidence: result.confidence ?? 0, ...(result.words ? { result: result.words } : {}) }]).map((a) => ({
      text: a.text,
      confidence: a.confidence,
      ...(s.options.words && a.result ? { words: a.result.map((w) => ({ word: w.word, start: fixTime(w.start), end: fixTime(w.end) })) } : {}),
    }));
    if (alternatives.length === 0) alternatives.push({ text: '', confidence: 0 });
    s.utteranceStartMs = s.audioMs;
    s.lastPartial = '';
    s.lastPartialChangeMs = s.audioMs;
    return { type: 'final', alternatives: alternatives as [Alternative, ...Alternative[]], endpoint, utteranceMs, audioMs: s.audioMs };
  }
}

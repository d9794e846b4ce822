// One recognition stream as the appliance sees it: audio in, exactly one result out per frame,
// in order. Lives in a recognizer process chosen by the pool; if that process dies the stream
// fails (its listeners hear SPEECH_ENGINE_RESTARTED) and other streams are untouched.
import { SpeechError } from '../errors.ts';
import type { SpeechModelInfo } from '../models.ts';
import type { RecognizerChild } from './child.ts';
import type { IpcFrame } from './ipc-frame.ts';
import { FromRecognizer, RecognitionResult, ToRecognizer, decodePartial, type AudioEncoding, type FinalResult } from './messages.ts';

/** Partials (one per frame, most of the traffic) come as compact binary; finals as validated JSON. */
function parseResult(frame: IpcFrame): RecognitionResult {
  try {
    if (frame.kind === FromRecognizer.PARTIAL) return decodePartial(frame.payload);
    if (frame.kind === FromRecognizer.RESULT) return RecognitionResult.parse(JSON.parse(frame.payload.toString('utf8')));
  } catch (err) {
    throw new SpeechError('SPEECH_RECOGNIZER_FAILED', `unreadable result from the recognizer process: ${(err as Error).message}`);
  }
  throw new SpeechError('SPEECH_RECOGNIZER_FAILED', `unexpected reply kind ${frame.kind}`);
}

export type StreamState = 'open' | 'failed' | 'closed';

export interface StreamOptions {
  model: SpeechModelInfo;
  sampleRate: number;
  encoding: AudioEncoding;
  grammar?: string[];
  words: boolean;
  maxAlternatives: number;
}

export interface StreamLimits {
  requestTimeoutMs: number;
  maxPendingFrames: number;
}

export class RecognitionStream {
  state: StreamState = 'open';
  private pending = 0;
  private failure: SpeechError | null = null;
  private readonly failureListeners = new Set<(err: SpeechError) => void>();

  constructor(
    readonly id: number,
    readonly options: StreamOptions,
    private readonly child: RecognizerChild,
    private readonly limits: StreamLimits,
    private readonly release: (stream: RecognitionStream) => void,
  ) {}

  /** pid of the recognizer process hosting this stream (operations and crash tests). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  get pendingFrames(): number {
    return this.pending;
  }

  /** Requests that may wait at once before accept() fails with SPEECH_STREAM_OVERLOADED. */
  get maxPendingFrames(): number {
    return this.limits.maxPendingFrames;
  }

  /** Feeds audio in the stream's encoding; resolves with the partial or final result for it. */
  accept(audio: Uint8Array): Promise<RecognitionResult> {
    return this.request(ToRecognizer.AUDIO, audio);
  }

  /** Ends the current utterance and returns its final result; the stream stays open. */
  async flush(): Promise<FinalResult> {
    const result = await this.request(ToRecognizer.FLUSH, undefined);
    if (result.type !== 'final') throw new SpeechError('SPEECH_RECOGNIZER_FAILED', 'flush did not produce a final result');
    return result;
  }

  /** Frees the recognizer. Results still in flight are delivered first (the process answers in order). */
  close(): void {
    if (this.state === 'closed') return;
    const wasOpen = this.state === 'open';
    this.state = 'closed';
    if (wasOpen) this.child.post(ToRecognizer.CLOSE, this.id);
    this.failureListeners.clear();
    this.release(this);
  }

  /** Called once if the stream's process dies (not when the stream is closed normally). */
  onFailure(listener: (err: SpeechError) => void): () => void {
    this.failureListeners.add(listener);
    return () => this.failureListeners.delete(listener);
  }

  /** @internal the pool reports the death of this stream's process. */
  fail(err: SpeechError): void {
    if (this.state !== 'open') return;
    this.state = 'failed';
    this.failure = err;
    for (const l of [...this.failureListeners]) l(err);
    this.failureListeners.clear();
    this.release(this);
  }

  private async request(kind: number, payload: Uint8Array | undefined): Promise<RecognitionResult> {
    if (this.state === 'failed') throw this.failure ?? new SpeechError('SPEECH_ENGINE_RESTARTED', 'the recognizer of this stream stopped');
    if (this.state === 'closed') throw new SpeechError('SPEECH_STREAM_CLOSED', 'the recognition stream is closed');
    if (this.pending >= this.limits.maxPendingFrames) {
      throw new SpeechError('SPEECH_STREAM_OVERLOADED', `more than ${this.limits.maxPendingFrames} audio frames are waiting for the recognizer; send audio in real time`);
    }
    this.pending++;
    try {
      return parseResult(await this.child.request(kind, this.id, payload, this.limits.requestTimeoutMs));
    } finally {
      this.pending--;
    }
  }
}

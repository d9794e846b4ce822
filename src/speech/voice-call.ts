// One phone call over AudioSocket as a voice conversation: caller audio → recognizer → final
// transcripts and DTMF input → the conversation service; bot (and agent) replies → TTS → paced
// audio back to the caller, cut off when the caller talks over it (barge-in).
import type { Socket } from 'node:net';
import type { ConversationService, Turn, TurnsAdded } from '../conversation/index.ts';
import type { Logger } from '../ops/index.ts';
import { DtmfCollector, type DtmfAction } from './audiosocket/dtmf.ts';
import { Playback } from './audiosocket/playback.ts';
import { AudioSocketKind, encodeAudioSocketFrame, slinKind, type AudioSocketMessage } from './audiosocket/protocol.ts';
import type { SpeechConfig, SpeechLanguage } from './config.ts';
import { toSpeechError } from './errors.ts';
import type { SpeechMetrics } from './metrics.ts';
import type { RecognitionResult } from './pool/messages.ts';
import type { RecognitionStream } from './pool/stream.ts';
import type { SpeechRecognition } from './recognition.ts';
import type { SpeechSynthesizer } from './tts.ts';

export type CallConversations = Pick<ConversationService, 'start' | 'postMessage' | 'subscribe'>;

export interface VoiceCallDeps {
  recognition: SpeechRecognition;
  conversations: CallConversations;
  tts: SpeechSynthesizer;
  config: SpeechConfig['audioSocket'];
  defaultLanguage: SpeechLanguage;
  logger: Logger;
  metrics?: SpeechMetrics;
}

export type CallState = 'awaiting_uuid' | 'active' | 'ending' | 'ended';

/** Caller audio chunks waiting for the recognizer before new ones are dropped (2 s). */
const MAX_QUEUED_CHUNKS = 20;
/**
 * Asterisk sends 20 ms frames; libvosk's per-call cost (a partial hypothesis each time) makes
 * 100 ms chunks five times cheaper, and 100 ms is still quick enough for barge-in.
 */
const RECOGNIZER_CHUNK_MS = 100;
/** After a failed recognizer open (busy, restarting) the call waits this long before retrying. */
const REOPEN_DELAY_MS = 1000;
const LANGUAGE_NAMES: Record<SpeechLanguage, string> = { en: 'English', zh: '中文' };

/** Vosk separates Chinese words with spaces; the dialog expects running text. */
export function transcriptText(raw: string): string {
  return raw
    .split(/\s+/)
    .filter((w) => w && w !== '[unk]' && w !== '<unk>')
    .join(' ')
    .replace(/(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])/g, '');
}

export class VoiceCall {
  state: CallState = 'awaiting_uuid';
  uuid: string | null = null;
  conversationId: string | null = null;
  language: SpeechLanguage;
  private stream: RecognitionStream | null = null;
  private streamRate = 0;
  private reopenAfter = 0;
  private audioChain: Promise<void> = Promise.resolve();
  private queuedChunks = 0;
  private droppedChunks = 0;
  private pendingAudio: Buffer[] = [];
  private pendingBytes = 0;
  private pendingRate = 0;
  private speechChain: Promise<void> = Promise.resolve();
  /** Bumped by barge-in: replies queued before it are not spoken any more. */
  private generation = 0;
  private playRate = 8000;
  private readonly playback: Playback;
  private readonly dtmf: DtmfCollector;
  private unsubscribe: (() => void) | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  private log: Logger;

  constructor(
    private readonly socket: Socket,
    private readonly deps: VoiceCallDeps,
  ) {
    this.language = deps.config.language ?? deps.defaultLanguage;
    this.log = deps.logger;
    this.playback = new Playback({ sampleRate: this.playRate, write: (pcm) => this.write(slinKind(this.playRate), pcm) });
    this.dtmf = new DtmfCollector({
      terminator: deps.config.dtmfTerminator,
      interDigitTimeoutMs: deps.config.dtmfInterDigitTimeoutMs,
      languageKeys: deps.config.languageKeys,
      onAction: (a) => this.onDtmfAction(a),
    });
    this.touch();
  }

  /** Handles one AudioSocket message from the PBX. */
  receive(msg: AudioSocketMessage): void {
    if (this.state === 'ending' || this.state === 'ended') return;
    this.touch();
    switch (msg.kind) {
      case 'uuid':
        if (this.state === 'awaiting_uuid') this.begin(msg.uuid);
        else this.log.warn('second UUID frame on a call ignored');
        return;
      case 'audio':
        if (this.state === 'active') this.queueAudio(msg.pcm, msg.sampleRate);
        return;
      case 'dtmf':
        if (this.state !== 'active') return;
        this.bargeIn('dtmf');
        this.dtmf.push(msg.digit);
        return;
      case 'hangup':
        return this.end('caller hung up', false);
      case 'error':
        this.log.warn({ pbxError: msg.code }, 'PBX reported an AudioSocket error');
        return this.end('PBX error', false);
      case 'unknown':
        // Forward compatibility: a newer PBX may send kinds we do not know; they are skipped.
        this.log.debug({ type: msg.type, length: msg.length }, 'unknown AudioSocket frame kind skipped');
        return;
    }
  }

  /** Ends the call: stops audio and recognition; `sendHangup` tells the PBX to hang up too. */
  end(reason: string, sendHangup = true): void {
    if (this.state === 'ending' || this.state === 'ended') return;
    this.state = 'ending';
    this.log.info({ reason, droppedChunks: this.droppedChunks }, 'call ended');
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.playback.close();
    this.dtmf.clear();
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.stream?.close();
    this.stream = null;
    if (sendHangup && this.socket.writable) this.socket.end(encodeAudioSocketFrame(AudioSocketKind.HANGUP));
    else this.socket.end();
    if (this.conversationId) this.deps.metrics?.calls.dec();
    this.state = 'ended';
  }

  private begin(uuid: string): void {
    this.uuid = uuid;
    this.log = this.deps.logger.child({ call: uuid });
    const actor = `pbx:${uuid}`;
    const view = this.deps.conversations.start({ channel: 'voice', language: this.language, actor });
    this.conversationId = view.conversation.id;
    this.state = 'active';
    this.deps.metrics?.calls.inc();
    this.log.info({ conversationId: this.conversationId, language: this.language }, 'call started');
    // Replies reach the call through the subscription (so agent answers are spoken too); the
    // welcome turns come back from start() itself.
    this.unsubscribe = this.deps.conversations.subscribe(this.conversationId, (u) => this.onTurns(u));
    for (const t of view.turns) if (t.speaker !== 'customer') this.say(t.text, this.turnLanguage(t));
  }

  private onTurns(update: TurnsAdded): void {
    const replies = update.turns.filter((t) => t.speaker !== 'customer');
    for (const t of replies) this.say(t.text, this.turnLanguage(t));
    if (update.conversation.status === 'closed') {
      // Let the goodbye play out, then hang up.
      void this.speechChain.then(() => this.end('conversation closed'));
    }
  }

  private turnLanguage(t: Turn): SpeechLanguage {
    return t.language === 'en' || t.language === 'zh' ? t.language : this.language;
  }

  /** Speaks text after the replies already queued; synthesis starts at once, playback in order. */
  private say(text: string, language: SpeechLanguage): void {
    const generation = this.generation;
    const pcm = this.deps.tts.synthesize(text, language, this.playRate);
    pcm.catch(() => undefined); // failures are logged by the synthesizer; the call goes on
    this.speechChain = this.speechChain.then(async () => {
      const samples = await pcm.catch(() => null);
      if (!samples || generation !== this.generation || this.state !== 'active') return;
      await this.playback.play(samples);
    });
  }

  private bargeIn(cause: string): void {
    if (!this.playback.playing) {
      this.generation++;
      return;
    }
    this.generation++;
    this.playback.stop();
    this.log.debug({ cause }, 'barge-in: playback stopped');
  }

  private onDtmfAction(action: DtmfAction): void {
    if (action.type === 'submit') return this.post(action.digits);
    if (action.language === this.language) return;
    this.language = action.language;
    this.log.info({ language: action.language }, 'caller switched language');
    this.stream?.close(); // the next audio opens a recognizer on the other language's model
    this.stream = null;
    this.say(LANGUAGE_NAMES[action.language], action.language);
  }

  private queueAudio(pcm: Buffer, sampleRate: number): void {
    if (this.pendingRate !== sampleRate && this.pendingBytes > 0) this.flushAudio();
    this.pendingRate = sampleRate;
    this.pendingAudio.push(pcm);
    this.pendingBytes += pcm.byteLength;
    if (this.pendingBytes >= (sampleRate * RECOGNIZER_CHUNK_MS * 2) / 1000) this.flushAudio();
  }

  private flushAudio(): void {
    const pcm = this.pendingAudio.length === 1 ? (this.pendingAudio[0] as Buffer) : Buffer.concat(this.pendingAudio);
    const sampleRate = this.pendingRate;
    this.pendingAudio = [];
    this.pendingBytes = 0;
    if (this.queuedChunks >= MAX_QUEUED_CHUNKS) {
      // Dropping caller audio loses words but keeps the call in real time; killing it would be worse.
      if (this.droppedChunks++ % 10 === 0) this.log.warn({ dropped: this.droppedChunks }, 'recognizer behind real time: caller audio dropped');
      return;
    }
    this.queuedChunks++;
    this.audioChain = this.audioChain
      .then(() => this.recognize(pcm, sampleRate))
      .catch((err: unknown) => {
        const e = toSpeechError(err);
        this.log.warn({ code: e.code, reason: e.message }, 'recognition failed; reopening for the next audio');
        this.stream?.close();
        this.stream = null;
        this.reopenAfter = Date.now() + REOPEN_DELAY_MS;
      })
      .finally(() => this.queuedChunks--);
  }

  private async recognize(pcm: Buffer, sampleRate: number): Promise<void> {
    if (this.state !== 'active') return;
    if (this.stream && this.streamRate !== sampleRate) {
      this.stream.close();
      this.stream = null;
    }
    if (!this.stream) {
      if (Date.now() < this.reopenAfter) return;
      const stream = await this.deps.recognition.open({ language: this.language, sampleRate, encoding: 'pcm16', words: false, maxAlternatives: 1 });
      if (this.state !== 'active') return stream.close();
      stream.onFailure((err) => {
        this.log.warn({ code: err.code }, 'recognizer of this call restarted; continuing with a new one');
        if (this.stream === stream) this.stream = null;
      });
      this.stream = stream;
      this.streamRate = sampleRate;
    }
    this.onResult(await this.stream.accept(pcm));
  }

  private onResult(result: RecognitionResult): void {
    if (this.state !== 'active') return;
    if (result.type === 'partial') {
      // Barge-in on recognized words, not on energy: line noise must not cut the bot off.
      if (result.partial.trim() && this.playback.playing) this.bargeIn('speech');
      return;
    }
    const text = transcriptText(result.alternatives[0]?.text ?? '');
    if (!text) return;
    this.bargeIn('speech');
    this.log.info({ utteranceMs: Math.round(result.utteranceMs), confidence: result.alternatives[0]?.confidence, endpoint: result.endpoint }, 'caller utterance recognized');
    this.post(text, { confidence: result.alternatives[0]?.confidence ?? null, audioMs: Math.round(result.utteranceMs) });
  }

  private post(text: string, speech?: { confidence: number | null; audioMs: number | null }): void {
    if (!this.conversationId || this.state !== 'active') return;
    try {
      this.deps.conversations.postMessage(this.conversationId, { text, ...(speech ? { speech } : {}) }, `pbx:${this.uuid}`);
    } catch (err) {
      const code = err instanceof Error && 'code' in err ? String(err.code) : 'INTERNAL';
      this.log.warn({ code }, 'the conversation did not take the caller input');
      if (code === 'CONVERSATION_CLOSED' || code === 'CONVERSATION_NOT_FOUND') this.end('conversation closed');
    }
  }

  private write(kind: number, payload: Buffer): void {
    if (this.state === 'active' && this.socket.writable) this.socket.write(encodeAudioSocketFrame(kind, payload));
  }

  private touch(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.end('no frames from the PBX'), this.deps.config.idleTimeoutMs);
    this.idleTimer.unref();
  }
}

// vosk-server protocol over WebSocket: one session per connection, served on the main port
// (/v1/speech, via handleUpgrade) and on a dedicated listener (default :2700, any path) so
// existing PBX modules and vosk clients work unchanged. Each binary frame gets exactly one
// JSON answer; any error is answered with the error envelope and ends the connection.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { Logger } from '../ops/index.ts';
import { SpeechError, toSpeechError, toSpeechErrorEnvelope } from './errors.ts';
import type { SpeechMetrics } from './metrics.ts';
import type { RecognitionStream } from './pool/stream.ts';
import type { SpeechRecognition } from './recognition.ts';
import type { RecognitionResult } from './pool/messages.ts';
import { EMPTY_FINAL, applyVoskConfig, parseVoskTextMessage, toVoskMessage, type VoskServerMessage, type VoskSessionSettings } from './vosk-protocol.ts';

export const SPEECH_PATH = '/v1/speech';

export interface VoskEndpointDeps {
  recognition: SpeechRecognition;
  /** Settings before the client sends a config (vosk-server's command-line defaults). */
  defaults: VoskSessionSettings;
  maxFrameBytes: number;
  idleTimeoutMs: number;
  logger: Logger;
  metrics?: SpeechMetrics;
}

export interface VoskEndpoint {
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Starts the dedicated vosk-server listener; resolves with its port. */
  listen(port: number, host: string): Promise<number>;
  close(): Promise<void>;
}

type SessionState = 'configuring' | 'streaming' | 'closing' | 'closed';

/** Messages read but not yet handled before the socket stops reading (TCP then slows the client). */
const PAUSE_AT = 32;
const RESUME_AT = 8;
/** Audio frames of one connection at the recognizer at once (bounded by the pool's own limit too). */
const MAX_FRAMES_IN_FLIGHT = 16;

interface Inbound {
  bytes: Buffer;
  isBinary: boolean;
}

/**
 * One connection. Clients may send the next frame before the answer to the previous one (PBX
 * modules stream audio on the clock): up to MAX_FRAMES_IN_FLIGHT frames go to the recognizer
 * without waiting for earlier answers, and answers still leave strictly in the order the frames
 * came (the recognizer process answers a stream's requests in order). Opening the stream and
 * text messages (config, eof, reset) run alone, after every earlier frame has been answered.
 */
class VoskSession {
  private state: SessionState = 'configuring';
  private settings: VoskSessionSettings;
  private stream: RecognitionStream | null = null;
  private readonly inbox: Inbound[] = [];
  /** Audio frames handed to the recognizer whose answer has not been sent yet. */
  private inFlight = 0;
  /** Answers in the order of the frames they answer. */
  private answers: Promise<void> = Promise.resolve();
  /** An exclusive step (open, config, eof, reset) is running. */
  private busy = false;
  private paused = false;
  private idleTimer: NodeJS.Timeout | null = null;

  private corked = false;

  constructor(
    private readonly ws: WebSocket,
    /** The connection under the WebSocket: corked so the answers of one tick leave in one write. */
    private readonly socket: Duplex,
    private readonly deps: VoskEndpointDeps,
    private readonly log: Logger,
  ) {
    this.settings = { ...deps.defaults };
    ws.on('message', (data, isBinary) => this.enqueue(data, isBinary));
    ws.on('close', () => this.onClosed());
    ws.on('error', (err) => this.log.warn({ err: err.message }, 'speech socket error'));
    this.touch();
  }

  private enqueue(data: RawData, isBinary: boolean): void {
    this.touch();
    const bytes = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
    this.inbox.push({ bytes, isBinary });
    if (this.inbox.length >= PAUSE_AT && !this.paused) {
      this.paused = true;
      this.ws.pause();
    }
    this.pump();
  }

  /** Moves messages from the inbox to the recognizer as far as ordering and the window allow. */
  private pump(): void {
    while (this.inbox.length > 0 && !this.busy) {
      if (this.state === 'closing' || this.state === 'closed') {
        this.inbox.length = 0;
        break;
      }
      const next = this.inbox[0] as Inbound;
      if (next.isBinary && this.state === 'streaming' && this.stream) {
        if (this.inFlight >= Math.min(MAX_FRAMES_IN_FLIGHT, this.stream.maxPendingFrames)) break;
        this.inbox.shift();
        this.dispatchAudio(this.stream, next.bytes);
        continue;
      }
      if (this.inFlight > 0) break; // an exclusive step waits for every earlier answer
      this.inbox.shift();
      this.busy = true;
      this.exclusive(next)
        .catch((err: unknown) => this.fail(err))
        .finally(() => {
          this.busy = false;
          this.pump();
        });
    }
    if (this.paused && this.inbox.length <= RESUME_AT && this.state !== 'closed') {
      this.paused = false;
      this.ws.resume();
    }
  }

  /** A step that runs alone: opening the stream at its first frame, or a text message. */
  private async exclusive({ bytes, isBinary }: Inbound): Promise<void> {
    if (isBinary) {
      this.checkFrameSize(bytes);
      if (!this.stream) {
        const stream = await this.deps.recognition.open(this.request(this.settings));
        this.stream = stream;
        stream.onFailure((err) => this.fail(err));
        if (this.state !== 'configuring') {
          // The client left while the stream was opening.
          this.closeStream();
          return;
        }
        this.state = 'streaming';
      }
      return this.dispatchAudio(this.stream, bytes);
    }
    const msg = parseVoskTextMessage(bytes.toString('utf8'));
    if (msg.type === 'config') {
      const next = applyVoskConfig(this.settings, msg.config);
      this.deps.recognition.validate(this.request(next));
      this.settings = next;
      // New settings need a new recognizer; vosk-server only did this for the model (and then
      // for every later connection too). Here it applies to this connection, at its next audio.
      this.closeStream();
      this.state = 'configuring';
      return;
    }
    const final = this.stream ? toVoskMessage(await this.stream.flush(), this.settings) : EMPTY_FINAL;
    this.send(final);
    if (msg.type === 'eof') this.end(1000, 'eof');
  }

  private checkFrameSize(bytes: Buffer): void {
    if (bytes.byteLength > this.deps.maxFrameBytes) {
      throw new SpeechError('SPEECH_FRAME_TOO_LARGE', `audio frames may be at most ${this.deps.maxFrameBytes} bytes; got ${bytes.byteLength}`, { maxFrameBytes: this.deps.maxFrameBytes });
    }
  }

  /** Hands a frame to the recognizer now and chains the sending of its answer behind earlier ones. */
  private dispatchAudio(stream: RecognitionStream, bytes: Buffer): void {
    this.inFlight++;
    const started = performance.now();
    let result: Promise<RecognitionResult>;
    try {
      this.checkFrameSize(bytes);
      result = stream.accept(bytes);
    } catch (err) {
      result = Promise.reject(err);
    }
    // Attached now, so a failure is never an unhandled rejection while earlier answers wait.
    const settled = result.then(
      (r) => ({ ok: true as const, r }),
      (err: unknown) => ({ ok: false as const, err }),
    );
    this.answers = this.answers.then(async () => {
      const s = await settled;
      try {
        if (!s.ok) this.fail(s.err);
        else if (this.state === 'streaming') {
          this.deps.metrics?.resultSeconds.observe({ type: s.r.type }, (performance.now() - started) / 1000);
          this.send(toVoskMessage(s.r, this.settings));
        }
      } catch (err) {
        this.fail(err);
      } finally {
        this.inFlight--;
        this.pump();
      }
    });
  }

  private request(s: VoskSessionSettings) {
    return {
      ...(s.model ? { model: s.model } : {}),
      ...(s.language ? { language: s.language } : {}),
      sampleRate: s.sampleRate,
      encoding: s.encoding,
      ...(s.phraseList ? { phraseList: s.phraseList } : {}),
      words: s.words,
      maxAlternatives: s.maxAlternatives,
    };
  }

  private send(msg: VoskServerMessage | ReturnType<typeof toSpeechErrorEnvelope>): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    // Answers to pipelined frames arrive together (one read from the recognizer process): one
    // syscall for all of them instead of one each; uncorked before the event loop goes on.
    if (!this.corked) {
      this.corked = true;
      this.socket.cork();
      process.nextTick(() => {
        this.corked = false;
        this.socket.uncork();
      });
    }
    this.ws.send(JSON.stringify(msg));
  }

  private fail(err: unknown): void {
    if (this.state === 'closing' || this.state === 'closed') return;
    const e = toSpeechError(err);
    if (e.code === 'INTERNAL') this.log.error({ err }, 'speech session failed');
    else this.log.info({ code: e.code }, 'speech session ended with an error');
    this.send(toSpeechErrorEnvelope(e));
    this.end(e.closeCode, e.code);
  }

  private end(code: number, reason: string): void {
    this.state = 'closing';
    this.closeStream();
    this.ws.close(code, reason.slice(0, 120));
  }

  private closeStream(): void {
    this.stream?.close();
    this.stream = null;
  }

  private touch(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.fail(new SpeechError('SPEECH_STREAM_CLOSED', `nothing received for ${this.deps.idleTimeoutMs} ms`)), this.deps.idleTimeoutMs);
    this.idleTimer.unref();
  }

  private onClosed(): void {
    this.state = 'closed';
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.closeStream();
  }
}

export function createVoskEndpoint(deps: VoskEndpointDeps): VoskEndpoint {
  // ws's own limit sits above ours so an oversized frame still gets the protocol's error answer.
  const wss = new WebSocketServer({ noServer: true, maxPayload: deps.maxFrameBytes + 64 * 1024 });
  const log = deps.logger.child({ channel: 'vosk' });
  let server: Server | null = null;

  wss.on('connection', (ws: WebSocket, req: IncomingMessage) => {
    new VoskSession(ws, req.socket, deps, log);
  });

  const upgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));

  return {
    handleUpgrade: upgrade,
    listen(port, host) {
      const s = createServer((_req, res) => {
        res.writeHead(426, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'UPGRADE_REQUIRED', message: 'this port speaks the vosk-server WebSocket protocol' } }));
      });
      s.on('upgrade', upgrade);
      server = s;
      return new Promise<number>((resolve, reject) => {
        s.once('error', reject);
        s.listen(port, host, () => resolve((s.address() as AddressInfo).port));
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.close(1001, 'server shutting down');
        wss.close(() => {
          if (!server) return resolve();
          server.close(() => resolve());
          server.closeAllConnections();
        });
      }),
  };
}

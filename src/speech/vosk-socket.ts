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

/** Frames waiting in a session before the socket stops reading (TCP then slows the client). */
const PAUSE_AT = 16;
const RESUME_AT = 4;

class VoskSession {
  private state: SessionState = 'configuring';
  private settings: VoskSessionSettings;
  private stream: RecognitionStream | null = null;
  private queue: Promise<void> = Promise.resolve();
  private queued = 0;
  private paused = false;
  private idleTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly ws: WebSocket,
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
    this.queued++;
    if (this.queued >= PAUSE_AT && !this.paused) {
      this.paused = true;
      this.ws.pause();
    }
    this.queue = this.queue
      .then(() => this.handle(data, isBinary))
      .catch((err: unknown) => this.fail(err))
      .finally(() => {
        this.queued--;
        if (this.paused && this.queued <= RESUME_AT && this.state !== 'closed') {
          this.paused = false;
          this.ws.resume();
        }
      });
  }

  private async handle(data: RawData, isBinary: boolean): Promise<void> {
    if (this.state === 'closing' || this.state === 'closed') return;
    const bytes = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
    if (isBinary) return this.onAudio(bytes);
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

  private async onAudio(bytes: Buffer): Promise<void> {
    if (bytes.byteLength > this.deps.maxFrameBytes) {
      throw new SpeechError('SPEECH_FRAME_TOO_LARGE', `audio frames may be at most ${this.deps.maxFrameBytes} bytes; got ${bytes.byteLength}`, { maxFrameBytes: this.deps.maxFrameBytes });
    }
    if (!this.stream) {
      this.stream = await this.deps.recognition.open(this.request(this.settings));
      this.stream.onFailure((err) => this.fail(err));
      if (this.state !== 'configuring') {
        // The client left while the stream was opening.
        this.closeStream();
        return;
      }
      this.state = 'streaming';
    }
    const started = performance.now();
    const result = await this.stream.accept(bytes);
    this.deps.metrics?.resultSeconds.observe({ type: result.type }, (performance.now() - started) / 1000);
    this.send(toVoskMessage(result, this.settings));
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
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(JSON.stringify(msg));
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

  wss.on('connection', (ws: WebSocket) => {
    new VoskSession(ws, deps, log);
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

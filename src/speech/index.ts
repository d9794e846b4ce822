// Public face of speech: starts the recognizer pool and the ingress channels (vosk-server
// WebSocket on the main port and on its own port, Asterisk AudioSocket) and hands the
// appliance one object to route upgrades to and to close.
import type { IncomingMessage } from 'node:http';
import { resolve } from 'node:path';
import type { Duplex } from 'node:stream';
import type { Registry } from 'prom-client';
import type { Logger } from '../ops/index.ts';
import { createAudioSocketServer, type AudioSocketServer } from './audiosocket/server.ts';
import type { SpeechConfig, SpeechLanguage } from './config.ts';
import { createSpeechMetrics } from './metrics.ts';
import { ModelCatalog } from './models.ts';
import type { RecognizerEntry } from './pool/child.ts';
import { RecognizerPool, type PoolStatus } from './pool/pool.ts';
import { SpeechRecognition } from './recognition.ts';
import { EspeakTts, type SpeechSynthesizer } from './tts.ts';
import type { CallConversations } from './voice-call.ts';
import { SPEECH_PATH, createVoskEndpoint, type VoskEndpoint } from './vosk-socket.ts';

export { SpeechConfigSchema, SpeechLanguage, type SpeechConfig } from './config.ts';
export { SpeechError, SPEECH_ERROR_CODES, type SpeechErrorCode } from './errors.ts';
export { SPEECH_PATH } from './vosk-socket.ts';
export { ModelCatalog, inspectModel, type SpeechModelInfo } from './models.ts';
export { RecognizerPool, type RecognizerPoolOptions, type PoolStatus } from './pool/pool.ts';
export type { RecognitionStream } from './pool/stream.ts';
export type { RecognitionResult } from './pool/messages.ts';
export { SpeechRecognition, type StreamRequest } from './recognition.ts';
export { EspeakTts, type SpeechSynthesizer } from './tts.ts';

export interface SpeechServicesDeps {
  config: SpeechConfig;
  conversations: CallConversations;
  logger: Logger;
  /** The appliance's metrics; speech registers its own series on the same registry. */
  metrics?: { registry: Registry };
  /** Used when config.modelsDir is unset (the appliance's modelsDir). */
  modelsDir: string;
  /**
   * Decides whether an upgrade on the main port (/v1/speech) may proceed (e.g. a kiosk token in
   * Sec-WebSocket-Protocol). The dedicated vosk-server port is unauthenticated, like vosk-server:
   * bind it to the PBX network.
   */
  authorize?: (req: IncomingMessage) => boolean | Promise<boolean>;
  /** Test seams. */
  tts?: SpeechSynthesizer;
  recognizerEntry?: RecognizerEntry;
}

export interface SpeechServices {
  /** Routes an HTTP upgrade for SPEECH_PATH (/v1/speech) on the main server. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Port of the dedicated vosk-server listener, or null when disabled. */
  voskPort: number | null;
  /** Port of the AudioSocket listener, or null when disabled. */
  audioSocketPort: number | null;
  recognition: SpeechRecognition;
  pool: RecognizerPool;
  status(): PoolStatus;
  /** For /health/ready: a recognizer is running and the default model is installed. */
  readiness(): { ok: boolean; detail: string };
  /** Languages whose configured model is installed now (a model installed later counts at once). */
  languages(): SpeechLanguage[];
  close(): Promise<void>;
}

export async function startSpeechServices(deps: SpeechServicesDeps): Promise<SpeechServices> {
  const { config } = deps;
  const log = deps.logger.child({ module: 'speech' });
  const metrics = createSpeechMetrics(deps.metrics?.registry);
  const catalog = new ModelCatalog({ modelsDir: resolve(config.modelsDir ?? deps.modelsDir), models: config.models, defaultLanguage: config.defaultLanguage });
  const installed = catalog.list();
  const preload = (Object.keys(config.models) as SpeechLanguage[]).map((l) => installed.find((m) => m.name === config.models[l])).filter((m) => m !== undefined);
  if (preload.length === 0) log.warn({ modelsDir: config.modelsDir ?? deps.modelsDir, wanted: config.models }, 'no speech model installed: recognition requests will fail with SPEECH_MODEL_NOT_FOUND');

  const pool = new RecognizerPool({
    processes: config.pool.processes,
    startProcesses: config.pool.startProcesses,
    maxStreams: config.pool.maxStreams,
    requestTimeoutMs: config.pool.requestTimeoutMs,
    restartInitialBackoffMs: config.pool.restartInitialBackoffMs,
    restartMaxBackoffMs: config.pool.restartMaxBackoffMs,
    maxPendingFramesPerStream: config.pool.maxPendingFramesPerStream,
    endpointing: config.endpointing,
    preloadModels: preload.map((m) => m.path),
    logger: log.child({ component: 'recognizer-pool' }),
    metrics,
    ...(deps.recognizerEntry ? { entry: deps.recognizerEntry } : {}),
  });
  await pool.start();
  const recognition = new SpeechRecognition(pool, catalog, config.sampleRates);

  const vosk: VoskEndpoint = createVoskEndpoint({
    recognition,
    defaults: { sampleRate: 8000, words: false, maxAlternatives: 0, encoding: 'pcm16' },
    maxFrameBytes: config.maxFrameBytes,
    idleTimeoutMs: config.voskServer.idleTimeoutMs,
    logger: log,
    metrics,
  });
  let audioSocket: AudioSocketServer | null = null;
  let voskPort: number | null = null;
  let audioSocketPort: number | null = null;
  try {
    if (config.voskServer.enabled) voskPort = await vosk.listen(config.voskServer.port, config.host);
    if (config.audioSocket.enabled) {
      audioSocket = createAudioSocketServer({
        recognition,
        conversations: deps.conversations,
        tts: deps.tts ?? new EspeakTts(config.tts, log.child({ component: 'tts' })),
        config: config.audioSocket,
        defaultLanguage: config.defaultLanguage,
        logger: log,
        metrics,
      });
      audioSocketPort = await audioSocket.listen(config.audioSocket.port, config.host);
    }
  } catch (err) {
    await Promise.allSettled([vosk.close(), audioSocket?.close(), pool.close()]);
    throw err;
  }
  log.info({ voskPort, audioSocketPort, models: installed.map((m) => m.name), processes: config.pool.processes, maxStreams: config.pool.maxStreams }, 'speech services ready');

  return {
    async handleUpgrade(req, socket, head) {
      if (deps.authorize) {
        let allowed = false;
        try {
          allowed = await deps.authorize(req);
        } catch (err) {
          log.warn({ err }, 'speech upgrade authorization failed');
        }
        if (!allowed) {
          socket.end('HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n{"error":{"code":"AUTH_REQUIRED","message":"speech requires an access token"}}');
          return;
        }
      }
      vosk.handleUpgrade(req, socket, head);
    },
    voskPort,
    audioSocketPort,
    recognition,
    pool,
    status: () => pool.status(),
    readiness() {
      const ready = pool.status().processes.filter((p) => p.state === 'ready').length;
      let model = 'default model installed';
      let ok = ready > 0;
      try {
        catalog.resolve({});
      } catch {
        ok = false;
        model = 'default speech model missing';
      }
      return { ok, detail: `${ready} recognizer process${ready === 1 ? '' : 'es'} ready (up to ${config.pool.processes} on demand); ${model}` };
    },
    languages() {
      // resolve() looks at the one configured directory per language (list() would inspect them all)
      return (Object.keys(config.models) as SpeechLanguage[]).filter((language) => {
        try {
          catalog.resolve({ language });
          return true;
        } catch {
          return false;
        }
      });
    },
    async close() {
      await Promise.allSettled([vosk.close(), audioSocket?.close()]);
      await pool.close();
    },
  };
}

export { transcriptText } from './voice-call.ts';

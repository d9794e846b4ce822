// Helpers for speech tests: synthesized caller audio (espeak-ng → sox, the same tools the
// appliance's TTS uses), a vosk-protocol WebSocket client that records every answer, and the
// models directory (the demo models committed under models/).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import type { IpcFrame } from '../../src/speech/pool/ipc-frame.ts';
import type { OpenStream } from '../../src/speech/pool/messages.ts';

export const REPO_ROOT = join(import.meta.dirname, '..', '..');
export const SPEECH_MODELS_DIR = process.env.SWITCHBOARD_TEST_SPEECH_MODELS ?? join(REPO_ROOT, 'models');

/** One frame to a RecognizerHost, as the pool would send it. */
export function hostFrame(kind: number, streamId: number, payload: Buffer = Buffer.alloc(0)): IpcFrame {
  return { kind, streamId, payload };
}

/** A RecognizerHost OPEN request for an 8 kHz PCM16 stream on the model at `modelPath`. */
export function hostOpenStream(modelPath: string, words: boolean): OpenStream {
  return { modelPath, frameSubsamplingFactor: 3, sampleRate: 8000, encoding: 'pcm16', words, maxAlternatives: 1, trailingSilenceMs: 800, maxUtteranceMs: 15_000 };
}

/** PCM16LE mono audio of `text` spoken by espeak-ng `voice`, at `rate` Hz. */
export function say(text: string, options: { voice?: string; rate?: number; wpm?: number } = {}): Buffer {
  const espeak = spawnSync('espeak-ng', ['-v', options.voice ?? 'en-us', '-s', String(options.wpm ?? 150), '--stdout', text], { maxBuffer: 64 << 20 });
  if (espeak.status !== 0) throw new Error(`espeak-ng failed: ${espeak.stderr.toString()}`);
  const sox = spawnSync('sox', ['-q', '-D', '-t', 'wav', '-', '-t', 'raw', '-r', String(options.rate ?? 8000), '-e', 'signed-integer', '-b', '16', '-c', '1', '-L', '-'], {
    input: espeak.stdout,
    maxBuffer: 64 << 20,
  });
  if (sox.status !== 0) throw new Error(`sox failed: ${sox.stderr.toString()}`);
  return sox.stdout;
}

export function silence(ms: number, rate = 8000): Buffer {
  return Buffer.alloc(((rate * ms) / 1000) * 2);
}

export function chunk(buf: Buffer, bytes: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < buf.byteLength; i += bytes) out.push(buf.subarray(i, i + bytes));
  return out;
}

export interface VoskClient {
  ws: WebSocket;
  /** Every JSON message received so far. */
  messages: unknown[];
  /** Resolves with the next message not yet taken. */
  next(timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Sends audio and returns its one answer. */
  audio(bytes: Buffer): Promise<Record<string, unknown>>;
  text(msg: unknown): void;
  closed: Promise<{ code: number; reason: string }>;
}

const openClients = new Set<WebSocket>();

/** Drops every client a test left open (a failed assertion must not leak recognizer slots into the next test). */
export function terminateVoskClients(): void {
  for (const ws of openClients) ws.terminate();
  openClients.clear();
}

export async function connectVosk(url: string, options: { protocols?: string[] } = {}): Promise<VoskClient> {
  const ws = new WebSocket(url, options.protocols);
  openClients.add(ws);
  ws.on('close', () => openClients.delete(ws));
  const messages: unknown[] = [];
  let taken = 0;
  const waiters: Array<() => void> = [];
  ws.on('message', (data) => {
    messages.push(JSON.parse(data.toString()));
    for (const w of waiters.splice(0)) w();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  closed.then(() => {
    for (const w of waiters.splice(0)) w();
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const next = async (timeoutMs = 10_000): Promise<Record<string, unknown>> => {
    const deadline = Date.now() + timeoutMs;
    while (taken >= messages.length) {
      if (ws.readyState === WebSocket.CLOSED) throw new Error('socket closed before the next message');
      if (Date.now() > deadline) throw new Error('no message in time');
      await new Promise<void>((r) => {
        waiters.push(r);
        setTimeout(r, 50);
      });
    }
    return messages[taken++] as Record<string, unknown>;
  };
  return {
    ws,
    messages,
    next,
    audio: (bytes) => {
      ws.send(bytes);
      return next();
    },
    text: (msg) => ws.send(typeof msg === 'string' ? msg : JSON.stringify(msg)),
    closed,
  };
}

/** Streams `audio` in `frameBytes` frames, one answer per frame; returns every answer. */
export async function streamAudio(client: VoskClient, audio: Buffer, frameBytes = 1600): Promise<Array<Record<string, unknown>>> {
  const out = [];
  for (const frame of chunk(audio, frameBytes)) out.push(await client.audio(frame));
  return out;
}

/** Text of all final results ({"text": ...}) in a list of answers, joined. */
export function finalText(answers: Array<Record<string, unknown>>): string {
  return answers
    .map((a) => (typeof a.text === 'string' ? a.text : Array.isArray(a.alternatives) ? String((a.alternatives[0] as { text?: string } | undefined)?.text ?? '') : ''))
    .filter(Boolean)
    .join(' ');
}

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { silentLogger } from '../../src/ops/index.ts';
import { SPEECH_PATH, SpeechConfigSchema, startSpeechServices, type SpeechServices, type SpeechSynthesizer } from '../../src/speech/index.ts';
import type { TestAppliance } from '../support/appliance.ts';

export interface SpeechHarness {
  speech: SpeechServices;
  /** ws:// URL of /v1/speech on a main-port stand-in (routes upgrades as the appliance will). */
  mainUrl: string;
  /** ws:// URL of the dedicated vosk-server listener. */
  voskUrl: string;
  close(): Promise<void>;
}

/** Starts speech services beside a running test appliance, on random 127.0.0.1 ports. */
export async function startSpeechHarness(
  t: TestAppliance,
  overrides: Record<string, unknown> = {},
  extra: { tts?: SpeechSynthesizer; authorize?: (req: import('node:http').IncomingMessage) => boolean } = {},
): Promise<SpeechHarness> {
  const config = SpeechConfigSchema.parse({
    host: '127.0.0.1',
    modelsDir: SPEECH_MODELS_DIR,
    voskServer: { port: 0 },
    audioSocket: { port: 0 },
    ...overrides,
  });
  const speech = await startSpeechServices({
    config,
    conversations: t.app.conversations,
    logger: silentLogger,
    metrics: t.app.metrics,
    modelsDir: SPEECH_MODELS_DIR,
    ...extra,
  });
  // Until the appliance routes /v1/speech itself, a server here routes it the same way.
  const main: Server = createServer((_req, res) => res.writeHead(404).end());
  main.on('upgrade', (req, socket, head) => {
    if (new URL(req.url ?? '/', 'http://x').pathname === SPEECH_PATH) speech.handleUpgrade(req, socket, head);
    else socket.destroy();
  });
  await new Promise<void>((r) => main.listen(0, '127.0.0.1', () => r()));
  return {
    speech,
    mainUrl: `ws://127.0.0.1:${(main.address() as AddressInfo).port}${SPEECH_PATH}`,
    voskUrl: `ws://127.0.0.1:${speech.voskPort}/`,
    async close() {
      main.closeAllConnections();
      await new Promise<void>((r) => main.close(() => r()));
      await speech.close();
    },
  };
}

import { connect, type Socket } from 'node:net';
import { AudioSocketKind, AudioSocketReader, encodeAudioSocketFrame, uuidBytes, type AudioSocketMessage } from '../../src/speech/audiosocket/protocol.ts';

/** A fake Asterisk: connects to the AudioSocket port and records what the appliance sends back. */
export interface PbxLeg {
  socket: Socket;
  received: Array<{ at: number; msg: AudioSocketMessage }>;
  closed: Promise<void>;
  send(kind: number, payload?: Uint8Array): void;
  /** Sends caller audio in 20 ms slin frames, `speed` times faster than real time. */
  speak(pcm: Buffer, speed?: number): Promise<void>;
  dtmf(keys: string): void;
  /** Audio bytes received so far, from frame index `from`. */
  audio(from?: number): Buffer;
}

export async function dialAudioSocket(port: number, uuid: string): Promise<PbxLeg> {
  const socket = connect(port, '127.0.0.1');
  await new Promise<void>((r, j) => {
    socket.once('connect', () => r());
    socket.once('error', j);
  });
  socket.setNoDelay(true);
  const reader = new AudioSocketReader(65_535);
  const received: PbxLeg['received'] = [];
  socket.on('data', (chunk: Buffer) => {
    for (const msg of reader.push(chunk)) received.push({ at: Date.now(), msg });
  });
  const closed = new Promise<void>((r) => socket.on('close', () => r()));
  socket.on('error', () => undefined);
  const send = (kind: number, payload?: Uint8Array) => void socket.write(encodeAudioSocketFrame(kind, payload));
  send(AudioSocketKind.UUID, uuidBytes(uuid));
  return {
    socket,
    received,
    closed,
    send,
    async speak(pcm, speed = 2) {
      const frames = chunk(pcm, 320);
      const started = Date.now();
      for (let i = 0; i < frames.length; i++) {
        if (socket.destroyed) return;
        send(AudioSocketKind.SLIN_8K, frames[i]!);
        const due = started + ((i + 1) * 20) / speed;
        if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
      }
    },
    dtmf(keys) {
      for (const k of keys) send(AudioSocketKind.DTMF, Buffer.from(k));
    },
    audio(from = 0) {
      return Buffer.concat(received.slice(from).flatMap((r) => (r.msg.kind === 'audio' ? [r.msg.pcm] : [])));
    },
  };
}

/** Resolves once `check` holds (polling; for state that has no event to await from a test). */
export async function waitFor(check: () => boolean, timeoutMs = 15_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

// Everything configurable about speech (recognizer pool, vosk-server listener, AudioSocket,
// TTS), with defaults that run on the 2-core reference appliance. The lead mounts this schema
// as `speech` in the appliance's one config schema.
import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);
const ms = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const languages = z.enum(['en', 'zh']);

export const SpeechLanguage = languages;
export type SpeechLanguage = z.infer<typeof languages>;

const PoolSchema = z.object({
  processes: z.coerce.number().int().min(1).max(64).default(2).describe('Recognizer child processes (libvosk runs only there, so a libvosk crash never takes the appliance down). One per CPU core is right.'),
  startProcesses: z.coerce
    .number()
    .int()
    .min(1)
    .max(64)
    .default(1)
    .describe('Recognizer processes started at boot; more (up to processes) start when calls keep the running ones busy, so an idle box holds one copy of each model.'),
  maxStreams: z.coerce.number().int().min(1).max(10_000).default(40).describe('Simultaneous recognition streams across the pool; one more is refused with SPEECH_BUSY. Measured by `bench/speech-concurrency.ts` (see docs/benchmarks.md).'),
  requestTimeoutMs: ms(100, 120_000).default(10_000).describe('A recognizer process that leaves a request unanswered this long is considered hung and is killed and restarted.'),
  restartInitialBackoffMs: ms(0, 60_000).default(200).describe('Delay before restarting a recognizer process that died; doubles on each consecutive failure.'),
  restartMaxBackoffMs: ms(0, 600_000).default(10_000).describe('Upper bound of the restart delay.'),
  maxPendingFramesPerStream: z.coerce.number().int().min(1).max(10_000).default(200).describe('Audio frames of one stream waiting for the recognizer; beyond this the client sends faster than it can be recognized and gets SPEECH_STREAM_OVERLOADED.'),
});

const EndpointSchema = z.object({
  trailingSilenceMs: ms(200, 10_000).default(800).describe('End an utterance when its partial transcript has not changed for this much audio (callers pause 0.5-1 s between sentences; line noise can keep the model\'s own silence rules from firing).'),
  maxUtteranceMs: ms(1000, 120_000).default(15_000).describe('End an utterance after this much audio even if the caller keeps talking.'),
});

const modelName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'a directory name inside modelsDir');
const ModelsSchema = z.object({
  en: modelName.default('demo-en-8k').describe('Model directory (inside modelsDir) for English.'),
  zh: modelName.default('demo-zh-8k').describe('Model directory (inside modelsDir) for Mandarin.'),
});

const VoskServerSchema = z.object({
  enabled: z.coerce.boolean().default(true).describe('Serve the vosk-server WebSocket protocol on a dedicated port (path /), for PBX modules and vosk clients that expect ws://host:2700. The same protocol is always served on the main port at /v1/speech.'),
  port: port.default(2700).describe('Port of the dedicated vosk-server listener (0 = any free port).'),
  idleTimeoutMs: ms(1000, 3_600_000).default(60_000).describe('Close a speech WebSocket (either port) that sends nothing for this long, freeing its recognizer slot.'),
});

const AudioSocketSchema = z.object({
  enabled: z.coerce.boolean().default(true).describe('Accept Asterisk AudioSocket calls over TCP; each connection is one voice conversation.'),
  port: port.default(9092).describe('TCP port of the AudioSocket listener (0 = any free port).'),
  language: languages.optional().describe('Language a call starts in; defaults to speech.defaultLanguage.'),
  languageKeys: z.record(z.string().regex(/^[0-9]$/), languages).default({ '1': 'en', '2': 'zh' }).describe('DTMF "*" followed by this digit switches the call\'s language (recognition model and voice).'),
  dtmfTerminator: z.enum(['#', '*']).default('#').describe('DTMF key that submits the digits typed so far as one message.'),
  dtmfInterDigitTimeoutMs: ms(500, 60_000).default(4000).describe('Digits typed without a terminator are submitted after this pause.'),
  idleTimeoutMs: ms(1000, 3_600_000).default(60_000).describe('Hang up a call that sends no frame at all for this long (a dead PBX leg).'),
  maxFrameBytes: z.coerce.number().int().min(320).max(65_535).default(8192).describe('Largest AudioSocket payload accepted; a larger one ends the call.'),
});

const TtsSchema = z.object({
  command: z.string().min(1).default('espeak-ng').describe('eSpeak NG executable (Debian package espeak-ng); run as a separate process so its GPL code stays out of the appliance binary.'),
  resampleCommand: z.string().min(1).default('sox').describe('sox executable (Debian package sox) that converts eSpeak\'s 22.05 kHz WAV to telephony slin.'),
  voices: z.record(languages, z.string().min(1)).default({ en: 'en-us', zh: 'cmn-latn-pinyin' }).describe('eSpeak NG voice per language. A pinyin voice gets Chinese text converted to tone-numbered pinyin first (Debian eSpeak NG reads Hanzi poorly).'),
  wordsPerMinute: z.coerce.number().int().min(80).max(450).default(165).describe('Speaking rate.'),
  maxConcurrent: z.coerce.number().int().min(1).max(64).default(4).describe('Synthesis processes at once; further requests wait in a bounded queue.'),
  timeoutMs: ms(500, 120_000).default(10_000).describe('A synthesis that takes longer is killed and the reply is skipped (logged).'),
  cacheEntries: z.coerce.number().int().min(0).max(10_000).default(128).describe('Synthesized prompts kept in memory (greetings repeat on every call).'),
});

export const SpeechConfigSchema = z
  .object({
    enabled: z.coerce.boolean().default(true).describe('Start speech recognition, the vosk-server endpoints and the AudioSocket listener.'),
    host: z.string().min(1).default('0.0.0.0').describe('Address the dedicated speech listeners (vosk-server port, AudioSocket) bind to.'),
    modelsDir: z.string().min(1).optional().describe('Directory holding Vosk model directories (each with am/final.mdl); defaults to the appliance modelsDir.'),
    defaultLanguage: languages.default('en').describe('Language used when a client names neither a model nor a language.'),
    models: ModelsSchema.default(ModelsSchema.parse({})),
    sampleRates: z.array(z.coerce.number().int().min(8000).max(48_000)).min(1).default([8000, 16000]).describe('PCM sample rates clients may send. libvosk downsamples to the model rate but cannot upsample.'),
    maxFrameBytes: z.coerce.number().int().min(640).max(16 * 1024 * 1024).default(256 * 1024).describe('Largest binary WebSocket audio frame (8 s of 16 kHz PCM16 by default).'),
    pool: PoolSchema.default(PoolSchema.parse({})),
    endpointing: EndpointSchema.default(EndpointSchema.parse({})),
    voskServer: VoskServerSchema.default(VoskServerSchema.parse({})),
    audioSocket: AudioSocketSchema.default(AudioSocketSchema.parse({})),
    tts: TtsSchema.default(TtsSchema.parse({})),
  })
  .strict();

export type SpeechConfig = z.infer<typeof SpeechConfigSchema>;

// Named speech errors with stable string codes, and their one mapping to the wire: the
// appliance's `{"error": {...}}` envelope and a WebSocket close code.

export const SPEECH_ERROR_CODES = {
  /** Every recognizer slot is taken; try again later. */
  SPEECH_BUSY: 1013,
  /** No recognizer process is running right now (all restarting). */
  SPEECH_ENGINE_UNAVAILABLE: 1013,
  /** The recognizer process hosting this stream died; the stream's audio so far is lost. */
  SPEECH_ENGINE_RESTARTED: 1011,
  /** The recognizer did not answer in time (it was restarted). */
  SPEECH_ENGINE_TIMEOUT: 1011,
  SPEECH_MODEL_NOT_FOUND: 1008,
  SPEECH_MODEL_LOAD_FAILED: 1011,
  SPEECH_RECOGNIZER_FAILED: 1011,
  SPEECH_CONFIG_INVALID: 1007,
  SPEECH_SAMPLE_RATE_UNSUPPORTED: 1003,
  AUDIO_FORMAT_UNSUPPORTED: 1003,
  SPEECH_FRAME_TOO_LARGE: 1009,
  MALFORMED_JSON: 1007,
  /** The client sends audio faster than the recognizer can take it, beyond the buffer. */
  SPEECH_STREAM_OVERLOADED: 1008,
  SPEECH_STREAM_CLOSED: 1000,
  SPEECH_SHUTTING_DOWN: 1001,
  AUTH_REQUIRED: 1008,
  INTERNAL: 1011,
} as const satisfies Record<string, number>;

export type SpeechErrorCode = keyof typeof SPEECH_ERROR_CODES;

export class SpeechError extends Error {
  readonly code: SpeechErrorCode;
  readonly details: unknown;

  constructor(code: SpeechErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'SpeechError';
    this.code = code;
    this.details = details;
  }

  /** WebSocket close code that goes with this error (RFC 6455 §7.4.1). */
  get closeCode(): number {
    return SPEECH_ERROR_CODES[this.code];
  }
}

export function isSpeechError(value: unknown): value is SpeechError {
  return value instanceof SpeechError;
}

const KNOWN_CODES = new Set<string>(Object.keys(SPEECH_ERROR_CODES));

/** Any thrown value as a SpeechError (libvosk errors keep their code; others become INTERNAL). */
export function toSpeechError(err: unknown): SpeechError {
  if (err instanceof SpeechError) return err;
  if (err instanceof Error && 'code' in err && typeof err.code === 'string' && KNOWN_CODES.has(err.code)) {
    return new SpeechError(err.code as SpeechErrorCode, err.message);
  }
  return new SpeechError('INTERNAL', 'internal speech error');
}

export interface SpeechErrorEnvelope {
  error: { code: SpeechErrorCode; message: string; details?: unknown };
}

export function toSpeechErrorEnvelope(err: SpeechError): SpeechErrorEnvelope {
  const body: SpeechErrorEnvelope = { error: { code: err.code, message: err.message } };
  if (err.details !== undefined) body.error.details = err.details;
  return body;
}

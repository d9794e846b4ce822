// Asterisk AudioSocket wire format (res_audiosocket): frames of [u8 kind][u16 BE length][payload]
// over TCP. Types, a reader that reassembles frames split anywhere across TCP chunks, and an encoder.

export const AudioSocketKind = {
  HANGUP: 0x00,
  UUID: 0x01,
  DTMF: 0x03,
  /** Signed linear 16-bit little-endian, 8 kHz mono: what Asterisk sends by default. */
  SLIN_8K: 0x10,
  SLIN_12K: 0x11,
  SLIN_16K: 0x12,
  SLIN_24K: 0x13,
  SLIN_32K: 0x14,
  SLIN_44K: 0x15,
  SLIN_48K: 0x16,
  SLIN_96K: 0x17,
  SLIN_192K: 0x18,
  ERROR: 0xff,
} as const;

/** Sample rate of each slin kind (newer Asterisk versions send rates other than 8 kHz). */
export const SLIN_RATES: ReadonlyMap<number, number> = new Map([
  [AudioSocketKind.SLIN_8K, 8000],
  [AudioSocketKind.SLIN_12K, 12000],
  [AudioSocketKind.SLIN_16K, 16000],
  [AudioSocketKind.SLIN_24K, 24000],
  [AudioSocketKind.SLIN_32K, 32000],
  [AudioSocketKind.SLIN_44K, 44100],
  [AudioSocketKind.SLIN_48K, 48000],
  [AudioSocketKind.SLIN_96K, 96000],
  [AudioSocketKind.SLIN_192K, 192000],
]);

export const HEADER_BYTES = 3;
const DTMF_DIGITS = /^[0-9*#A-Da-d]$/;

export type AudioSocketMessage =
  | { kind: 'hangup' }
  | { kind: 'uuid'; uuid: string }
  | { kind: 'dtmf'; digit: string }
  | { kind: 'audio'; sampleRate: number; pcm: Buffer }
  | { kind: 'error'; code: number | null }
  | { kind: 'unknown'; type: number; length: number };

export class AudioSocketProtocolError extends Error {
  readonly code = 'AUDIO_FORMAT_UNSUPPORTED';
  constructor(message: string) {
    super(message);
    this.name = 'AudioSocketProtocolError';
  }
}

/** Validates one frame's payload into a message. Unknown kinds are reported, not fatal. */
export function decodeAudioSocketFrame(type: number, payload: Buffer): AudioSocketMessage {
  if (type === AudioSocketKind.HANGUP) return { kind: 'hangup' };
  if (type === AudioSocketKind.UUID) {
    if (payload.byteLength !== 16) throw new AudioSocketProtocolError(`UUID frame must carry 16 bytes, got ${payload.byteLength}`);
    const hex = payload.toString('hex');
    return { kind: 'uuid', uuid: `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}` };
  }
  if (type === AudioSocketKind.DTMF) {
    const digit = payload.toString('latin1', 0, 1);
    if (payload.byteLength < 1 || !DTMF_DIGITS.test(digit)) throw new AudioSocketProtocolError('DTMF frame must carry one digit 0-9, *, #, A-D');
    return { kind: 'dtmf', digit: digit.toUpperCase() };
  }
  const rate = SLIN_RATES.get(type);
  if (rate !== undefined) {
    if (payload.byteLength % 2 !== 0) throw new AudioSocketProtocolError(`slin frame of odd length ${payload.byteLength}`);
    return { kind: 'audio', sampleRate: rate, pcm: payload };
  }
  if (type === AudioSocketKind.ERROR) return { kind: 'error', code: payload.byteLength > 0 ? (payload[0] ?? null) : null };
  return { kind: 'unknown', type, length: payload.byteLength };
}

/** Reassembles frames from a TCP byte stream; a header or payload may be split across chunks. */
export class AudioSocketReader {
  private buffer: Buffer = Buffer.alloc(0);

  constructor(private readonly maxPayloadBytes: number) {}

  push(chunk: Buffer): AudioSocketMessage[] {
    this.buffer = this.buffer.byteLength === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const out: AudioSocketMessage[] = [];
    while (this.buffer.byteLength >= HEADER_BYTES) {
      const type = this.buffer.readUInt8(0);
      const length = this.buffer.readUInt16BE(1);
      if (length > this.maxPayloadBytes) throw new AudioSocketProtocolError(`frame of ${length} bytes exceeds the limit of ${this.maxPayloadBytes}`);
      if (this.buffer.byteLength < HEADER_BYTES + length) break;
      // Copy: the payload outlives this chunk (it is queued for the recognizer).
      const payload = Buffer.from(this.buffer.subarray(HEADER_BYTES, HEADER_BYTES + length));
      this.buffer = this.buffer.subarray(HEADER_BYTES + length);
      out.push(decodeAudioSocketFrame(type, payload));
    }
    return out;
  }

  /** Bytes of an incomplete frame still waiting for the rest. */
  get pendingBytes(): number {
    return this.buffer.byteLength;
  }
}

export function encodeAudioSocketFrame(type: number, payload: Uint8Array = new Uint8Array(0)): Buffer {
  if (payload.byteLength > 0xffff) throw new RangeError('AudioSocket payloads are at most 65535 bytes');
  const out = Buffer.allocUnsafe(HEADER_BYTES + payload.byteLength);
  out.writeUInt8(type, 0);
  out.writeUInt16BE(payload.byteLength, 1);
  out.set(payload, HEADER_BYTES);
  return out;
}

/** The 16 raw bytes of a textual UUID (for clients and tests). */
export function uuidBytes(uuid: string): Buffer {
  const hex = uuid.replace(/-/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new RangeError(`not a UUID: ${uuid}`);
  return Buffer.from(hex, 'hex');
}

/** Kind byte for sending slin audio at a rate. */
export function slinKind(sampleRate: number): number {
  for (const [kind, rate] of SLIN_RATES) if (rate === sampleRate) return kind;
  throw new RangeError(`AudioSocket has no slin kind for ${sampleRate} Hz`);
}

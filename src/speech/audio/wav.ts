// Minimal RIFF/WAVE reader and writer for 16-bit PCM (plus 8-bit G.711 and float32 on read):
// the speech stack's test fixtures, synthesized corpora and recordings all pass through it.

import { decodeG711 } from './g711.ts';

export interface PcmAudio {
  sampleRate: number;
  /** Mono samples (multi-channel input is averaged). */
  samples: Int16Array;
}

export class WavFormatError extends Error {
  readonly code = 'AUDIO_FORMAT_UNSUPPORTED';
  constructor(message: string) {
    super(message);
    this.name = 'WavFormatError';
  }
}

const FORMAT_PCM = 1;
const FORMAT_FLOAT = 3;
const FORMAT_ALAW = 6;
const FORMAT_MULAW = 7;
const FORMAT_EXTENSIBLE = 0xfffe;

/** Parses a WAV file. Throws WavFormatError on anything it cannot represent as PCM16. */
export function readWav(data: Uint8Array): PcmAudio {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const tag = (o: number): string => String.fromCharCode(data[o] ?? 0, data[o + 1] ?? 0, data[o + 2] ?? 0, data[o + 3] ?? 0);
  if (data.byteLength < 12 || tag(0) !== 'RIFF' || tag(8) !== 'WAVE') throw new WavFormatError('not a RIFF/WAVE file');
  let offset = 12;
  let format = -1;
  let channels = 0;
  let sampleRate = 0;
  let bits = 0;
  while (offset + 8 <= data.byteLength) {
    const id = tag(offset);
    let size = view.getUint32(offset + 4, true);
    const body = offset + 8;
    if (id === 'fmt ') {
      format = view.getUint16(body, true);
      channels = view.getUint16(body + 2, true);
      sampleRate = view.getUint32(body + 4, true);
      bits = view.getUint16(body + 14, true);
      if (format === FORMAT_EXTENSIBLE && size >= 26) format = view.getUint16(body + 24, true);
    } else if (id === 'data') {
      if (format < 0) throw new WavFormatError('data chunk before fmt chunk');
      // Streamed WAVs (espeak --stdout, sox -) carry a placeholder size: read to the end.
      if (size === 0xffffffff || size === 0 || body + size > data.byteLength) size = data.byteLength - body;
      return { sampleRate, samples: decodeBody(data.subarray(body, body + size), format, channels, bits) };
    }
    offset = body + size + (size & 1);
  }
  throw new WavFormatError('no data chunk');
}

function decodeBody(body: Uint8Array, format: number, channels: number, bits: number): Int16Array {
  if (channels < 1) throw new WavFormatError('zero channels');
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  let interleaved: Int16Array;
  if (format === FORMAT_PCM && bits === 16) {
    interleaved = new Int16Array(Math.floor(body.byteLength / 2));
    for (let i = 0; i < interleaved.length; i++) interleaved[i] = view.getInt16(i * 2, true);
  } else if (format === FORMAT_FLOAT && bits === 32) {
    interleaved = new Int16Array(Math.floor(body.byteLength / 4));
    for (let i = 0; i < interleaved.length; i++) {
      interleaved[i] = Math.max(-32768, Math.min(32767, Math.round(view.getFloat32(i * 4, true) * 32768)));
    }
  } else if ((format === FORMAT_MULAW || format === FORMAT_ALAW) && bits === 8) {
    interleaved = decodeG711(body, format === FORMAT_MULAW ? 'mulaw' : 'alaw');
  } else {
    throw new WavFormatError(`unsupported WAV encoding: format ${format}, ${bits} bits`);
  }
  if (channels === 1) return interleaved;
  const frames = Math.floor(interleaved.length / channels);
  const mono = new Int16Array(frames);
  for (let f = 0; f < frames; f++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += interleaved[f * channels + c] ?? 0;
    mono[f] = Math.round(sum / channels);
  }
  return mono;
}

/** Serializes mono PCM16 samples as a canonical 44-byte-header WAV file. */
export function writeWav(audio: PcmAudio): Buffer {
  const { samples, sampleRate } = audio;
  const out = Buffer.alloc(44 + samples.length * 2);
  out.write('RIFF', 0, 'ascii');
  out.writeUInt32LE(36 + samples.length * 2, 4);
  out.write('WAVE', 8, 'ascii');
  out.write('fmt ', 12, 'ascii');
  out.writeUInt32LE(16, 16);
  out.writeUInt16LE(FORMAT_PCM, 20);
  out.writeUInt16LE(1, 22);
  out.writeUInt32LE(sampleRate, 24);
  out.writeUInt32LE(sampleRate * 2, 28);
  out.writeUInt16LE(2, 32);
  out.writeUInt16LE(16, 34);
  out.write('data', 36, 'ascii');
  out.writeUInt32LE(samples.length * 2, 40);
  for (let i = 0; i < samples.length; i++) out.writeInt16LE(samples[i] ?? 0, 44 + i * 2);
  return out;
}

// ITU-T G.711 µ-law and A-law codecs (the telephony 8-bit formats), sample-exact with the
// reference tables: used by the model builder's channel augmentation and by call ingress.

const MULAW_BIAS = 0x84;
const MULAW_CLIP = 32635;

/** Encodes one 16-bit linear PCM sample to a G.711 µ-law byte. */
export function linearToMulaw(sample: number): number {
  let s = Math.max(-32768, Math.min(32767, Math.trunc(sample)));
  const sign = s < 0 ? 0x80 : 0;
  if (s < 0) s = -s;
  if (s > MULAW_CLIP) s = MULAW_CLIP;
  s += MULAW_BIAS;
  let exponent = 7;
  for (let mask = 0x4000; (s & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (s >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

/** Decodes one G.711 µ-law byte to a 16-bit linear PCM sample. */
export function mulawToLinear(byte: number): number {
  const u = ~byte & 0xff;
  let t = ((u & 0x0f) << 3) + MULAW_BIAS;
  t <<= (u & 0x70) >> 4;
  return (u & 0x80) !== 0 ? MULAW_BIAS - t : t - MULAW_BIAS;
}

/** Encodes one 16-bit linear PCM sample to a G.711 A-law byte. */
export function linearToAlaw(sample: number): number {
  let s = Math.max(-32768, Math.min(32767, Math.trunc(sample)));
  let mask: number;
  if (s >= 0) {
    mask = 0xd5;
  } else {
    mask = 0x55;
    s = -s - 1;
  }
  s >>= 3; // A-law works on 13-bit magnitudes
  let seg = 0;
  const ends = [0x1f, 0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff];
  while (seg < 8 && s > (ends[seg] ?? 0)) seg++;
  if (seg >= 8) return (0x7f ^ mask) & 0xff;
  let aval = seg << 4;
  aval |= seg < 2 ? (s >> 1) & 0x0f : (s >> seg) & 0x0f;
  return (aval ^ mask) & 0xff;
}

/** Decodes one G.711 A-law byte to a 16-bit linear PCM sample. */
export function alawToLinear(byte: number): number {
  const a = (byte ^ 0x55) & 0xff;
  let t = (a & 0x0f) << 4;
  const seg = (a & 0x70) >> 4;
  if (seg === 0) t += 8;
  else if (seg === 1) t += 0x108;
  else t = (t + 0x108) << (seg - 1);
  return (a & 0x80) !== 0 ? t : -t;
}

const MULAW_DECODE = Int16Array.from({ length: 256 }, (_, i) => mulawToLinear(i));
const ALAW_DECODE = Int16Array.from({ length: 256 }, (_, i) => alawToLinear(i));

export type G711Law = 'mulaw' | 'alaw';

/** Encodes PCM16 samples to G.711 bytes. */
export function encodeG711(samples: Int16Array, law: G711Law): Uint8Array {
  const out = new Uint8Array(samples.length);
  const enc = law === 'mulaw' ? linearToMulaw : linearToAlaw;
  for (let i = 0; i < samples.length; i++) out[i] = enc(samples[i] ?? 0);
  return out;
}

/** Decodes G.711 bytes to PCM16 samples. */
export function decodeG711(bytes: Uint8Array, law: G711Law): Int16Array {
  const table = law === 'mulaw' ? MULAW_DECODE : ALAW_DECODE;
  const out = new Int16Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = table[bytes[i] ?? 0] ?? 0;
  return out;
}

import { describe, expect, it } from 'vitest';
import { alawToLinear, decodeG711, encodeG711, linearToAlaw, linearToMulaw, mulawToLinear } from '../../src/speech/audio/g711.ts';

describe('G.711 µ-law', () => {
  it.each([
    // [linear, code, decoded] as in the ITU-T G.711 reference code (Sun g711.c)
    [0, 0xff, 0],
    [-1, 0x7f, 0],
    [8, 0xfe, 8],
    [-8, 0x7e, -8],
    [100, 0xf2, 104],
    [1000, 0xce, 988],
    [-1000, 0x4e, -988],
    [32767, 0x80, 32124],
    [-32768, 0x00, -32124],
  ])('encodes %i as 0x%s and decodes to %i', (linear, code, decoded) => {
    expect(linearToMulaw(linear)).toBe(code);
    expect(mulawToLinear(code)).toBe(decoded);
  });

  it('is idempotent after one round trip for every code', () => {
    for (let c = 0; c < 256; c++) {
      const v = mulawToLinear(c);
      // 0x7f and 0xff both decode to 0; 0 re-encodes as 0xff
      expect(mulawToLinear(linearToMulaw(v))).toBe(v);
    }
  });

  it('round-trips speech-like audio within the quantizer step', () => {
    const pcm = Int16Array.from({ length: 2000 }, (_, i) => Math.round(12000 * Math.sin(i / 7) * Math.sin(i / 300)));
    const back = decodeG711(encodeG711(pcm, 'mulaw'), 'mulaw');
    for (let i = 0; i < pcm.length; i++) {
      const v = pcm[i] as number;
      expect(Math.abs((back[i] as number) - v)).toBeLessThanOrEqual(Math.max(8, Math.abs(v) / 16));
    }
  });
});

describe('G.711 A-law', () => {
  it.each([
    [0, 0xd5, 8],
    [-1, 0x55, -8],
    [8, 0xd5, 8],
    [100, 0xd3, 104],
    [1000, 0xfa, 1008],
    [-1000, 0x7a, -1008],
    [32767, 0xaa, 32256],
    [-32768, 0x2a, -32256],
  ])('encodes %i as 0x%s and decodes to %i', (linear, code, decoded) => {
    expect(linearToAlaw(linear)).toBe(code);
    expect(alawToLinear(code)).toBe(decoded);
  });

  it('is idempotent after one round trip for every code', () => {
    for (let c = 0; c < 256; c++) {
      const v = alawToLinear(c);
      expect(linearToAlaw(v)).toBe(c);
    }
  });

  it('round-trips speech-like audio within the quantizer step', () => {
    const pcm = Int16Array.from({ length: 2000 }, (_, i) => Math.round(12000 * Math.sin(i / 5) * Math.cos(i / 250)));
    const back = decodeG711(encodeG711(pcm, 'alaw'), 'alaw');
    for (let i = 0; i < pcm.length; i++) {
      const v = pcm[i] as number;
      expect(Math.abs((back[i] as number) - v)).toBeLessThanOrEqual(Math.max(16, Math.abs(v) / 16));
    }
  });
});

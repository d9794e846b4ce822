import { describe, expect, it } from 'vitest';
import { AudioSocketKind, AudioSocketProtocolError, AudioSocketReader, decodeAudioSocketFrame, encodeAudioSocketFrame, uuidBytes } from '../../src/speech/audiosocket/protocol.ts';

const UUID = '0f8fad5b-d9cb-469f-a165-70867728950e';

describe('AudioSocket framing', () => {
  const slin = Buffer.alloc(320, 1);
  const stream = Buffer.concat([
    encodeAudioSocketFrame(AudioSocketKind.UUID, uuidBytes(UUID)),
    encodeAudioSocketFrame(AudioSocketKind.SLIN_8K, slin),
    encodeAudioSocketFrame(AudioSocketKind.DTMF, Buffer.from('5')),
    encodeAudioSocketFrame(0x42, Buffer.from([1, 2, 3])),
    encodeAudioSocketFrame(AudioSocketKind.SLIN_16K, Buffer.alloc(640)),
    encodeAudioSocketFrame(AudioSocketKind.ERROR, Buffer.from([4])),
    encodeAudioSocketFrame(AudioSocketKind.HANGUP),
  ]);
  const expected = [
    { kind: 'uuid', uuid: UUID },
    { kind: 'audio', sampleRate: 8000, pcm: slin },
    { kind: 'dtmf', digit: '5' },
    { kind: 'unknown', type: 0x42, length: 3 },
    { kind: 'audio', sampleRate: 16000, pcm: Buffer.alloc(640) },
    { kind: 'error', code: 4 },
    { kind: 'hangup' },
  ];

  it.each([1, 2, 3, 4, 7, 321, stream.byteLength])('decodes frames whose headers and payloads are split into %i-byte TCP chunks', (size) => {
    const reader = new AudioSocketReader(8192);
    const out = [];
    for (let i = 0; i < stream.byteLength; i += size) out.push(...reader.push(stream.subarray(i, i + size)));
    expect(out).toEqual(expected);
    expect(reader.pendingBytes).toBe(0);
  });

  it('waits for the rest of a frame whose header arrived alone', () => {
    const reader = new AudioSocketReader(8192);
    const frame = encodeAudioSocketFrame(AudioSocketKind.SLIN_8K, slin);
    expect(reader.push(frame.subarray(0, 2))).toEqual([]);
    expect(reader.push(frame.subarray(2, 100))).toEqual([]);
    expect(reader.pendingBytes).toBe(100);
    expect(reader.push(frame.subarray(100))).toHaveLength(1);
  });

  it.each([
    ['a UUID frame without 16 bytes', AudioSocketKind.UUID, Buffer.alloc(15)],
    ['a DTMF frame with a non-digit', AudioSocketKind.DTMF, Buffer.from('x')],
    ['an empty DTMF frame', AudioSocketKind.DTMF, Buffer.alloc(0)],
    ['slin audio of odd length', AudioSocketKind.SLIN_8K, Buffer.alloc(321)],
  ])('rejects %s', (_name, kind, payload) => {
    expect(() => decodeAudioSocketFrame(kind, payload)).toThrow(AudioSocketProtocolError);
  });

  it('rejects a frame longer than the configured limit before buffering it', () => {
    const header = Buffer.from([AudioSocketKind.SLIN_8K, 0x40, 0x00]); // 16384 bytes announced
    expect(() => new AudioSocketReader(8192).push(header)).toThrow(/exceeds the limit/);
  });

  it('accepts DTMF letters and star/pound', () => {
    for (const d of ['*', '#', 'a', 'D']) expect(decodeAudioSocketFrame(AudioSocketKind.DTMF, Buffer.from(d))).toEqual({ kind: 'dtmf', digit: d.toUpperCase() });
  });
});

import { describe, expect, it } from 'vitest';
import { FRAME_HEADER_BYTES, FrameDecoder, IpcFramingError, encodeFrame } from '../../src/speech/pool/ipc-frame.ts';
import { decodePartial, encodePartial } from '../../src/speech/pool/messages.ts';

describe('recognizer IPC framing', () => {
  const frames = [
    { kind: 0x03, streamId: 7, payload: Buffer.from(Int16Array.from([1, -2, 300, -32768, 32767]).buffer) },
    { kind: 0x05, streamId: 0xfffffff0, payload: Buffer.alloc(0) },
    { kind: 0x84, streamId: 1, payload: Buffer.from('{"type":"partial","partial":"人工","audioMs":20}') },
  ];
  const wire = Buffer.concat(frames.map((f) => encodeFrame(f.kind, f.streamId, f.payload)));

  it('carries audio as raw bytes behind a 9-byte header', () => {
    expect(encodeFrame(3, 7, frames[0]!.payload).byteLength).toBe(FRAME_HEADER_BYTES + 10);
  });

  it.each([1, 2, 5, 9, 10, 64, wire.byteLength])('reassembles frames read in %i-byte chunks', (size) => {
    const decoder = new FrameDecoder();
    const out = [];
    for (let i = 0; i < wire.byteLength; i += size) out.push(...decoder.push(wire.subarray(i, i + size)));
    expect(out.map((f) => ({ kind: f.kind, streamId: f.streamId, payload: Buffer.from(f.payload) }))).toEqual(frames);
  });

  it('rejects a length no legitimate frame has (a corrupt pipe)', () => {
    const bad = Buffer.alloc(FRAME_HEADER_BYTES);
    bad.writeUInt32BE(0xffffffff, 0);
    expect(() => new FrameDecoder().push(bad)).toThrow(IpcFramingError);
  });

  it.each([
    ['', 0],
    ['card stolen', 2300],
    ['人工 客服', 100.5],
  ])('carries a partial result %j as binary (no JSON on the hot path)', (partial, audioMs) => {
    const wire = encodeFrame(0x87, 3, encodePartial(partial, audioMs));
    const [frame] = new FrameDecoder().push(wire);
    expect(decodePartial(frame!.payload)).toEqual({ type: 'partial', partial, audioMs });
  });

  it('rejects a partial result payload shorter than its header', () => {
    expect(() => decodePartial(Buffer.alloc(5))).toThrow(/shorter than its header/);
  });
});

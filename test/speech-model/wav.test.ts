import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { readWav, WavFormatError, writeWav } from '../../src/speech/audio/wav.ts';

describe('WAV', () => {
  it('round-trips mono PCM16', () => {
    const samples = Int16Array.from([0, 1, -1, 32767, -32768, 1234, -4321]);
    const file = writeWav({ sampleRate: 8000, samples });
    expect(file.length).toBe(44 + samples.length * 2);
    expect(file.subarray(0, 4).toString('ascii')).toBe('RIFF');
    const back = readWav(file);
    expect(back.sampleRate).toBe(8000);
    expect(Array.from(back.samples)).toEqual(Array.from(samples));
  });

  it('reads a streamed eSpeak NG WAV (placeholder chunk sizes)', () => {
    const out = execFileSync('espeak-ng', ['-v', 'en-us', '--stdout', 'hello']);
    const wav = readWav(out);
    expect(wav.sampleRate).toBe(22050);
    expect(wav.samples.length).toBeGreaterThan(22050 * 0.2);
    expect(wav.samples.some((s) => Math.abs(s) > 1000)).toBe(true);
  });

  it('mixes stereo to mono and skips unknown chunks', () => {
    const body = Buffer.alloc(8);
    body.writeInt16LE(100, 0);
    body.writeInt16LE(300, 2);
    body.writeInt16LE(-100, 4);
    body.writeInt16LE(-300, 6);
    const fmt = Buffer.alloc(24);
    fmt.write('fmt ', 0, 'ascii');
    fmt.writeUInt32LE(16, 4);
    fmt.writeUInt16LE(1, 8);
    fmt.writeUInt16LE(2, 10);
    fmt.writeUInt32LE(16000, 12);
    fmt.writeUInt32LE(64000, 16);
    fmt.writeUInt16LE(4, 20);
    fmt.writeUInt16LE(16, 22);
    const list = Buffer.from('LIST\x04\x00\x00\x00abcd', 'latin1');
    const data = Buffer.concat([Buffer.from('data', 'ascii'), Buffer.from([8, 0, 0, 0]), body]);
    const riff = Buffer.concat([Buffer.from('RIFF\x00\x00\x00\x00WAVE', 'latin1'), fmt, list, data]);
    const wav = readWav(riff);
    expect(wav.sampleRate).toBe(16000);
    expect(Array.from(wav.samples)).toEqual([200, -200]);
  });

  it('rejects non-WAV input with AUDIO_FORMAT_UNSUPPORTED', () => {
    expect(() => readWav(Buffer.from('not a wav file at all'))).toThrow(WavFormatError);
    try {
      readWav(Buffer.from('not a wav file at all'));
    } catch (err) {
      expect((err as WavFormatError).code).toBe('AUDIO_FORMAT_UNSUPPORTED');
    }
  });
});

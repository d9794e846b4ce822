import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runQuietly } from '../../scripts/speech-model/spawn.ts';
import { ESPEAK } from '../../scripts/speech-model/synth.ts';
import { readWav } from '../../src/speech/audio/wav.ts';

const dir = mkdtempSync(join(tmpdir(), 'spawn-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('runQuietly (posix_spawn)', () => {
  it('runs a command with its arguments and waits for it', () => {
    const file = join(dir, 'out.txt');
    runQuietly('sh', ['-c', 'printf "%s|%s" "$0" "$1" > "$2"', 'a b', 'c', file]);
    expect(readFileSync(file, 'utf8')).toBe('a b|c');
  });

  it('passes the environment through', () => {
    const file = join(dir, 'env.txt');
    process.env.SPAWN_TEST_VALUE = 'seen';
    try {
      runQuietly('sh', ['-c', 'printf "%s" "$SPAWN_TEST_VALUE" > "$0"', file]);
    } finally {
      delete process.env.SPAWN_TEST_VALUE;
    }
    expect(readFileSync(file, 'utf8')).toBe('seen');
  });

  it('throws on a non-zero exit status, a signal, and a missing command', () => {
    expect(() => runQuietly('sh', ['-c', 'exit 3'])).toThrow(/exited with status 3/);
    expect(() => runQuietly('sh', ['-c', 'kill -9 $$'])).toThrow(/killed by signal 9/);
    expect(() => runQuietly('no-such-command-for-switchboard', [])).toThrow(/could not start/);
  });

  it('espeak-ng -w through it gives the same samples as --stdout through a forking exec', () => {
    const args = ['-v', 'en-us+klatt', '-s', '170', '-p', '60', '-m'];
    const ssml = '<speak>four seven <break time="1000ms"/> operator</speak>';
    const viaPipe = readWav(execFileSync(ESPEAK, [...args, '--stdout', ssml]));
    const file = join(dir, 'e.wav');
    runQuietly(ESPEAK, [...args, '-w', file, ssml]);
    const viaFile = readWav(readFileSync(file));
    expect(viaFile.sampleRate).toBe(viaPipe.sampleRate);
    expect(viaFile.samples.length).toBeGreaterThan(8000);
    const bytes = (a: Int16Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    expect(bytes(viaFile.samples).equals(bytes(viaPipe.samples))).toBe(true);
  });
});

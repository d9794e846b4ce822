import { describe, expect, it } from 'vitest';
import { LibvoskError, parseVoskResult, resolveLibvoskPath } from '../../src/speech/libvosk.ts';

describe('libvosk binding', () => {
  it('resolves the bundled linux-x86_64 library by default', () => {
    expect(resolveLibvoskPath({})).toMatch(/vosk\/lib\/linux-x86_64\/libvosk\.so$/);
  });

  it('honours SWITCHBOARD_LIBVOSK_PATH and fails clearly when it does not exist', () => {
    expect(() => resolveLibvoskPath({ SWITCHBOARD_LIBVOSK_PATH: '/nonexistent/libvosk.so' })).toThrow(LibvoskError);
    try {
      resolveLibvoskPath({ SWITCHBOARD_LIBVOSK_PATH: '/nonexistent/libvosk.so' });
    } catch (err) {
      expect((err as LibvoskError).code).toBe('LIBVOSK_NOT_FOUND');
    }
  });

  it('lifts the best alternative of a max_alternatives result', () => {
    const r = parseVoskResult('{"alternatives":[{"text":" four two","confidence":12.5,"result":[{"word":"four","start":0.3,"end":0.6},{"word":"two","start":0.6,"end":0.9}]}]}');
    expect(r.text).toBe('four two');
    expect(r.confidence).toBe(12.5);
    expect(r.words?.map((w) => w.word)).toEqual(['four', 'two']);
  });

  it('parses a plain result', () => {
    expect(parseVoskResult('{"text":"yes"}')).toEqual({ text: 'yes' });
  });
});

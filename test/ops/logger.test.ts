import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/ops/index.ts';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  return { lines, logger: createLogger({ level: 'debug' }, stream) };
}

describe('structured logs', () => {
  it('are one JSON object per line with level, time and message', () => {
    const { lines, logger } = capture();
    logger.child({ module: 'x' }).info({ conversationId: 'conv_1' }, 'hello');
    const entry = JSON.parse(lines[0]!);
    expect(entry).toMatchObject({ level: 30, module: 'x', conversationId: 'conv_1', msg: 'hello' });
    expect(typeof entry.time).toBe('string');
  });

  it('redact secrets and customer PII wherever they appear', () => {
    const { lines, logger } = capture();
    logger.info(
      {
        password: 'hunter2-secret',
        token: 'eyJhbGciOi.secret.token',
        headers: { authorization: 'Bearer abc.def.ghi' },
        turn: { text: 'my card 6222020200112233 is lost', entities: [{ type: 'card_number' }] },
        customer: { phone: '+8613800138000', email: 'li.wei@example.com' },
        email: 'li.wei@example.com',
      },
      'request',
    );
    const out = lines.join('');
    for (const secret of ['hunter2-secret', 'eyJhbGciOi', 'abc.def.ghi', '6222020200112233', '+8613800138000', 'li.wei@example.com']) {
      expect(out).not.toContain(secret);
    }
    expect(out).toContain('[redacted]');
  });
});

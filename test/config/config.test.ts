import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { envOverrides, loadConfig } from '../../src/config/index.ts';
import { AppError } from '../../src/errors/index.ts';

const profile = (text: string) => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-config-'));
  const path = join(dir, 'profile.yaml');
  writeFileSync(path, text);
  return path;
};

function configError(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected a configuration error');
}

describe('configuration', () => {
  it('runs on defaults with no file and no environment', () => {
    const c = loadConfig({ env: {} });
    expect(c.port).toBe(8080);
    expect(c.dataDir).toBe('./data');
    expect(c.auth.trustLoopbackKiosk).toBe(true);
    expect(c.conversation.maxMisunderstandings).toBe(2);
  });

  it('reads a YAML device profile and lets SWITCHBOARD_* variables override it', () => {
    const path = profile('port: 9000\nbranchId: sh-01\nauth:\n  accessTokenTtlSeconds: 900\n');
    const c = loadConfig({ profilePath: path, env: { SWITCHBOARD_PORT: '9100', SWITCHBOARD_DATA_DIR: '/tmp/sb', SWITCHBOARD_AUTH__TRUST_LOOPBACK_KIOSK: 'false' } });
    expect(c.port).toBe(9100);
    expect(c.branchId).toBe('sh-01');
    expect(c.dataDir).toBe('/tmp/sb');
    expect(c.auth.accessTokenTtlSeconds).toBe(900);
    expect(c.auth.trustLoopbackKiosk).toBe(false);
  });

  it('leaves process variables that are not options alone, but refuses an unknown option', () => {
    expect(loadConfig({ env: { SWITCHBOARD_CACHE_DIR: '/var/cache/sb', SWITCHBOARD_LIBVOSK_PATH: '/opt/libvosk.so' } }).port).toBe(8080);
    expect(configError(() => loadConfig({ env: { SWITCHBOARD_PROT: '9000' } })).message).toMatch(/prot/);
  });

  it('maps nested environment names with double underscores', () => {
    expect(envOverrides({ SWITCHBOARD_CONVERSATION__MAX_MESSAGE_CHARS: '500', OTHER: 'x' })).toEqual({ conversation: { maxMessageChars: '500' } });
  });

  it.each([
    ['a port out of range', { SWITCHBOARD_PORT: '70000' }, 'port'],
    ['a port that is not a number', { SWITCHBOARD_PORT: 'eighty' }, 'port'],
    ['an unknown log level', { SWITCHBOARD_LOG_LEVEL: 'loud' }, 'logLevel'],
    ['a too-short JWT secret', { SWITCHBOARD_AUTH__JWT_SECRET: 'short' }, 'auth.jwtSecret'],
  ])('fails fast on %s, naming the field', (_label, env, field) => {
    const err = configError(() => loadConfig({ env }));
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.message).toContain(field);
  });

  it('rejects unknown options in a profile instead of ignoring a typo, naming the line', () => {
    const err = configError(() => loadConfig({ profilePath: profile('branchId: b1\nprot: 8080\n'), env: {} }));
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.message).toMatch(/prot/);
    expect(err.message).toMatch(/line 2/);
  });

  it('names the line of a bad value deep in a profile', () => {
    const err = configError(() => loadConfig({ profilePath: profile('branchId: b1\nauth:\n  accessTokenTtlSeconds: 5\n'), env: {} }));
    expect(err.message).toMatch(/auth\.accessTokenTtlSeconds \(line 3\)/);
    expect(err.details).toMatchObject({ issues: [{ field: 'auth.accessTokenTtlSeconds', line: 3 }] });
  });

  it('checks contact-center queues refer to each other correctly', () => {
    const err = configError(() =>
      loadConfig({ profilePath: profile('contactCenter:\n  defaultQueue: general\n  queues:\n    - id: general\n      name: General\n      overflowTo: nowhere\n'), env: {} }),
    );
    expect(err.message).toMatch(/contactCenter\.queues\.0\.overflowTo/);
  });

  it('reports the line of a YAML syntax error', () => {
    const err = configError(() => loadConfig({ profilePath: profile('port: 8080\nauth: [unclosed\n'), env: {} }));
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.message).toMatch(/line \d/);
  });

  it('says which file it could not read', () => {
    const err = configError(() => loadConfig({ profilePath: '/nonexistent/profile.yaml', env: {} }));
    expect(err.message).toContain('/nonexistent/profile.yaml');
  });
});

import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuthService, TokenIssuer, loadOrCreateSecret, passwordProblem } from '../../src/auth/index.ts';
import { AppError } from '../../src/errors/index.ts';
import { listDomainEvents, openDatabase } from '../../src/store/index.ts';

const SETTINGS = { accessTokenTtlSeconds: 3600, kioskTokenTtlSeconds: 3600, trustLoopbackKiosk: true };
const SECRET = 'x'.repeat(48);

function setup(clock: () => Date = () => new Date()) {
  const db = openDatabase({ path: ':memory:' });
  const auth = new AuthService(db, new TokenIssuer(SECRET, clock), SETTINGS, () => 'the-bootstrap-code', clock);
  return { db, auth };
}

async function rejection(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected a rejection');
}

describe('accounts', () => {
  it('bootstraps the first admin only with the code, and only once', async () => {
    const { auth } = setup();
    expect(auth.hasAdmin()).toBe(false);
    expect((await rejection(auth.bootstrapAdmin({ code: 'wrong', username: 'root', password: 'correct horse 42' }))).code).toBe('AUTH_INVALID_CREDENTIALS');
    const admin = await auth.bootstrapAdmin({ code: 'the-bootstrap-code', username: 'root', password: 'correct horse 42' });
    expect(admin.role).toBe('admin');
    expect((await rejection(auth.bootstrapAdmin({ code: 'the-bootstrap-code', username: 'other', password: 'correct horse 42' }))).code).toBe('AUTH_BOOTSTRAP_CLOSED');
  });

  it('stores only a salted hash and signs in with the right password', async () => {
    const { db, auth } = setup();
    await auth.createAccount({ username: 'mei', password: 'agent password 7', role: 'agent' }, 'system');
    const row = db.prepare('SELECT password_hash FROM accounts WHERE username = ?').get('mei') as { password_hash: string };
    expect(row.password_hash).not.toContain('agent password 7');
    expect(row.password_hash).toMatch(/^scrypt\$/);
    const session = await auth.login('mei', 'agent password 7');
    expect(session.principal.role).toBe('agent');
    expect((await auth.authenticate(session.accessToken)).subject).toBe(session.principal.subject);
  });

  it.each([
    ['wrong password', 'mei', 'agent password 8'],
    ['unknown user', 'nobody', 'agent password 7'],
  ])('refuses a %s with one code that does not reveal which', async (_l, user, pw) => {
    const { auth } = setup();
    await auth.createAccount({ username: 'mei', password: 'agent password 7', role: 'agent' }, 'system');
    expect((await rejection(auth.login(user, pw))).code).toBe('AUTH_INVALID_CREDENTIALS');
  });

  it('refuses weak passwords and duplicate usernames', async () => {
    const { auth } = setup();
    expect((await rejection(auth.createAccount({ username: 'a', password: 'short1', role: 'agent' }, 'system'))).code).toBe('VALIDATION_FAILED');
    await auth.createAccount({ username: 'lee', password: 'long enough 123', role: 'supervisor' }, 'system');
    expect((await rejection(auth.createAccount({ username: 'LEE', password: 'long enough 123', role: 'agent' }, 'system'))).code).toBe('ACCOUNT_EXISTS');
    expect(passwordProblem('onlyletterslong')).toMatch(/digits/);
  });

  it('records account creation as a domain event', async () => {
    const { db, auth } = setup();
    const acc = await auth.createAccount({ username: 'lee', password: 'long enough 123', role: 'supervisor' }, 'account:admin1');
    const [event] = listDomainEvents(db, { aggregateId: acc.id });
    expect(event).toMatchObject({ type: 'account.created', actor: 'account:admin1' });
    expect(JSON.stringify(event!.payload)).not.toContain('long enough');
  });
});

describe('tokens', () => {
  it('expire', async () => {
    let now = new Date('2026-01-01T00:00:00Z');
    const { auth } = setup(() => now);
    await auth.createAccount({ username: 'mei', password: 'agent password 7', role: 'agent' }, 'system');
    const { accessToken } = await auth.login('mei', 'agent password 7');
    now = new Date('2026-01-01T02:00:00Z');
    expect((await rejection(auth.authenticate(accessToken))).code).toBe('AUTH_TOKEN_EXPIRED');
  });

  it('signed with another secret or tampered with are invalid', async () => {
    const { auth } = setup();
    await auth.createAccount({ username: 'mei', password: 'agent password 7', role: 'agent' }, 'system');
    const { accessToken } = await auth.login('mei', 'agent password 7');
    const foreign = await new TokenIssuer('y'.repeat(48)).issue({ subject: 'account:x', role: 'admin', name: 'x' }, 60);
    expect((await rejection(auth.authenticate(foreign.token))).code).toBe('AUTH_TOKEN_INVALID');
    const [h, p, s] = accessToken.split('.');
    const payload = JSON.parse(Buffer.from(p!, 'base64url').toString());
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...payload, role: 'admin' })).toString('base64url')}.${s}`;
    expect((await rejection(auth.authenticate(forged))).code).toBe('AUTH_TOKEN_INVALID');
    expect((await rejection(auth.authenticate('not-a-jwt'))).code).toBe('AUTH_TOKEN_INVALID');
  });
});

describe('kiosk devices', () => {
  it('pair with a one-time token, open sessions, and stop working when revoked', async () => {
    const { db, auth } = setup();
    const { device, deviceToken } = auth.createDevice('Lobby kiosk', 'account:admin');
    expect(JSON.stringify(db.prepare('SELECT * FROM devices').all())).not.toContain(deviceToken);
    const session = await auth.kioskSession({ deviceToken, fromLoopback: false });
    expect(session.principal).toMatchObject({ role: 'kiosk', subject: `device:${device.id}` });
    auth.revokeDevice(device.id, 'account:admin');
    expect((await rejection(auth.authenticate(session.accessToken))).code).toBe('AUTH_TOKEN_INVALID');
    expect((await rejection(auth.kioskSession({ deviceToken, fromLoopback: false }))).code).toBe('AUTH_INVALID_CREDENTIALS');
  });

  it('trust the appliance screen over loopback only', async () => {
    const { auth } = setup();
    expect((await auth.kioskSession({ fromLoopback: true })).principal.role).toBe('kiosk');
    expect((await rejection(auth.kioskSession({ fromLoopback: false }))).code).toBe('AUTH_REQUIRED');
  });
});

describe('generated secrets', () => {
  it('are created once with mode 0600 and read back', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-secret-'));
    const a = loadOrCreateSecret(dir, 'jwt-secret');
    expect(a.length).toBeGreaterThanOrEqual(32);
    expect(statSync(join(dir, 'jwt-secret')).mode & 0o777).toBe(0o600);
    expect(loadOrCreateSecret(dir, 'jwt-secret')).toBe(a);
  });
});

describe('short generated secrets', () => {
  it('such as the bootstrap code are read back unchanged, not regenerated', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-secret-'));
    const code = loadOrCreateSecret(dir, 'bootstrap-code', 18);
    expect(loadOrCreateSecret(dir, 'bootstrap-code', 18)).toBe(code);
  });
});

describe('sign-in throttling', () => {
  it('locks a username out after repeated failures, tells when to retry, and lets it in after the lockout', async () => {
    let now = new Date('2026-01-01T00:00:00Z');
    const { auth } = setup(() => now);
    await auth.createAccount({ username: 'mei', password: 'agent password 7', role: 'agent' }, 'system');
    for (let i = 0; i < 5; i++) expect((await rejection(auth.login('mei', 'wrong password 1'))).code).toBe('AUTH_INVALID_CREDENTIALS');
    const locked = await rejection(auth.login('mei', 'agent password 7'));
    expect(locked.code).toBe('RATE_LIMITED');
    expect(locked.details).toMatchObject({ retryAfterSeconds: 900 });
    now = new Date('2026-01-01T00:16:00Z');
    expect((await auth.login('mei', 'agent password 7')).principal.role).toBe('agent');
  });

  it('locks out an address that tries many usernames', async () => {
    const { auth } = setup();
    for (let i = 0; i < 5; i++) await rejection(auth.login(`user${i}`, 'whatever 123', '10.0.0.9'));
    expect((await rejection(auth.login('someone-else', 'whatever 123', '10.0.0.9'))).code).toBe('RATE_LIMITED');
    expect((await rejection(auth.login('someone-else', 'whatever 123', '10.0.0.10'))).code).toBe('AUTH_INVALID_CREDENTIALS');
  });
});

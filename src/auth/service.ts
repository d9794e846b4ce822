// Local accounts, kiosk devices and the sessions they get. The first admin is created with
// a one-time bootstrap code written to the data directory — no default password ships.
import { timingSafeEqual } from 'node:crypto';
import type { Db } from '../store/index.ts';
import { newId, recordDomainEvent } from '../store/index.ts';
import { AppError } from '../errors/index.ts';
import { hashDeviceToken, hashPassword, newDeviceToken, passwordProblem, verifyPassword } from './passwords.ts';
import type { AccountRole, Principal } from './roles.ts';
import type { TokenIssuer } from './tokens.ts';
import { LoginThrottle } from './login-throttle.ts';

export interface Account {
  id: string;
  username: string;
  displayName: string;
  role: AccountRole;
  disabled: boolean;
  createdAt: string;
}

export interface Device {
  id: string;
  name: string;
  kind: 'kiosk';
  revoked: boolean;
  createdAt: string;
  lastSeenAt: string | null;
}

interface AccountRow {
  id: string;
  username: string;
  display_name: string;
  role: AccountRole;
  password_hash: string;
  disabled: number;
  created_at: string;
}
interface DeviceRow {
  id: string;
  name: string;
  kind: 'kiosk';
  token_hash: string;
  revoked: number;
  created_at: string;
  last_seen_at: string | null;
}

const toAccount = (r: AccountRow): Account => ({
  id: r.id,
  username: r.username,
  displayName: r.display_name,
  role: r.role,
  disabled: r.disabled === 1,
  createdAt: r.created_at,
});
const toDevice = (r: DeviceRow): Device => ({
  id: r.id,
  name: r.name,
  kind: r.kind,
  revoked: r.revoked === 1,
  createdAt: r.created_at,
  lastSeenAt: r.last_seen_at,
});

/** The kiosk screen attached to the appliance itself (trusted over loopback). */
export const LOOPBACK_KIOSK_ID = 'dev_loopback-kiosk';

export interface AuthSettings {
  accessTokenTtlSeconds: number;
  kioskTokenTtlSeconds: number;
  trustLoopbackKiosk: boolean;
}

export interface Session {
  accessToken: string;
  expiresAt: string;
  principal: Principal;
}

export class AuthService {
  private readonly throttle: LoginThrottle;

  constructor(
    private readonly db: Db,
    private readonly tokens: TokenIssuer,
    private readonly settings: AuthSettings,
    private readonly bootstrapCode: () => string | null,
    private readonly clock: () => Date = () => new Date(),
    throttle?: LoginThrottle,
  ) {
    this.throttle = throttle ?? new LoginThrottle(undefined, () => this.clock().getTime());
  }

  hasAdmin(): boolean {
    return this.db.prepare(`SELECT 1 FROM accounts WHERE role = 'admin' AND disabled = 0 LIMIT 1`).get() !== undefined;
  }

  /** Creates the first admin; only while no admin exists, and only with the code from the data directory. */
  async bootstrapAdmin(input: { code: string; username: string; password: string; displayName?: string }): Promise<Account> {
    if (this.hasAdmin()) throw new AppError('AUTH_BOOTSTRAP_CLOSED', 'an administrator already exists; sign in instead');
    const expected = this.bootstrapCode();
    const given = Buffer.from(input.code);
    if (!expected || given.length !== Buffer.byteLength(expected) || !timingSafeEqual(given, Buffer.from(expected))) {
      throw new AppError('AUTH_INVALID_CREDENTIALS', 'bootstrap code is wrong (read it from the bootstrap-code file in the data directory)');
    }
    return this.createAccount({ ...input, role: 'admin' }, 'system');
  }

  async createAccount(
    input: { username: string; password: string; role: AccountRole; displayName?: string },
    actor: string,
  ): Promise<Account> {
    const problem = passwordProblem(input.password);
    if (problem) throw new AppError('VALIDATION_FAILED', `password ${problem}`, { issues: [{ field: 'password', message: problem }] });
    const hash = await hashPassword(input.password);
    const now = this.clock().toISOString();
    const id = newId('acc');
    this.db.transaction(() => {
      const exists = this.db.prepare('SELECT 1 FROM accounts WHERE username = ?').get(input.username);
      if (exists) throw new AppError('ACCOUNT_EXISTS', `account "${input.username}" already exists`);
      this.db
        .prepare(
          `INSERT INTO accounts (id, username, display_name, role, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(id, input.username, input.displayName ?? input.username, input.role, hash, now, now);
      recordDomainEvent(this.db, {
        type: 'account.created',
        aggregate: 'account',
        aggregateId: id,
        actor,
        payload: { username: input.username, role: input.role },
        occurredAt: now,
      });
    })();
    return this.getAccount(id);
  }

  getAccount(id: string): Account {
    const row = this.db.prepare('SELECT * FROM accounts WHERE id = ?').get(id) as AccountRow | undefined;
    if (!row) throw new AppError('ACCOUNT_NOT_FOUND', `no account ${id}`);
    return toAccount(row);
  }

  listAccounts(): Account[] {
    return (this.db.prepare('SELECT * FROM accounts ORDER BY username').all() as AccountRow[]).map(toAccount);
  }

  /** Signs in; repeated failures for a username or from an address lock them out for a while. */
  async login(username: string, password: string, from?: string): Promise<Session> {
    const keys = [`user:${username.toLowerCase()}`, ...(from ? [`addr:${from}`] : [])];
    const wait = this.throttle.retryAfterSeconds(keys);
    if (wait > 0) throw new AppError('RATE_LIMITED', `too many failed sign-ins; try again in ${wait} s`, { retryAfterSeconds: wait });
    const row = this.db.prepare('SELECT * FROM accounts WHERE username = ?').get(username) as AccountRow | undefined;
    // Verify against a dummy hash when the user is unknown so timing does not reveal usernames.
    const ok = await verifyPassword(password, row?.password_hash ?? DUMMY_HASH);
    if (!row || !ok || row.disabled === 1) {
      this.throttle.recordFailure(keys);
      throw new AppError('AUTH_INVALID_CREDENTIALS', 'username or password is wrong');
    }
    this.throttle.recordSuccess([keys[0]!]);
    const principal: Principal = { subject: `account:${row.id}`, role: row.role, name: row.display_name };
    const { token, expiresAt } = await this.tokens.issue(principal, this.settings.accessTokenTtlSeconds);
    return { accessToken: token, expiresAt, principal };
  }

  createDevice(name: string, actor: string): { device: Device; deviceToken: string } {
    const token = newDeviceToken();
    const id = newId('dev');
    const now = this.clock().toISOString();
    this.db.transaction(() => {
      this.db
        .prepare(`INSERT INTO devices (id, name, kind, token_hash, created_at) VALUES (?, ?, 'kiosk', ?, ?)`)
        .run(id, name, hashDeviceToken(token), now);
      recordDomainEvent(this.db, { type: 'device.created', aggregate: 'device', aggregateId: id, actor, payload: { name }, occurredAt: now });
    })();
    return { device: this.getDevice(id), deviceToken: token };
  }

  getDevice(id: string): Device {
    const row = this.db.prepare('SELECT * FROM devices WHERE id = ?').get(id) as DeviceRow | undefined;
    if (!row) throw new AppError('DEVICE_NOT_FOUND', `no device ${id}`);
    return toDevice(row);
  }

  listDevices(): Device[] {
    return (this.db.prepare('SELECT * FROM devices ORDER BY created_at').all() as DeviceRow[]).map(toDevice);
  }

  revokeDevice(id: string, actor: string): Device {
    const now = this.clock().toISOString();
    this.db.transaction(() => {
      const changed = this.db.prepare('UPDATE devices SET revoked = 1 WHERE id = ?').run(id).changes;
      if (changed === 0) throw new AppError('DEVICE_NOT_FOUND', `no device ${id}`);
      recordDomainEvent(this.db, { type: 'device.revoked', aggregate: 'device', aggregateId: id, actor, payload: {}, occurredAt: now });
    })();
    return this.getDevice(id);
  }

  /** A kiosk session from a paired device token, or for the appliance's own screen over loopback. */
  async kioskSession(input: { deviceToken?: string; fromLoopback: boolean }): Promise<Session> {
    let device: Device;
    if (input.deviceToken) {
      const row = this.db.prepare('SELECT * FROM devices WHERE token_hash = ?').get(hashDeviceToken(input.deviceToken)) as DeviceRow | undefined;
      if (!row || row.revoked === 1) throw new AppError('AUTH_INVALID_CREDENTIALS', 'device token is unknown or revoked; pair the kiosk again');
      device = toDevice(row);
    } else if (input.fromLoopback && this.settings.trustLoopbackKiosk) {
      device = this.ensureLoopbackKiosk();
    } else {
      throw new AppError('AUTH_REQUIRED', 'this kiosk is not paired: open the page with #device=<device token> from the admin');
    }
    this.db.prepare('UPDATE devices SET last_seen_at = ? WHERE id = ?').run(this.clock().toISOString(), device.id);
    const principal: Principal = { subject: `device:${device.id}`, role: 'kiosk', name: device.name };
    const { token, expiresAt } = await this.tokens.issue(principal, this.settings.kioskTokenTtlSeconds);
    return { accessToken: token, expiresAt, principal };
  }

  private ensureLoopbackKiosk(): Device {
    const existing = this.db.prepare('SELECT * FROM devices WHERE id = ?').get(LOOPBACK_KIOSK_ID) as DeviceRow | undefined;
    if (existing) return toDevice(existing);
    // The loopback kiosk has no usable token: its hash is of random bytes nobody holds.
    this.db
      .prepare(`INSERT INTO devices (id, name, kind, token_hash, created_at) VALUES (?, 'Appliance screen', 'kiosk', ?, ?)`)
      .run(LOOPBACK_KIOSK_ID, hashDeviceToken(newDeviceToken()), this.clock().toISOString());
    return this.getDevice(LOOPBACK_KIOSK_ID);
  }

  /** Checks a bearer token and that its account or device is still allowed in. */
  async authenticate(token: string): Promise<Principal> {
    const principal = await this.tokens.verify(token);
    const [kind, id] = principal.subject.split(':', 2);
    if (kind === 'device') {
      const row = this.db.prepare('SELECT revoked FROM devices WHERE id = ?').get(id) as { revoked: number } | undefined;
      if (!row || row.revoked === 1) throw new AppError('AUTH_TOKEN_INVALID', 'device has been revoked');
    } else if (kind === 'account') {
      const row = this.db.prepare('SELECT disabled, role FROM accounts WHERE id = ?').get(id) as { disabled: number; role: string } | undefined;
      if (!row || row.disabled === 1) throw new AppError('AUTH_TOKEN_INVALID', 'account is disabled or gone');
      if (row.role !== principal.role) throw new AppError('AUTH_TOKEN_INVALID', 'account role changed; sign in again');
    } else if (kind === 'client') {
      const row = this.db.prepare('SELECT revoked FROM oauth_clients WHERE id = ?').get(id) as { revoked: number } | undefined;
      if (!row || row.revoked === 1) throw new AppError('AUTH_TOKEN_INVALID', 'client has been revoked');
    } else {
      throw new AppError('AUTH_TOKEN_INVALID', 'access token subject is not recognised');
    }
    return principal;
  }
}

// scrypt hash of a random throwaway password, used only to equalise login timing.
const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

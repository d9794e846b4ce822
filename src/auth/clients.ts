// OAuth 2.0 client-credentials for other systems (PBX integrations, the CRM bridge): an admin
// registers a client with scopes and gets its secret once; the client trades id + secret for a
// short-lived access token at /v1/oauth/token; revoking stops its tokens at once.
import type { Db } from '../store/index.ts';
import { newId, recordDomainEvent } from '../store/index.ts';
import { AppError } from '../errors/index.ts';
import { hashPassword, newDeviceToken, verifyPassword } from './passwords.ts';
import { CLIENT_SCOPES, type ClientScope, type Principal } from './roles.ts';
import type { TokenIssuer } from './tokens.ts';

export interface OAuthClient {
  clientId: string;
  name: string;
  scopes: ClientScope[];
  revoked: boolean;
  createdAt: string;
  lastUsedAt: string | null;
}

interface ClientRow {
  id: string;
  name: string;
  secret_hash: string;
  scopes: string;
  revoked: number;
  created_at: string;
  last_used_at: string | null;
}

const toClient = (r: ClientRow): OAuthClient => ({
  clientId: r.id,
  name: r.name,
  scopes: JSON.parse(r.scopes) as ClientScope[],
  revoked: r.revoked === 1,
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
});

export class OAuthClients {
  constructor(
    private readonly db: Db,
    private readonly tokens: TokenIssuer,
    private readonly ttlSeconds: number,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async register(input: { name: string; scopes: ClientScope[] }, actor: string): Promise<{ client: OAuthClient; clientSecret: string }> {
    const secret = newDeviceToken().replace(/^sbk_/, 'sbc_');
    const hash = await hashPassword(secret);
    const id = newId('cli');
    const now = this.clock().toISOString();
    this.db.transaction(() => {
      this.db.prepare(`INSERT INTO oauth_clients (id, name, secret_hash, scopes, created_at) VALUES (?, ?, ?, ?, ?)`).run(id, input.name, hash, JSON.stringify([...new Set(input.scopes)]), now);
      recordDomainEvent(this.db, { type: 'oauth_client.registered', aggregate: 'account', aggregateId: id, actor, payload: { name: input.name, scopes: input.scopes }, occurredAt: now });
    })();
    return { client: this.get(id), clientSecret: secret };
  }

  get(id: string): OAuthClient {
    const row = this.db.prepare('SELECT * FROM oauth_clients WHERE id = ?').get(id) as ClientRow | undefined;
    if (!row) throw new AppError('ACCOUNT_NOT_FOUND', `no OAuth client ${id}`);
    return toClient(row);
  }

  list(): OAuthClient[] {
    return (this.db.prepare('SELECT * FROM oauth_clients ORDER BY created_at').all() as ClientRow[]).map(toClient);
  }

  revoke(id: string, actor: string): OAuthClient {
    const now = this.clock().toISOString();
    this.db.transaction(() => {
      if (this.db.prepare('UPDATE oauth_clients SET revoked = 1 WHERE id = ?').run(id).changes === 0) throw new AppError('ACCOUNT_NOT_FOUND', `no OAuth client ${id}`);
      recordDomainEvent(this.db, { type: 'oauth_client.revoked', aggregate: 'account', aggregateId: id, actor, payload: {}, occurredAt: now });
    })();
    return this.get(id);
  }

  /** The client-credentials grant: a token with the requested scopes (all granted ones by default). */
  async issueToken(input: { clientId: string; clientSecret: string; scope?: string }): Promise<{ accessToken: string; expiresIn: number; scopes: ClientScope[] }> {
    const row = this.db.prepare('SELECT * FROM oauth_clients WHERE id = ?').get(input.clientId) as ClientRow | undefined;
    const ok = row ? await verifyPassword(input.clientSecret, row.secret_hash) : false;
    if (!row || !ok || row.revoked === 1) throw new AppError('AUTH_INVALID_CREDENTIALS', 'client id or secret is wrong, or the client is revoked', { oauthError: 'invalid_client' });
    const granted = JSON.parse(row.scopes) as ClientScope[];
    const asked = input.scope ? input.scope.split(/\s+/).filter(Boolean) : granted;
    const refused = asked.filter((s) => !granted.includes(s as ClientScope) || !(CLIENT_SCOPES as readonly string[]).includes(s));
    if (refused.length) throw new AppError('AUTH_FORBIDDEN', `scope not granted to this client: ${refused.join(' ')}`, { oauthError: 'invalid_scope' });
    const scopes = asked as ClientScope[];
    const principal: Principal = { subject: `client:${row.id}`, role: 'system', name: row.name, scopes };
    const { token } = await this.tokens.issue(principal, this.ttlSeconds);
    this.db.prepare('UPDATE oauth_clients SET last_used_at = ? WHERE id = ?').run(this.clock().toISOString(), row.id);
    return { accessToken: token, expiresIn: this.ttlSeconds, scopes };
  }

  isActive(id: string): boolean {
    const row = this.db.prepare('SELECT revoked FROM oauth_clients WHERE id = ?').get(id) as { revoked: number } | undefined;
    return row !== undefined && row.revoked === 0;
  }
}

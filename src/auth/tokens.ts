// Access tokens are short-lived HS256 JWTs (jose): stateless to check on every request,
// and a revoked device is rejected by re-checking the device row when its token is used.
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import { AppError } from '../errors/index.ts';
import { CLIENT_SCOPES, type ClientScope, type Principal, type Role } from './roles.ts';

const ISSUER = 'switchboard';
const ROLES: readonly Role[] = ['admin', 'supervisor', 'agent', 'installer', 'kiosk', 'system'];

export class TokenIssuer {
  private readonly key: Uint8Array;

  constructor(secret: string, private readonly clock: () => Date = () => new Date()) {
    this.key = new TextEncoder().encode(secret);
  }

  async issue(principal: Principal, ttlSeconds: number): Promise<{ token: string; expiresAt: string }> {
    const nowSec = Math.floor(this.clock().getTime() / 1000);
    const exp = nowSec + ttlSeconds;
    const claims: Record<string, unknown> = { role: principal.role, name: principal.name };
    if (principal.scopes) claims.scope = principal.scopes.join(' ');
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(ISSUER)
      .setSubject(principal.subject)
      .setIssuedAt(nowSec)
      .setExpirationTime(exp)
      .sign(this.key);
    return { token, expiresAt: new Date(exp * 1000).toISOString() };
  }

  async verify(token: string): Promise<Principal> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        issuer: ISSUER,
        algorithms: ['HS256'],
        currentDate: this.clock(),
      });
      const role = payload.role;
      if (typeof payload.sub !== 'string' || typeof role !== 'string' || !ROLES.includes(role as Role)) {
        throw new AppError('AUTH_TOKEN_INVALID', 'access token is missing its subject or role');
      }
      const principal: Principal = { subject: payload.sub, role: role as Role, name: typeof payload.name === 'string' ? payload.name : payload.sub };
      if (typeof payload.scope === 'string') principal.scopes = payload.scope.split(' ').filter((s): s is ClientScope => (CLIENT_SCOPES as readonly string[]).includes(s));
      return principal;
    } catch (err) {
      if (err instanceof AppError) throw err;
      if (err instanceof joseErrors.JWTExpired) throw new AppError('AUTH_TOKEN_EXPIRED', 'access token has expired; sign in again');
      throw new AppError('AUTH_TOKEN_INVALID', 'access token is not valid');
    }
  }
}

// Signed-in staff (agent, supervisor, admin) on the appliance's own pages: POST /v1/auth/login,
// the session kept in this tab's sessionStorage (survives a reload, not the closed tab), and a
// REST helper that sends the bearer token and turns error envelopes into ApiError.
import { nullable, object, oneOf, str, tryParse, type Guard } from './guard.ts';

export const ROLES = ['admin', 'supervisor', 'agent', 'installer', 'kiosk'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  subject: string;
  role: Role;
  name: string;
}

export interface StaffSession {
  accessToken: string;
  expiresAt: string;
  principal: Principal;
}

const SessionGuard: Guard<StaffSession> = object({
  accessToken: str,
  expiresAt: str,
  principal: object({ subject: str, role: oneOf(ROLES), name: str }),
});

export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** These mean "sign in again". */
export const SIGNED_OUT_CODES = new Set(['AUTH_REQUIRED', 'AUTH_TOKEN_EXPIRED', 'AUTH_TOKEN_INVALID']);

const ErrorEnvelope = object({ error: object({ code: str, message: nullable(str) }) });

async function errorFrom(res: Response): Promise<ApiError> {
  const body: unknown = await res.json().catch(() => null);
  const env = tryParse(ErrorEnvelope, body);
  const details = typeof body === 'object' && body !== null && 'error' in body ? (body.error as { details?: unknown }).details : undefined;
  return env ? new ApiError(env.error.code, env.error.message ?? res.statusText, res.status, details) : new ApiError(`HTTP_${res.status}`, res.statusText, res.status);
}

/** Sends a request and parses the answer with `guard`; non-2xx answers throw ApiError. */
export async function requestJson<T>(path: string, guard: Guard<T>, init: { token?: string; method?: string; json?: unknown; signal?: AbortSignal } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.json !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(path, { method: init.method ?? 'GET', headers, body: init.json === undefined ? null : JSON.stringify(init.json), signal: init.signal ?? null });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError('OFFLINE', 'the appliance cannot be reached', 0);
  }
  if (!res.ok) throw await errorFrom(res);
  const body: unknown = await res.json();
  let problem = '';
  const parsed = tryParse(guard, body, (e) => (problem = e.message));
  if (parsed === null) throw new ApiError('BAD_RESPONSE', `unexpected answer from ${path}: ${problem}`, res.status);
  return parsed;
}

export class StaffAuth {
  private session: StaffSession | null;

  constructor(
    private readonly storage: Storage,
    private readonly key: string,
    private readonly now: () => number = Date.now,
  ) {
    this.session = this.load();
  }

  /** The stored session while it is still valid. */
  get current(): StaffSession | null {
    if (this.session && Date.parse(this.session.expiresAt) <= this.now()) this.signOut();
    return this.session;
  }

  async signIn(username: string, password: string): Promise<StaffSession> {
    const session = await requestJson('/v1/auth/login', SessionGuard, { method: 'POST', json: { username, password } });
    this.session = session;
    this.storage.setItem(this.key, JSON.stringify(session));
    return session;
  }

  signOut(): void {
    this.session = null;
    this.storage.removeItem(this.key);
  }

  private load(): StaffSession | null {
    const raw = this.storage.getItem(this.key);
    if (!raw) return null;
    try {
      return tryParse(SessionGuard, JSON.parse(raw));
    } catch {
      return null;
    }
  }
}

/** Plain words for the error codes staff may meet at sign-in and while working. */
export function staffErrorText(code: string): string {
  switch (code) {
    case 'AUTH_INVALID_CREDENTIALS':
      return 'That username and password do not match.';
    case 'RATE_LIMITED':
      return 'Too many attempts. Wait a minute and try again.';
    case 'AUTH_FORBIDDEN':
      return 'This account is not allowed to do that.';
    case 'AUTH_REQUIRED':
    case 'AUTH_TOKEN_EXPIRED':
    case 'AUTH_TOKEN_INVALID':
      return 'Your session has ended. Please sign in again.';
    case 'OFFLINE':
      return 'The appliance cannot be reached. Retrying…';
    case 'VALIDATION_FAILED':
      return 'Please check the form and try again.';
    default:
      return `Something went wrong (${code}).`;
  }
}

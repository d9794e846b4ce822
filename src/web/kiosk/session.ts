// The kiosk's access token: from POST /v1/auth/kiosk-session with the paired device token
// (or none, on the appliance's own screen over loopback), renewed before it runs out.

import type { Language } from './wire.ts';

const DEVICE_TOKEN_KEY = 'switchboard.kiosk.deviceToken';
/** Renew this long before expiry, so a reconnect never presents a dying token. */
const RENEW_MARGIN_MS = 5 * 60_000;

export class KioskSessionError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'KioskSessionError';
  }
}

/** Takes `#device=<token>` off the address bar (it must not linger in history or on screen) into storage. */
export function captureDeviceToken(loc: Location, storage: Storage, history: History): void {
  const match = /(?:^#|&)device=([^&]+)/.exec(loc.hash);
  if (!match?.[1]) return;
  storage.setItem(DEVICE_TOKEN_KEY, decodeURIComponent(match[1]));
  history.replaceState(history.state, '', loc.pathname + loc.search);
}

const asRecord = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {});

interface Session {
  accessToken: string;
  expiresAt: number;
}

export class KioskSession {
  private session: Session | null = null;
  private inFlight: Promise<Session> | null = null;
  /** Languages the appliance can hear, from the last session answer (none until one arrives). */
  speechLanguages: readonly Language[] = [];
  /** Called when a session answer changes `speechLanguages`. */
  onSpeechLanguages: ((languages: readonly Language[]) => void) | null = null;

  constructor(
    private readonly storage: Storage,
    private readonly now: () => number = Date.now,
  ) {}

  /** A token valid for at least a few more minutes, fetching a new session when needed. */
  async token(): Promise<string> {
    if (this.session && this.session.expiresAt - RENEW_MARGIN_MS > this.now()) return this.session.accessToken;
    this.inFlight ??= this.open().finally(() => (this.inFlight = null));
    this.session = await this.inFlight;
    return this.session.accessToken;
  }

  /** The server refused the token (expired, revoked device): the next call fetches a new one. */
  invalidate(): void {
    this.session = null;
  }

  private async open(): Promise<Session> {
    const deviceToken = this.storage.getItem(DEVICE_TOKEN_KEY);
    const res = await fetch('/v1/auth/kiosk-session', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(deviceToken ? { deviceToken } : {}),
    });
    const body = asRecord(await res.json().catch(() => null));
    if (!res.ok) {
      const err = asRecord(body.error);
      throw new KioskSessionError(typeof err.code === 'string' ? err.code : `HTTP_${res.status}`, typeof err.message === 'string' ? err.message : res.statusText);
    }
    if (typeof body.accessToken !== 'string') throw new KioskSessionError('INTERNAL', 'kiosk session answer has no access token');
    this.takeSpeechLanguages(asRecord(body.speech).languages);
    const expiresAt = typeof body.expiresAt === 'string' ? Date.parse(body.expiresAt) : NaN;
    // Without a readable expiry, use it for a minute and then ask again.
    return { accessToken: body.accessToken, expiresAt: Number.isFinite(expiresAt) ? expiresAt : this.now() + RENEW_MARGIN_MS + 60_000 };
  }

  private takeSpeechLanguages(value: unknown): void {
    const next = Array.isArray(value) ? value.filter((l): l is Language => l === 'en' || l === 'zh') : [];
    if (next.join() === this.speechLanguages.join()) return;
    this.speechLanguages = next;
    this.onSpeechLanguages?.(next);
  }
}

// Tells the PBX where to bridge a handed-off voice call: a signed JSON webhook, retried with
// exponential backoff. The signature lets an Asterisk/FreeSWITCH side reject forged calls.
import { createHmac } from 'node:crypto';
import type { Logger } from '../ops/index.ts';

export interface CallControlEvent {
  type: 'call.route';
  callId: string;
  conversationId: string;
  queueId: string;
  extension: string;
  callerNumber: string | null;
  occurredAt: string;
}

export interface CallControlOptions {
  webhookUrl?: string;
  secret?: string;
  maxAttempts: number;
  logger: Logger;
  /** First retry delay; doubles each attempt. */
  baseDelayMs?: number;
  fetchImpl?: typeof fetch;
}

/** `sha256=<hex HMAC of "timestamp.body">`, as the X-Switchboard-Signature header carries it. */
export function signCallControl(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export class CallControlNotifier {
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly options: CallControlOptions) {}

  get enabled(): boolean {
    return Boolean(this.options.webhookUrl);
  }

  /** Delivers in the background; resolves to whether the PBX acknowledged (2xx). */
  send(event: CallControlEvent, onResult?: (delivered: boolean, attempts: number) => void): void {
    if (!this.options.webhookUrl) return;
    const task = this.deliver(event).then(
      ({ delivered, attempts }) => onResult?.(delivered, attempts),
      () => onResult?.(false, 0),
    );
    this.pending.add(task);
    void task.finally(() => this.pending.delete(task));
  }

  private async deliver(event: CallControlEvent): Promise<{ delivered: boolean; attempts: number }> {
    const url = this.options.webhookUrl!;
    const body = JSON.stringify(event);
    const doFetch = this.options.fetchImpl ?? fetch;
    const base = this.options.baseDelayMs ?? 500;
    for (let attempt = 1; attempt <= this.options.maxAttempts; attempt++) {
      const timestamp = String(Math.floor(Date.now() / 1000));
      const headers: Record<string, string> = { 'content-type': 'application/json', 'x-switchboard-timestamp': timestamp, 'x-switchboard-event': event.type };
      if (this.options.secret) headers['x-switchboard-signature'] = signCallControl(this.options.secret, timestamp, body);
      try {
        const res = await doFetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(5000) });
        if (res.ok) return { delivered: true, attempts: attempt };
        // A 4xx other than 408/429 will not get better by retrying.
        if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) {
          this.options.logger.error({ status: res.status, callId: event.callId }, 'PBX refused the call-control event');
          return { delivered: false, attempts: attempt };
        }
      } catch (err) {
        this.options.logger.warn({ err: (err as Error).message, attempt, callId: event.callId }, 'call-control webhook failed; retrying');
      }
      if (attempt < this.options.maxAttempts) await new Promise((r) => setTimeout(r, base * 2 ** (attempt - 1)));
    }
    this.options.logger.error({ callId: event.callId, attempts: this.options.maxAttempts }, 'call-control event not delivered');
    return { delivered: false, attempts: this.options.maxAttempts };
  }

  /** Waits for deliveries in flight (shutdown, tests). */
  async drain(): Promise<void> {
    await Promise.all([...this.pending]);
  }
}

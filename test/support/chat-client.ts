// A WebSocket chat client for tests: sends protocol messages and awaits typed replies.
import WebSocket from 'ws';
import { ServerMessage } from '../../src/channels/index.ts';

export class ChatClient {
  private readonly inbox: ServerMessage[] = [];
  private waiters: { predicate: (m: ServerMessage) => boolean; resolve: (m: ServerMessage) => void }[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const msg = ServerMessage.parse(JSON.parse(data.toString()));
      const i = this.waiters.findIndex((w) => w.predicate(msg));
      if (i >= 0) this.waiters.splice(i, 1)[0]!.resolve(msg);
      else this.inbox.push(msg);
    });
    this.closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  }

  static async connect(baseUrl: string): Promise<ChatClient> {
    const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/v1/chat`);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return new ChatClient(ws);
  }

  send(msg: unknown): void {
    this.ws.send(typeof msg === 'string' ? msg : JSON.stringify(msg));
  }

  /** The next server message of this type (already received or still to come). */
  next<T extends ServerMessage['type']>(type: T, timeoutMs = 15_000): Promise<Extract<ServerMessage, { type: T }>> {
    return this.nextWhere(type, () => true, timeoutMs);
  }

  /** The next server message of this type that also satisfies `where`. */
  nextWhere<T extends ServerMessage['type']>(type: T, where: (m: Extract<ServerMessage, { type: T }>) => boolean, timeoutMs = 15_000): Promise<Extract<ServerMessage, { type: T }>> {
    const predicate = (m: ServerMessage) => m.type === type && where(m as Extract<ServerMessage, { type: T }>);
    const i = this.inbox.findIndex(predicate);
    if (i >= 0) return Promise.resolve(this.inbox.splice(i, 1)[0] as Extract<ServerMessage, { type: T }>);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "${type}" message within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({
        predicate,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m as Extract<ServerMessage, { type: T }>);
        },
      });
    });
  }

  /** Sends a customer message and returns the bot's reply texts. */
  async say(text: string, clientMessageId?: string) {
    this.send({ type: 'message', text, ...(clientMessageId ? { clientMessageId } : {}) });
    // Other turns (an agent joining, a transfer note) may arrive in between: wait for this exchange.
    const turns = await this.nextWhere('turns', (m) => m.turns[0]?.speaker === 'customer' && m.turns[0].text === text.trim());
    return { ...turns, botTexts: turns.turns.filter((t) => t.speaker === 'bot').map((t) => t.text) };
  }

  close(): void {
    this.ws.close();
  }
}

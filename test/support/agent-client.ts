// An agent desktop client for tests: the real WebSocket protocol, typed replies awaited by kind.
import WebSocket from 'ws';
import { AgentServerMessage } from '../../src/contact-center/index.ts';

type Msg = AgentServerMessage;

export class AgentClient {
  private readonly inbox: Msg[] = [];
  private waiters: { predicate: (m: Msg) => boolean; resolve: (m: Msg) => void }[] = [];
  readonly closed: Promise<number>;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const msg = AgentServerMessage.parse(JSON.parse(data.toString()));
      const i = this.waiters.findIndex((w) => w.predicate(msg));
      if (i >= 0) this.waiters.splice(i, 1)[0]!.resolve(msg);
      else this.inbox.push(msg);
    });
    this.closed = new Promise((resolve) => ws.on('close', (code) => resolve(code)));
  }

  static async connect(baseUrl: string, token: string): Promise<{ agent: AgentClient; welcome: Extract<Msg, { type: 'welcome' }> }> {
    const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/v1/agent`);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    const agent = new AgentClient(ws);
    agent.send({ type: 'hello', token });
    return { agent, welcome: await agent.next('welcome') };
  }

  send(msg: unknown): void {
    this.ws.send(JSON.stringify(msg));
  }

  next<T extends Msg['type']>(type: T, where: (m: Extract<Msg, { type: T }>) => boolean = () => true, timeoutMs = 15_000): Promise<Extract<Msg, { type: T }>> {
    const predicate = (m: Msg) => m.type === type && where(m as Extract<Msg, { type: T }>);
    const i = this.inbox.findIndex(predicate);
    if (i >= 0) return Promise.resolve(this.inbox.splice(i, 1)[0] as Extract<Msg, { type: T }>);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "${type}" message within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({
        predicate,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m as Extract<Msg, { type: T }>);
        },
      });
    });
  }

  /** True if a message of this type is already waiting (without consuming it). */
  has(type: Msg['type']): boolean {
    return this.inbox.some((m) => m.type === type);
  }

  /** Waits until a message of this type has arrived, without consuming it. */
  async arrived(type: Msg['type'], timeoutMs = 15_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.has(type)) {
      if (Date.now() > deadline) return false;
      await new Promise((r) => setTimeout(r, 20));
    }
    return true;
  }

  close(): void {
    this.ws.close();
  }
}

// Agent desktop WebSocket (/v1/agent): authenticated by its first message (agent role), then
// a thin pipe between the desktop and the ContactCenter, which owns all state.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { AuthService } from '../auth/index.ts';
import { AppError } from '../errors/index.ts';
import { serveJsonSocket } from '../channels/index.ts';
import type { Logger, Metrics } from '../ops/index.ts';
import { AGENT_PROTOCOL_VERSION, AgentClientMessage, type AgentServerMessage } from './protocol.ts';
import type { ContactCenter } from './service.ts';

export const AGENT_PATH = '/v1/agent';

export interface AgentChannel {
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  close(): Promise<void>;
}

export function createAgentChannel(deps: { auth: AuthService; contactCenter: ContactCenter; logger: Logger; metrics: Metrics; maxFrameBytes: number; helloTimeoutMs?: number }): AgentChannel {
  const wss = new WebSocketServer({ noServer: true, maxPayload: deps.maxFrameBytes });
  const log = deps.logger.child({ channel: 'agent' });
  const cc = deps.contactCenter;

  wss.on('connection', (ws: WebSocket) => {
    deps.metrics.wsConnections.inc({ channel: 'agent' });
    let agentId: string | null = null;

    const { send } = serveJsonSocket<AgentClientMessage, AgentServerMessage>({
      ws,
      protocol: AgentClientMessage,
      channel: 'agent',
      log,
      helloTimeoutMs: deps.helloTimeoutMs ?? 10_000,
      isAuthenticated: () => agentId !== null,
      handle: (msg) => handle(msg),
      onClose: () => {
        if (agentId) cc.disconnectAgent(agentId, send);
        deps.metrics.wsConnections.dec({ channel: 'agent' });
      },
    });

    const handle = async (msg: AgentClientMessage): Promise<void> => {
      if (msg.type === 'ping') {
        send({ type: 'pong' });
        return;
      }
      if (msg.type === 'hello') {
        if (agentId) throw new AppError('CONVERSATION_STATE_CONFLICT', 'already said hello on this connection');
        const who = await deps.auth.authenticate(msg.token);
        if (who.role !== 'agent') throw new AppError('AUTH_FORBIDDEN', `role "${who.role}" may not use the agent desktop`);
        const id = who.subject.slice('account:'.length);
        agentId = id;
        const { profile, assigned, offers } = cc.connectAgent(id, send);
        send({
          type: 'welcome',
          protocol: AGENT_PROTOCOL_VERSION,
          agent: { id, name: profile.name, presence: profile.presence, languages: profile.languages, topics: profile.topics, chatCapacity: profile.chatCapacity, voiceCapacity: profile.voiceCapacity },
          assigned,
          queues: cc.queueCounts(),
        });
        for (const offer of offers) send(offer);
        return;
      }
      if (!agentId) throw new AppError('AUTH_REQUIRED', 'say hello with an access token first');
      switch (msg.type) {
        case 'presence':
          return cc.setPresence(agentId, msg.presence);
        case 'accept':
          cc.accept(agentId, msg.conversationId);
          return;
        case 'decline':
          return cc.decline(agentId, msg.conversationId);
        case 'reply':
          return cc.reply(agentId, msg.conversationId, msg.text, msg.clientMessageId);
        case 'transfer':
          return cc.transfer(agentId, msg.conversationId, msg.queueId, msg.note);
        case 'hand_back':
          return cc.handBack(agentId, msg.conversationId);
        case 'resolve':
          cc.resolve(agentId, msg.conversationId, { disposition: msg.disposition, notes: msg.notes, createTicket: msg.createTicket });
          return;
      }
    };
  });

  return {
    handleUpgrade(req, socket, head) {
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.close(1001, 'server shutting down');
        wss.close(() => resolve());
      }),
  };
}

// WebSocket chat channel (/v1/chat): the kiosk page's live connection. One socket carries
// one conversation; it is authenticated by its first message, never by a token in the URL.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { AppError } from '../errors/index.ts';
import type { AuthService, Principal } from '../auth/index.ts';
import { CUSTOMER_CHANNELS } from '../auth/index.ts';
import { assertConversationAccess, type ConversationEvent, type ConversationService, type Turn, type TurnsAdded } from '../conversation/index.ts';
import type { Logger, Metrics } from '../ops/index.ts';
import { serveJsonSocket } from './json-socket.ts';
import { CHAT_PROTOCOL_VERSION, ClientMessage, type ServerMessage, type TurnView } from './chat-protocol.ts';

export const CHAT_PATH = '/v1/chat';

export interface ChatChannelDeps {
  auth: AuthService;
  conversations: ConversationService;
  logger: Logger;
  metrics: Metrics;
  maxFrameBytes: number;
  /** How long a socket may stay open without saying hello. */
  helloTimeoutMs?: number;
}

export interface ChatChannel {
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  close(): Promise<void>;
}

const toView = (t: Turn): TurnView => ({ ...t, entities: t.entities.map((e) => ({ ...e })) });

export function createChatChannel(deps: ChatChannelDeps): ChatChannel {
  const wss = new WebSocketServer({ noServer: true, maxPayload: deps.maxFrameBytes });
  const log = deps.logger.child({ channel: 'chat' });

  wss.on('connection', (ws: WebSocket) => {
    deps.metrics.wsConnections.inc({ channel: 'chat' });
    let principal: Principal | null = null;
    let conversationId: string | null = null;
    let unsubscribe: (() => void) | null = null;
    let unsubscribeEvents: (() => void) | null = null;

    const { send } = serveJsonSocket<ClientMessage, ServerMessage>({
      ws,
      protocol: ClientMessage,
      channel: 'chat',
      log,
      helloTimeoutMs: deps.helloTimeoutMs ?? 10_000,
      isAuthenticated: () => principal !== null,
      handle: (msg) => handle(msg),
      onClose: () => {
        unsubscribe?.();
        unsubscribeEvents?.();
        deps.metrics.wsConnections.dec({ channel: 'chat' });
      },
    });

    const onTurns = (update: TurnsAdded) => {
      send({ type: 'turns', conversationId: update.conversation.id, status: update.conversation.status, turns: update.turns.map(toView) });
    };

    const onEvent = (event: ConversationEvent) => {
      switch (event.kind) {
        case 'queue':
          return send({ type: 'queue', conversationId: event.conversationId, position: event.position, estimatedWaitSeconds: event.estimatedWaitSeconds });
        case 'status':
          return send({ type: 'status', conversationId: event.conversationId, status: event.status, agentName: event.agentName });
        case 'csat_request':
          return send({ type: 'csat_request', conversationId: event.conversationId });
        case 'csat_thanks':
          return send({ type: 'csat_thanks', conversationId: event.conversationId });
      }
    };

    const handle = async (msg: ClientMessage): Promise<void> => {
      if (msg.type === 'ping') {
        send({ type: 'pong' });
        return;
      }
      if (msg.type === 'hello') {
        if (principal) throw new AppError('CONVERSATION_STATE_CONFLICT', 'already said hello on this connection');
        const who = await deps.auth.authenticate(msg.token);
        if (!CUSTOMER_CHANNELS.includes(who.role)) throw new AppError('AUTH_FORBIDDEN', `role "${who.role}" may not chat`);
        const view = msg.conversationId
          ? deps.conversations.get(msg.conversationId)
          : deps.conversations.start({
              channel: 'chat',
              language: msg.language,
              deviceId: who.subject.startsWith('device:') ? who.subject.slice('device:'.length) : null,
              actor: who.subject,
            });
        assertConversationAccess(who, view.conversation);
        principal = who;
        conversationId = view.conversation.id;
        unsubscribe = deps.conversations.subscribe(conversationId, onTurns);
        unsubscribeEvents = deps.conversations.subscribeEvents(conversationId, onEvent);
        const agentName = view.conversation.status === 'with_agent' ? deps.conversations.currentAgentName(conversationId) : null;
        send({ type: 'welcome', protocol: CHAT_PROTOCOL_VERSION, conversationId, status: view.conversation.status, agentName, turns: view.turns.map(toView) });
        return;
      }
      if (!principal || !conversationId) throw new AppError('AUTH_REQUIRED', 'say hello with an access token first');
      if (msg.type === 'csat') {
        deps.conversations.recordCsat(conversationId, { score: msg.score, comment: msg.comment }, principal.subject);
        return;
      }
      const result = deps.conversations.postMessage(conversationId, { text: msg.text, clientMessageId: msg.clientMessageId }, principal.subject);
      // New turns reach this socket through the subscription; a duplicate resend is answered directly.
      if (result.duplicate) onTurns(result);
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

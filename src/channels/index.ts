// Public face of customer channels other than REST: the WebSocket chat.
export { createChatChannel, CHAT_PATH, type ChatChannel, type ChatChannelDeps } from './chat-socket.ts';
export { ClientMessage, ServerMessage, TurnView, CHAT_PROTOCOL_VERSION } from './chat-protocol.ts';
export { serveJsonSocket, type ErrorFrame, type JsonSocketOptions } from './json-socket.ts';

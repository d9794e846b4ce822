// Public face of the contact center: queues, agents, routing, the agent desktop channel, the
// supervisor figures and call-control events for the PBX.
export { ContactCenter, type ContactCenterDeps, type AgentSink } from './service.ts';
export { CallControlNotifier, signCallControl, type CallControlEvent } from './call-control.ts';
export { createAgentChannel, AGENT_PATH, type AgentChannel } from './agent-socket.ts';
export { registerContactCenterRoutes } from './http.ts';
export { planOffers, planOverflows, queuePositions, chooseQueue, serviceOrder, canServe, type AgentSnapshot, type WaitingConversation, type QueueDef } from './routing.ts';
export { AgentClientMessage, AgentServerMessage, HandoffPackage, AGENT_PROTOCOL_VERSION, type Presence, type Disposition } from './protocol.ts';
export { queueBoard, conversationStats } from './stats.ts';

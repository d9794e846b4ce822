// Public face of conversations: the service channels call, and the records they get back.
export { ConversationService, ticketReference, describeVariant, type ConversationServiceDeps, type ConversationView, type TurnsAdded, type ConversationListener, type ConversationEvent, type ConversationEventListener, type CallInfo, type Understander } from './service.ts';
export { ConversationRepository, TicketRepository, type NewTurn } from './repository.ts';
export type { Channel, ConversationStatus, ConversationRecord, Turn, Citation, Ticket, HandoffRecord, Speaker } from './records.ts';
export { assertConversationAccess } from './access.ts';

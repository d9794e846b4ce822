// Public face of the CRM sync: startSync for the composition root, its config schema, the
// MQTT contract (protocol), the status shape, the HTTP route and the reference CRM bridge.
export { startSync, type SyncDeps, type SyncHandle } from './service.ts';
export { SyncConfigSchema, type SyncConfig } from './config.ts';
export type { SyncStatus } from './status.ts';
export type { ConnectionState } from './connection.ts';
export {
  CONTRACT_VERSION,
  ALL_BRANCHES,
  topics,
  parseEventTopic,
  validateOutboundEvent,
  parseInbound,
  OutboundEventSchema,
  InboundMessageSchema,
  DOWN_KIND,
  DEAD_LETTER_CODES,
  type OutboundEvent,
  type InboundMessage,
  type InboundMessageInput,
  type DeadLetterCode,
} from './protocol.ts';
export { SqliteOutbox, MemoryOutbox, type OutboxStore, type OutboxEvent } from './outbox.ts';
export { registerSyncRoutes, SyncStatusSchema, type SyncRouteDeps } from './http.ts';
export { runCrmBridge, main as crmBridgeMain, type CrmBridge, type CrmBridgeOptions } from './crm-bridge/index.ts';

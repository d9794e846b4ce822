// Public face of the reference CRM bridge (`switchboard crm-bridge`).
export { runCrmBridge, type CrmBridge, type CrmBridgeOptions } from './bridge.ts';
export { CrmStore, type IngestOutcome } from './crm-store.ts';
export { main, CRM_BRIDGE_USAGE } from './cli.ts';

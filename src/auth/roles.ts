// Who may do what. Roles are coarse on purpose: a branch has few people, and each route
// names the roles it admits.
export const ACCOUNT_ROLES = ['admin', 'supervisor', 'agent', 'installer'] as const;
export type AccountRole = (typeof ACCOUNT_ROLES)[number];
/** 'system' is another system signed in with OAuth client credentials; its scopes say what it may do. */
export type Role = AccountRole | 'kiosk' | 'system';

/** What a system client may be granted. */
export const CLIENT_SCOPES = ['conversations', 'kb:read', 'kb:write', 'reports'] as const;
export type ClientScope = (typeof CLIENT_SCOPES)[number];

export interface Principal {
  /** "account:<id>", "device:<id>" or "client:<id>" — also the actor recorded on domain events. */
  subject: string;
  role: Role;
  name: string;
  /** Only for role 'system'. */
  scopes?: ClientScope[];
}

export const STAFF: readonly Role[] = ['admin', 'supervisor', 'agent'];
export const KB_EDITORS: readonly Role[] = ['admin', 'supervisor'];
export const CUSTOMER_CHANNELS: readonly Role[] = ['kiosk', 'admin', 'supervisor', 'agent'];

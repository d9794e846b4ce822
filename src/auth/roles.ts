// Who may do what. Roles are coarse on purpose: a branch has few people, and each route
// names the roles it admits.
export const ACCOUNT_ROLES = ['admin', 'supervisor', 'agent', 'installer'] as const;
export type AccountRole = (typeof ACCOUNT_ROLES)[number];
export type Role = AccountRole | 'kiosk';

export interface Principal {
  /** "account:<id>" or "device:<id>" — also the actor recorded on domain events. */
  subject: string;
  role: Role;
  name: string;
}

export const STAFF: readonly Role[] = ['admin', 'supervisor', 'agent'];
export const KB_EDITORS: readonly Role[] = ['admin', 'supervisor'];
export const CUSTOMER_CHANNELS: readonly Role[] = ['kiosk', 'admin', 'supervisor', 'agent'];

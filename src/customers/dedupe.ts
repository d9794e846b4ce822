// The duplicate rule: two records are the same person when they share a normalized phone
// number or e-mail address and no identifying field contradicts (different phone, e-mail or
// CRM id). The oldest record survives, so ids the CRM already knows stay stable.
import type { Customer } from './repository.ts';

export type MergeReason = 'same_phone' | 'same_email' | 'same_phone_and_email' | 'same_person_contact';

const IDENTIFYING = ['phone', 'email', 'externalId'] as const;

export function compatible(a: Customer, b: Customer): boolean {
  return IDENTIFYING.every((f) => a[f] === null || b[f] === null || a[f] === b[f]);
}

export function pickSurvivor(candidates: Customer[]): Customer {
  const sorted = [...candidates].sort((x, y) => x.createdAt.localeCompare(y.createdAt) || x.id.localeCompare(y.id));
  const first = sorted[0];
  if (!first) throw new Error('pickSurvivor needs at least one candidate');
  return first;
}

/**
 * Why two records are merged. "same_person_contact": the person gave a phone that matched
 * one record and an e-mail that matched the other in one message.
 */
export function mergeReason(a: Customer, b: Customer): MergeReason {
  const phone = a.phone !== null && a.phone === b.phone;
  const email = a.email !== null && a.email === b.email;
  if (phone && email) return 'same_phone_and_email';
  if (phone) return 'same_phone';
  if (email) return 'same_email';
  return 'same_person_contact';
}

// CRM → branch customer record updates: normalized by the customer hygiene rules (a bad
// field dead-letters the message), matched to the local record, applied last-writer-wins by
// the CRM's version, and merged with a duplicate when the update makes two records share a
// phone or e-mail.
import { AppError } from '../../errors/index.ts';
import { compatible, mergeReason, pickSurvivor, type Customer, type CustomerRepository } from '../../customers/index.ts';
import type { InboundMessage } from '../protocol.ts';
import type { ApplyResult } from './kb-article.ts';
import type { EntityVersions } from './versions.ts';

type Upsert = Extract<InboundMessage, { type: 'customer.upsert' }>;

const ACTOR = 'crm';

export function applyCustomerUpsert(msg: Upsert, deps: { customers: CustomerRepository; versions: EntityVersions; at: string }): ApplyResult {
  const { customers, versions, at } = deps;
  const ctx = { actor: ACTOR, now: at };
  const { id, externalId, ...fields } = msg.customer;
  const normalizedExternal = externalId.trim();
  let target = findTarget(customers, id, normalizedExternal, fields);
  const entityKey = normalizedExternal; // versions are the CRM's, per CRM record
  const verdict = versions.judge('customer', entityKey, msg.version, target?.version ?? null);
  if (!verdict.apply) {
    versions.recordConflict({
      kind: 'customer',
      entityId: entityKey,
      messageId: msg.messageId,
      reason: 'stale_remote_version',
      remoteVersion: msg.version,
      knownVersion: verdict.known.remoteVersion,
      localSnapshot: target,
      remoteSnapshot: msg.customer,
      at,
    });
    return { outcome: 'stale', knowledgeChanged: false };
  }
  const before = target;
  if (!target) {
    target = customers.create({ ...fields, externalId: normalizedExternal, now: at });
    customers.recordEvent('customer.created', target, target, ctx);
  } else {
    target = customers.overwrite(target.id, { ...fields, externalId: normalizedExternal, now: at });
    customers.recordEvent('customer.updated', target, target, ctx);
  }
  if (verdict.localChanged && before) {
    versions.recordConflict({
      kind: 'customer',
      entityId: entityKey,
      messageId: msg.messageId,
      reason: 'local_changes_overwritten',
      remoteVersion: msg.version,
      knownVersion: verdict.known?.remoteVersion ?? null,
      localSnapshot: before,
      remoteSnapshot: msg.customer,
      at,
    });
  }
  target = mergeDuplicatesOf(customers, target, ctx);
  versions.remember('customer', entityKey, { remoteVersion: msg.version, localVersion: target.version, deleted: false, at });
  return { outcome: 'applied', knowledgeChanged: false };
}

/** By the appliance id the CRM echoes back, else the CRM's id, else phone or e-mail. */
function findTarget(customers: CustomerRepository, id: string | undefined, externalId: string, fields: { phone?: string | null; email?: string | null }): Customer | null {
  if (id) {
    try {
      return customers.resolve(id);
    } catch (err) {
      if (!(err instanceof AppError && err.code === 'CUSTOMER_NOT_FOUND')) throw err;
    }
  }
  const byExternal = customers.findByExternalId(externalId);
  if (byExternal) return byExternal.mergedInto ? customers.resolve(byExternal.id) : byExternal;
  if (fields.phone) {
    const c = customers.findByContact({ phone: fields.phone });
    if (c && c.externalId === null) return c;
  }
  if (fields.email) {
    const c = customers.findByContact({ email: fields.email });
    if (c && c.externalId === null) return c;
  }
  return null;
}

/** The CRM's record may now share a phone or e-mail with other local ones: merge by rule. */
function mergeDuplicatesOf(customers: CustomerRepository, c: Customer, ctx: { actor: string; now: string }): Customer {
  let survivor = c;
  for (const other of customers.duplicatesOf(c)) {
    if (!compatible(survivor, other)) continue;
    // The older record survives (ids the CRM already knows stay stable); the CRM id moves with it.
    const [keep, drop] = pickSurvivor([survivor, other]) === survivor ? [survivor, other] : [other, survivor];
    survivor = customers.merge(keep.id, drop.id, mergeReason(keep, drop), ctx);
  }
  return survivor;
}

// Customer records: the people conversations, tickets and CRM updates are about. Every write
// goes through the hygiene rules; identify() finds, creates or merges by contact details.
import type { Db } from '../store/index.ts';
import { newId, recordDomainEvent } from '../store/index.ts';
import { AppError } from '../errors/index.ts';
import type { Language } from '../nlu/index.ts';
import { normalizeCustomerFields, sanitizeContact, type CountryCode, type CustomerFields, type CustomerFieldsInput } from './hygiene.ts';
import { compatible, mergeReason, pickSurvivor, type MergeReason } from './dedupe.ts';

export interface Customer {
  id: string;
  externalId: string | null;
  name: string | null;
  phone: string | null;
  email: string | null;
  language: Language | null;
  /** Bumped on every change; the CRM sync compares it to detect local edits. */
  version: number;
  /** Set when this record was a duplicate merged into another one (the survivor's id). */
  mergedInto: string | null;
  createdAt: string;
  updatedAt: string;
}

interface CustomerRow {
  id: string;
  external_id: string | null;
  name: string | null;
  phone: string | null;
  email: string | null;
  language: Language | null;
  version: number;
  merged_into: string | null;
  created_at: string;
  updated_at: string;
}

const toCustomer = (r: CustomerRow): Customer => ({
  id: r.id,
  externalId: r.external_id,
  name: r.name,
  phone: r.phone,
  email: r.email,
  language: r.language,
  version: r.version,
  mergedInto: r.merged_into,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export interface CustomerRepositoryOptions {
  /** Region used to read phone numbers written without a +country prefix. Default CN. */
  defaultRegion?: CountryCode;
}

export interface WriteContext {
  now: string;
  /** Recorded on the domain events: "customer", "crm", "account:<id>", … */
  actor: string;
}

export interface Identification {
  customerId?: string | null;
  name?: string | null;
  phone?: string | null;
  email?: string | null;
  language?: Language | null;
}

export class CustomerRepository {
  readonly defaultRegion: CountryCode;

  constructor(
    private readonly db: Db,
    options: CustomerRepositoryOptions = {},
  ) {
    this.defaultRegion = options.defaultRegion ?? 'CN';
  }

  /** Normalizes (or refuses with VALIDATION_FAILED) and inserts; records no event (callers do). */
  create(input: { name?: string | null; phone?: string | null; email?: string | null; language?: Language | string | null; externalId?: string | null; now: string }): Customer {
    const f = this.normalize(input);
    const id = newId('cust');
    this.db
      .prepare(`INSERT INTO customers (id, external_id, name, phone, email, language, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(id, f.externalId ?? null, f.name ?? null, f.phone ?? null, f.email ?? null, f.language ?? null, input.now, input.now);
    return this.get(id);
  }

  get(id: string): Customer {
    const row = this.db.prepare('SELECT * FROM customers WHERE id = ?').get(id) as CustomerRow | undefined;
    if (!row) throw new AppError('CUSTOMER_NOT_FOUND', `no customer ${id}`);
    return toCustomer(row);
  }

  /** The record itself, or the survivor it was merged into. */
  resolve(id: string): Customer {
    let c = this.get(id);
    for (let hops = 0; c.mergedInto && hops < 16; hops++) c = this.get(c.mergedInto);
    return c;
  }

  findByExternalId(externalId: string): Customer | null {
    const row = this.db.prepare('SELECT * FROM customers WHERE external_id = ?').get(externalId) as CustomerRow | undefined;
    return row ? toCustomer(row) : null;
  }

  /**
   * Finds the (not merged) customer a phone number or e-mail belongs to. Values are
   * normalized first; one that cannot be normalized matches nobody.
   */
  findByContact(contact: { phone?: string | null; email?: string | null }): Customer | null {
    const c = sanitizeContact(contact, this.defaultRegion);
    if (!c.phone && !c.email) return null;
    const row = this.db
      .prepare(
        `SELECT * FROM customers WHERE merged_into IS NULL AND ((@phone IS NOT NULL AND phone = @phone) OR (@email IS NOT NULL AND email = @email))
         ORDER BY created_at, id LIMIT 1`,
      )
      .get({ phone: c.phone, email: c.email }) as CustomerRow | undefined;
    return row ? toCustomer(row) : null;
  }

  /** Other active records sharing this one's phone or e-mail: duplicates by rule. */
  duplicatesOf(c: Pick<Customer, 'id' | 'phone' | 'email'>): Customer[] {
    if (!c.phone && !c.email) return [];
    const rows = this.db
      .prepare(
        `SELECT * FROM customers WHERE merged_into IS NULL AND id <> @id AND ((@phone IS NOT NULL AND phone = @phone) OR (@email IS NOT NULL AND email = @email))
         ORDER BY created_at, id`,
      )
      .all({ id: c.id, phone: c.phone, email: c.email }) as CustomerRow[];
    return rows.map(toCustomer);
  }

  /** Fills in fields the customer told us, never overwriting a known value with nothing. */
  update(id: string, change: { name?: string | null; phone?: string | null; email?: string | null; language?: Language | null; now: string }): Customer {
    const f = this.normalize(change);
    const c = this.get(id);
    this.db
      .prepare(`UPDATE customers SET name = ?, phone = ?, email = ?, language = ?, version = version + 1, updated_at = ? WHERE id = ?`)
      .run(f.name ?? c.name, f.phone ?? c.phone, f.email ?? c.email, f.language ?? c.language, change.now, id);
    return this.get(id);
  }

  /** Sets every given field, null included (clears it): the CRM's authoritative update. */
  overwrite(id: string, change: CustomerFieldsInput & { now: string }): Customer {
    const f = this.normalize(change);
    const c = this.get(id);
    const pick = <K extends keyof CustomerFields>(k: K, current: Customer[K & keyof Customer]) => (f[k] === undefined ? current : f[k]);
    this.db
      .prepare(`UPDATE customers SET external_id = ?, name = ?, phone = ?, email = ?, language = ?, version = version + 1, updated_at = ? WHERE id = ?`)
      .run(pick('externalId', c.externalId), pick('name', c.name), pick('phone', c.phone), pick('email', c.email), pick('language', c.language), change.now, id);
    return this.get(id);
  }

  /**
   * The customer these contact details identify, created or completed as needed and
   * with duplicates merged by rule (same normalized phone or e-mail, no contradicting
   * field). Extracted values that do not normalize are ignored. Events are recorded; call
   * inside the caller's transaction. Null when nothing identifies anyone (a name alone).
   */
  identify(input: Identification, ctx: WriteContext): Customer | null {
    const { name, phone, email } = sanitizeContact(input, this.defaultRegion);
    return this.db.transaction((): Customer | null => {
      const found = new Map<string, Customer>();
      const add = (c: Customer | null) => {
        if (c) found.set(c.id, c);
      };
      if (input.customerId) add(this.resolve(input.customerId));
      if (phone) add(this.findByContact({ phone }));
      if (email) add(this.findByContact({ email }));

      if (found.size === 0) {
        if (!phone && !email) return null;
        const created = this.create({ name, phone, email, language: input.language ?? null, now: ctx.now });
        this.recordEvent('customer.created', created, created, ctx);
        return created;
      }

      let customer = pickSurvivor([...found.values()]);
      for (const other of found.values()) {
        if (other.id === customer.id) continue;
        if (compatible(customer, other)) customer = this.merge(customer.id, other.id, mergeReason(customer, other), ctx);
      }
      const fill = { name: customer.name ? null : name, phone: customer.phone ? null : phone, email: customer.email ? null : email };
      // A filled-in phone or e-mail must not belong to someone else already.
      if (fill.phone && this.findByContact({ phone: fill.phone })) fill.phone = null;
      if (fill.email && this.findByContact({ email: fill.email })) fill.email = null;
      if (fill.name || fill.phone || fill.email) {
        customer = this.update(customer.id, { ...fill, now: ctx.now });
        this.recordEvent('customer.updated', customer, customer, ctx);
      }
      return customer;
    })();
  }

  /**
   * Merges `duplicateId` into `survivorId`: conversations and tickets move to the survivor,
   * its empty fields are filled from the duplicate, and the duplicate keeps its data but
   * points at the survivor. Recorded as customer.merged (synced to the CRM).
   */
  merge(survivorId: string, duplicateId: string, reason: MergeReason, ctx: WriteContext): Customer {
    if (survivorId === duplicateId) throw new AppError('VALIDATION_FAILED', 'cannot merge a customer into itself', { issues: [{ field: 'duplicateId', reason: 'equals survivorId' }] });
    return this.db.transaction(() => {
      const survivor = this.get(survivorId);
      const dup = this.get(duplicateId);
      if (survivor.mergedInto || dup.mergedInto) throw new AppError('VALIDATION_FAILED', 'a merged customer cannot be merged again', { issues: [{ field: 'customerId', reason: 'already merged' }] });
      const moved = {
        conversations: this.db.prepare('UPDATE conversations SET customer_id = ? WHERE customer_id = ?').run(survivorId, duplicateId).changes,
        tickets: this.db.prepare('UPDATE tickets SET customer_id = ? WHERE customer_id = ?').run(survivorId, duplicateId).changes,
      };
      // external_id is unique: it moves with the record rather than being copied.
      const externalId = survivor.externalId ?? dup.externalId;
      this.db.prepare('UPDATE customers SET external_id = NULL, merged_into = ?, version = version + 1, updated_at = ? WHERE id = ?').run(survivorId, ctx.now, duplicateId);
      this.db
        .prepare(`UPDATE customers SET external_id = ?, name = ?, phone = ?, email = ?, language = ?, version = version + 1, updated_at = ? WHERE id = ?`)
        .run(externalId, survivor.name ?? dup.name, survivor.phone ?? dup.phone, survivor.email ?? dup.email, survivor.language ?? dup.language, ctx.now, survivorId);
      const merged = this.get(survivorId);
      recordDomainEvent(this.db, {
        type: 'customer.merged',
        aggregate: 'customer',
        aggregateId: survivorId,
        customerKey: survivorId,
        actor: ctx.actor,
        payload: { customer: merged, mergedId: duplicateId, reason, moved },
        occurredAt: ctx.now,
      });
      return merged;
    })();
  }

  /** Groups of active records sharing a normalized phone or e-mail (legacy data, bulk imports). */
  findDuplicates(): Customer[][] {
    const rows = this.db.prepare('SELECT * FROM customers WHERE merged_into IS NULL ORDER BY created_at, id').all() as CustomerRow[];
    const byKey = new Map<string, Customer[]>();
    for (const c of rows.map(toCustomer)) {
      for (const key of [c.phone && `p:${c.phone}`, c.email && `e:${c.email}`]) {
        if (!key) continue;
        const group = byKey.get(key) ?? [];
        group.push(c);
        byKey.set(key, group);
      }
    }
    const seen = new Set<string>();
    const groups: Customer[][] = [];
    for (const group of byKey.values()) {
      if (group.length < 2) continue;
      const sig = group.map((c) => c.id).join(',');
      if (seen.has(sig)) continue;
      seen.add(sig);
      groups.push(group);
    }
    return groups;
  }

  /** Merges every compatible duplicate found by findDuplicates into the oldest record. */
  mergeDuplicates(ctx: WriteContext): number {
    return this.db.transaction(() => {
      let merged = 0;
      for (const group of this.findDuplicates()) {
        const live = group.map((c) => this.get(c.id)).filter((c) => !c.mergedInto);
        let survivor = pickSurvivor(live);
        for (const other of live) {
          if (other.id === survivor.id || !compatible(survivor, other)) continue;
          survivor = this.merge(survivor.id, other.id, mergeReason(survivor, other), ctx);
          merged++;
        }
      }
      return merged;
    })();
  }

  /** Records a customer.created / customer.updated event carrying the record. */
  recordEvent(type: 'customer.created' | 'customer.updated', customer: Customer, payload: unknown, ctx: WriteContext): void {
    recordDomainEvent(this.db, { type, aggregate: 'customer', aggregateId: customer.id, customerKey: customer.id, actor: ctx.actor, payload, occurredAt: ctx.now });
  }

  private normalize(input: CustomerFieldsInput): CustomerFields {
    return normalizeCustomerFields(
      { name: input.name, phone: input.phone, email: input.email, language: input.language, externalId: input.externalId },
      { defaultRegion: this.defaultRegion },
    );
  }
}

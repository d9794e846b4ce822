// Customer records: the people conversations, tickets and CRM updates are about.
import type { Db } from '../store/index.ts';
import { newId } from '../store/index.ts';
import { AppError } from '../errors/index.ts';
import type { Language } from '../nlu/index.ts';

export interface Customer {
  id: string;
  externalId: string | null;
  name: string | null;
  phone: string | null;
  email: string | null;
  language: Language | null;
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
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export class CustomerRepository {
  constructor(private readonly db: Db) {}

  create(input: { name?: string | null; phone?: string | null; email?: string | null; language?: Language | null; externalId?: string | null; now: string }): Customer {
    const id = newId('cust');
    this.db
      .prepare(`INSERT INTO customers (id, external_id, name, phone, email, language, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(id, input.externalId ?? null, input.name ?? null, input.phone ?? null, input.email ?? null, input.language ?? null, input.now, input.now);
    return this.get(id);
  }

  get(id: string): Customer {
    const row = this.db.prepare('SELECT * FROM customers WHERE id = ?').get(id) as CustomerRow | undefined;
    if (!row) throw new AppError('CUSTOMER_NOT_FOUND', `no customer ${id}`);
    return toCustomer(row);
  }

  /** Finds the customer a phone number or e-mail (already normalized) belongs to. */
  findByContact(contact: { phone?: string | null; email?: string | null }): Customer | null {
    const row = this.db
      .prepare(`SELECT * FROM customers WHERE (@phone IS NOT NULL AND phone = @phone) OR (@email IS NOT NULL AND email = @email) ORDER BY created_at LIMIT 1`)
      .get({ phone: contact.phone ?? null, email: contact.email ?? null }) as CustomerRow | undefined;
    return row ? toCustomer(row) : null;
  }

  /** Fills in fields the customer told us, never overwriting a known value with nothing. */
  update(id: string, change: { name?: string | null; phone?: string | null; email?: string | null; language?: Language | null; now: string }): Customer {
    const c = this.get(id);
    this.db
      .prepare(`UPDATE customers SET name = ?, phone = ?, email = ?, language = ?, updated_at = ? WHERE id = ?`)
      .run(change.name ?? c.name, change.phone ?? c.phone, change.email ?? c.email, change.language ?? c.language, change.now, id);
    return this.get(id);
  }
}

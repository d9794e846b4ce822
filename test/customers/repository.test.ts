// Customer records: hygiene on every write, find-or-create by contact, and duplicates merged
// by rule with the merge recorded as a domain event (which the CRM sync publishes).
import { describe, expect, it } from 'vitest';
import { CustomerRepository } from '../../src/customers/index.ts';
import { listDomainEvents, openDatabase } from '../../src/store/index.ts';

const ctx = (n: number) => ({ actor: 'customer', now: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString() });

function setup(region?: 'US') {
  const db = openDatabase({ path: ':memory:' });
  return { db, repo: new CustomerRepository(db, region ? { defaultRegion: region } : {}) };
}

describe('CustomerRepository', () => {
  it('normalizes on create and update, and refuses garbage naming the field', () => {
    const { repo } = setup();
    const c = repo.create({ name: ' Li  Wei ', phone: '138 0013 8000', email: 'LI@EXAMPLE.CN', now: ctx(0).now });
    expect(c).toMatchObject({ name: 'Li Wei', phone: '+8613800138000', email: 'li@example.cn', version: 1, mergedInto: null });
    expect(() => repo.update(c.id, { phone: 'not a phone', now: ctx(1).now })).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED', details: { issues: [expect.objectContaining({ field: 'phone' })] } }));
    expect(repo.update(c.id, { language: 'zh', now: ctx(1).now }).version).toBe(2);
  });

  it('reads local numbers in the configured region', () => {
    const { repo } = setup('US');
    expect(repo.create({ phone: '(415) 555-2671', now: ctx(0).now }).phone).toBe('+14155552671');
  });

  it('identify finds by any spelling of the same phone or e-mail instead of creating a duplicate', () => {
    const { db, repo } = setup();
    const a = repo.identify({ phone: '+86 138 0013 8000' }, ctx(0))!;
    expect(repo.identify({ phone: '13800138000', name: 'Li Wei' }, ctx(1))!.id).toBe(a.id);
    expect(repo.get(a.id).name).toBe('Li Wei');
    expect(repo.identify({ name: 'Nobody' }, ctx(2))).toBeNull();
    expect(listDomainEvents(db).map((e) => e.type)).toEqual(['customer.created', 'customer.updated']);
  });

  it('merges two records the same person turns out to own, moving conversations and tickets', () => {
    const { db, repo } = setup();
    const byPhone = repo.identify({ phone: '13800138000' }, ctx(0))!;
    const byMail = repo.identify({ email: 'li@example.cn' }, ctx(1))!;
    db.prepare(`INSERT INTO conversations (id, channel, status, customer_id, flow_variant, dialog_state, created_at, updated_at) VALUES ('conv1', 'chat', 'active', ?, 'default', '{}', 'x', 'x')`).run(byMail.id);
    const survivor = repo.identify({ phone: '13800138000', email: 'li@example.cn' }, ctx(2))!;
    expect(survivor).toMatchObject({ id: byPhone.id, phone: '+8613800138000', email: 'li@example.cn' });
    expect(repo.get(byMail.id).mergedInto).toBe(byPhone.id);
    expect(db.prepare(`SELECT customer_id FROM conversations WHERE id = 'conv1'`).get()).toEqual({ customer_id: byPhone.id });
    const merged = listDomainEvents(db).find((e) => e.type === 'customer.merged')!;
    expect(merged).toMatchObject({ aggregateId: byPhone.id, customerKey: byPhone.id, payload: { mergedId: byMail.id, reason: 'same_person_contact', moved: { conversations: 1, tickets: 0 } } });
    expect(repo.findByContact({ email: 'LI@example.cn' })!.id).toBe(byPhone.id);
  });

  it('does not merge records whose identifying fields contradict', () => {
    const { repo } = setup();
    const a = repo.create({ phone: '13800138000', email: 'a@example.cn', now: ctx(0).now });
    const b = repo.create({ email: 'b@example.cn', phone: '13900139000', now: ctx(1).now });
    repo.identify({ phone: '13800138000', email: 'b@example.cn' }, ctx(2));
    expect(repo.get(a.id).mergedInto).toBeNull();
    expect(repo.get(b.id).mergedInto).toBeNull();
  });

  it('mergeDuplicates cleans up legacy duplicates sharing a normalized phone', () => {
    const { db, repo } = setup();
    db.prepare(`INSERT INTO customers (id, phone, email, created_at, updated_at) VALUES ('c1', '+8613800138000', NULL, '2026-01-01', '2026-01-01'), ('c2', '+8613800138000', 'x@example.cn', '2026-01-02', '2026-01-02')`).run();
    expect(repo.findDuplicates()).toHaveLength(1);
    expect(repo.mergeDuplicates(ctx(3))).toBe(1);
    expect(repo.get('c1')).toMatchObject({ email: 'x@example.cn', mergedInto: null });
    expect(repo.get('c2').mergedInto).toBe('c1');
    expect(repo.findDuplicates()).toHaveLength(0);
  });
});

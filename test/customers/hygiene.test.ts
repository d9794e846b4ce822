// Customer field hygiene: table-driven cases for every normalizer, and the error a caller sees.
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors/index.ts';
import { normalizeCustomerFields, normalizeEmail, normalizeExternalId, normalizeName, normalizePhone, sanitizeContact } from '../../src/customers/index.ts';

describe('normalizePhone', () => {
  it.each([
    ['13800138000', 'CN', '+8613800138000'],
    ['138 0013 8000', 'CN', '+8613800138000'],
    ['+86 138-0013-8000', 'CN', '+8613800138000'],
    ['0086 13800138000', 'CN', '+8613800138000'],
    ['010-12345678', 'CN', '+861012345678'],
    ['(415) 555-2671', 'US', '+14155552671'],
    ['+1 415 555 2671', 'CN', '+14155552671'],
    ['１３８００１３８０００', 'CN', '+8613800138000'], // full-width digits from a CJK keyboard
  ] as const)('%s in %s → %s', (raw, region, e164) => {
    expect(normalizePhone(raw, region)).toEqual({ ok: true, value: e164 });
  });
  it.each(['', '12345', 'call me', '+861380013800', '13800138000; DROP TABLE', '+1 415 555 2671 x'.repeat(5)])('refuses %j', (raw) => {
    expect(normalizePhone(raw, 'CN').ok).toBe(false);
  });
});

describe('normalizeEmail', () => {
  it.each([
    ['  Li.Wei@Example.CN ', 'li.wei@example.cn'],
    ['a+tag@sub.example.com', 'a+tag@sub.example.com'],
    ['user@例子.中国', 'user@xn--fsqu00a.xn--fiqs8s'],
  ])('%j → %s', (raw, value) => expect(normalizeEmail(raw)).toEqual({ ok: true, value }));
  it.each(['', 'no-at-sign', '@example.com', 'a@b', 'a..b@example.com', 'a@-example.com', 'a b@example.com', `${'x'.repeat(65)}@example.com`])('refuses %j', (raw) => {
    expect(normalizeEmail(raw).ok).toBe(false);
  });
});

describe('normalizeName', () => {
  it.each([
    ['  Li   Wei ', 'Li Wei'],
    ['王\u3000小明', '王 小明'],
    ["Seán O'Brien-Smith", "Seán O'Brien-Smith"],
  ])('%j → %j', (raw, value) => expect(normalizeName(raw)).toEqual({ ok: true, value }));
  it.each(['', '   ', '12345', '<script>', 'Bob\u0000', 'x'.repeat(101), 'R2D2'])('refuses %j', (raw) => expect(normalizeName(raw).ok).toBe(false));
});

describe('normalizeExternalId', () => {
  it('accepts CRM ids and refuses paths, spaces and wildcards', () => {
    expect(normalizeExternalId(' CRM-0042 ')).toEqual({ ok: true, value: 'CRM-0042' });
    for (const bad of ['', 'a/b', 'has space', '#', '+', 'x'.repeat(65)]) expect(normalizeExternalId(bad).ok).toBe(false);
  });
});

describe('normalizeCustomerFields', () => {
  it('returns normalized fields, keeps null (clear) and leaves absent fields out', () => {
    expect(normalizeCustomerFields({ name: ' Ann  Lee ', phone: '13800138000', email: null, language: 'zh-CN' }, { defaultRegion: 'CN' })).toEqual({
      name: 'Ann Lee',
      phone: '+8613800138000',
      email: null,
      language: 'zh',
    });
  });
  it('refuses garbage with VALIDATION_FAILED naming every bad field', () => {
    let error: unknown;
    try {
      normalizeCustomerFields({ name: '1234', phone: 'abc', email: 'nope', language: 'fr' }, { defaultRegion: 'CN' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('VALIDATION_FAILED');
    expect(((error as AppError).details as { issues: { field: string }[] }).issues.map((i) => i.field)).toEqual(['name', 'phone', 'email', 'language']);
  });
  it('sanitizeContact drops what does not normalize instead of failing', () => {
    expect(sanitizeContact({ name: 'Ann', phone: '12', email: 'ANN@EXAMPLE.COM' }, 'CN')).toEqual({ name: 'Ann', phone: null, email: 'ann@example.com' });
  });
});

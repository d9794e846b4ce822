// Customer data hygiene: every customer field entering the appliance (kiosk, agent desktop,
// CRM) is normalized here or refused with VALIDATION_FAILED naming the field. Pure functions.
import { domainToASCII } from 'node:url';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { AppError } from '../errors/index.ts';
import type { Language } from '../nlu/index.ts';

export type { CountryCode };

export interface FieldIssue {
  field: string;
  reason: string;
}

/** A single field's verdict: the normalized value, or why it is refused. */
export type Normalized<T> = { ok: true; value: T } | { ok: false; reason: string };

const CONTROL = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}]/u;

/**
 * E.164 (+8613800138000). Numbers without a country prefix are read in `defaultRegion`;
 * validity uses the full metadata, so a number of the right length but an unassigned
 * range is refused too.
 */
export function normalizePhone(raw: string, defaultRegion: CountryCode): Normalized<string> {
  const text = raw.normalize('NFKC').trim();
  if (!text) return { ok: false, reason: 'must not be empty' };
  if (text.length > 40) return { ok: false, reason: 'is longer than 40 characters' };
  // Only digits, the usual separators and an extension marker belong in a phone number.
  if (!/^[+\d\s().\-/]+(?:\s*(?:x|ext\.?|#)\s*\d{1,6})?$/i.test(text)) return { ok: false, reason: 'contains characters that are not part of a phone number' };
  const parsed = parsePhoneNumberFromString(text.startsWith('00') ? `+${text.slice(2)}` : text, defaultRegion);
  if (!parsed || !parsed.isValid()) return { ok: false, reason: `is not a valid phone number (read in region ${defaultRegion} when it has no +country prefix)` };
  return { ok: true, value: parsed.number };
}

// Practical address syntax (what mail servers accept), not the full RFC 5322 grammar.
const LOCAL_PART = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const DOMAIN_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** Lower-cased, trimmed, internationalized domains in their ASCII (punycode) form. */
export function normalizeEmail(raw: string): Normalized<string> {
  const text = raw.normalize('NFC').trim().toLowerCase();
  if (!text) return { ok: false, reason: 'must not be empty' };
  if (text.length > 254) return { ok: false, reason: 'is longer than 254 characters' };
  const at = text.lastIndexOf('@');
  if (at <= 0 || at === text.length - 1) return { ok: false, reason: 'is not an e-mail address (name@domain)' };
  const local = text.slice(0, at);
  const domain = domainToASCII(text.slice(at + 1));
  if (local.length > 64 || !LOCAL_PART.test(local)) return { ok: false, reason: 'has an invalid part before the @' };
  const labels = domain.split('.');
  if (!domain || labels.length < 2 || !labels.every((l) => DOMAIN_LABEL.test(l)) || !/^(?:[a-z]{2,63}|xn--[a-z0-9-]+)$/.test(labels.at(-1)!)) {
    return { ok: false, reason: 'has an invalid domain' };
  }
  return { ok: true, value: `${local}@${domain}` };
}

/** Trimmed, inner whitespace collapsed to one space; must contain a letter and no markup. */
export function normalizeName(raw: string): Normalized<string> {
  const text = raw.normalize('NFC').replace(/\s+/gu, ' ').trim();
  if (!text) return { ok: false, reason: 'must not be empty' };
  if ([...text].length > 100) return { ok: false, reason: 'is longer than 100 characters' };
  if (CONTROL.test(text)) return { ok: false, reason: 'contains control characters' };
  if (!/\p{L}/u.test(text)) return { ok: false, reason: 'contains no letters' };
  if (/[<>{}[\]\\|@#$%^*=_~`"]|\d/u.test(text)) return { ok: false, reason: 'contains digits or symbols that do not belong in a name' };
  return { ok: true, value: text };
}

const EXTERNAL_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;
/** The CRM's own customer id: short, no spaces or slashes (it travels in MQTT payloads and URLs). */
export function normalizeExternalId(raw: string): Normalized<string> {
  const text = raw.trim();
  return EXTERNAL_ID.test(text) ? { ok: true, value: text } : { ok: false, reason: 'must be 1-64 letters, digits, ".", "_", ":" or "-", starting with a letter or digit' };
}

const CUSTOMER_ID = /^cust_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export function isCustomerId(value: string): boolean {
  return CUSTOMER_ID.test(value);
}

export function normalizeLanguage(raw: string): Normalized<Language> {
  const text = raw.trim().toLowerCase();
  if (text === 'zh' || text.startsWith('zh-')) return { ok: true, value: 'zh' };
  if (text === 'en' || text.startsWith('en-')) return { ok: true, value: 'en' };
  return { ok: false, reason: 'must be "zh" or "en"' };
}

/** Customer fields as a caller may give them; null clears, undefined leaves alone. */
export interface CustomerFieldsInput {
  name?: string | null;
  phone?: string | null;
  email?: string | null;
  language?: string | null;
  externalId?: string | null;
}

export interface CustomerFields {
  name?: string | null;
  phone?: string | null;
  email?: string | null;
  language?: Language | null;
  externalId?: string | null;
}

type FieldName = keyof CustomerFieldsInput;

function normalizerFor(field: FieldName, region: CountryCode): (raw: string) => Normalized<string> {
  switch (field) {
    case 'name':
      return normalizeName;
    case 'phone':
      return (raw) => normalizePhone(raw, region);
    case 'email':
      return normalizeEmail;
    case 'language':
      return normalizeLanguage;
    case 'externalId':
      return normalizeExternalId;
  }
}

const FIELDS: readonly FieldName[] = ['name', 'phone', 'email', 'language', 'externalId'];

/**
 * Normalizes every given field, or throws VALIDATION_FAILED listing each refused field
 * (`details.issues[].field`), so a caller can show all problems at once.
 */
export function normalizeCustomerFields(input: CustomerFieldsInput, options: { defaultRegion: CountryCode; fieldPrefix?: string }): CustomerFields {
  const out: Record<string, string | null> = {};
  const issues: FieldIssue[] = [];
  for (const field of FIELDS) {
    const raw: unknown = input[field];
    if (raw === undefined) continue;
    if (raw === null) {
      out[field] = null;
      continue;
    }
    const name = `${options.fieldPrefix ?? ''}${field}`;
    if (typeof raw !== 'string') {
      issues.push({ field: name, reason: 'must be text' });
      continue;
    }
    const result = normalizerFor(field, options.defaultRegion)(raw);
    if (result.ok) out[field] = result.value;
    else issues.push({ field: name, reason: result.reason });
  }
  if (issues.length > 0) {
    throw new AppError('VALIDATION_FAILED', `customer ${issues.map((i) => `${i.field} ${i.reason}`).join('; ')}`, { issues });
  }
  return out as CustomerFields;
}

/**
 * For values a machine extracted (NLU entities): keeps what normalizes and drops the rest,
 * because a misheard number must not fail the customer's turn.
 */
export function sanitizeContact(input: { name?: string | null; phone?: string | null; email?: string | null }, defaultRegion: CountryCode): { name: string | null; phone: string | null; email: string | null } {
  const keep = (value: string | null | undefined, f: (raw: string) => Normalized<string>): string | null => {
    if (!value) return null;
    const r = f(value);
    return r.ok ? r.value : null;
  };
  return {
    name: keep(input.name, normalizeName),
    phone: keep(input.phone, (raw) => normalizePhone(raw, defaultRegion)),
    email: keep(input.email, normalizeEmail),
  };
}

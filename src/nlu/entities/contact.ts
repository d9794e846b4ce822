// E-mail addresses and phone numbers, normalized to lower case and E.164 respectively.
import type { Language } from '../types.ts';
import { candidate, PRIORITY, type EntityCandidate } from './candidate.ts';
import { followingKeyword } from './keyword.ts';

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;

export function findEmails(text: string): EntityCandidate[] {
  return [...text.matchAll(EMAIL)].map((m) =>
    candidate('email', m[0].toLowerCase(), text, m.index, m.index + m[0].length, PRIORITY.email),
  );
}

/** Mainland mobile: 1[3-9] + 9 digits, optionally +86 / 0086, grouped 3-4-4. */
const CN_MOBILE = /(?<![\d+])(?:(?:\+|00)86[\s-]?)?(1[3-9]\d)[\s-]?(\d{4})[\s-]?(\d{4})(?!\d)/g;
/** Anything written with an international prefix. */
const INTERNATIONAL = /(?<![\w+])(?:\+|00)[1-9][\d\s().-]{6,20}\d(?!\d)/g;
/** North American: (415) 555-2671, 415-555-2671, 1-415-555-2671. */
const US = /(?<![\d+])(?:1[\s.-]?)?(?:\(([2-9]\d{2})\)\s?|([2-9]\d{2})[\s.-])([2-9]\d{2})[\s.-](\d{4})(?!\d)/g;
/** Mainland landline with area code: 010-12345678, 0755-1234567. */
const CN_LANDLINE = /(?<![\d+])0(\d{2,3})-(\d{7,8})(?!\d)/g;
const PHONE_KEYWORD = /\b(?:phone|mobile|cell(?:phone)?|tel(?:ephone)?|number to call|call me (?:at|on))\b|电话|手机|联系方式|号码/gi;

export function findPhones(text: string, language: Language): EntityCandidate[] {
  const found: EntityCandidate[] = [];
  for (const m of text.matchAll(CN_MOBILE)) {
    found.push(candidate('phone', `+86${m[1]}${m[2]}${m[3]}`, text, m.index, m.index + m[0].length, PRIORITY.phone + 2));
  }
  for (const m of text.matchAll(INTERNATIONAL)) {
    const digits = m[0].replace(/\D/g, '').replace(/^00/, '');
    if (digits.length >= 8 && digits.length <= 15) {
      found.push(candidate('phone', `+${digits}`, text, m.index, m.index + m[0].length, PRIORITY.phone + 1));
    }
  }
  for (const m of text.matchAll(US)) {
    const area = m[1] ?? m[2];
    found.push(candidate('phone', `+1${area}${m[3]}${m[4]}`, text, m.index, m.index + m[0].length, PRIORITY.phone));
  }
  for (const m of text.matchAll(CN_LANDLINE)) {
    found.push(candidate('phone', `+86${m[1]}${m[2]}`, text, m.index, m.index + m[0].length, PRIORITY.phone));
  }
  // "phone 4155552671": a bare digit string is a phone number only when the customer says so.
  for (const hit of followingKeyword(text, PHONE_KEYWORD, /\+?\d[\d\s-]{6,18}\d(?!\d)/y)) {
    const value = normalizePhone(hit.match, language);
    if (value) found.push(candidate('phone', value, text, hit.start, hit.end, PRIORITY.keywordPhone));
  }
  return found;
}

/** E.164 for a bare number: CN mobiles and +-prefixed numbers anywhere, 10-digit numbers as
 * North American in English conversations; null when the country cannot be inferred. */
export function normalizePhone(raw: string, language: Language): string | null {
  const digits = raw.replace(/\D/g, '');
  if (raw.trim().startsWith('+')) return digits.length >= 8 && digits.length <= 15 ? `+${digits}` : null;
  if (/^1[3-9]\d{9}$/.test(digits)) return `+86${digits}`;
  if (/^86(1[3-9]\d{9})$/.test(digits)) return `+${digits}`;
  if (language === 'en' && /^[2-9]\d{9}$/.test(digits)) return `+1${digits}`;
  if (language === 'en' && /^1[2-9]\d{9}$/.test(digits)) return `+${digits}`;
  return null;
}

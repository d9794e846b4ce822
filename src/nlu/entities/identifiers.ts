// Order, account and card numbers. Order and account numbers are recognized by the keyword
// in front of them — a bare 10-digit number is not anything in particular; card numbers are
// also recognized bare because the Luhn checksum makes a random match unlikely.
import { candidate, PRIORITY, type EntityCandidate } from './candidate.ts';
import { followingKeyword } from './keyword.ts';

const ORDER_KEYWORD = /\border\b|订单|單號|单号/gi;
/** An order reference: letters, digits and dashes with at least 3 digits ("AB123", "12345678"). */
const ORDER_ID = /[A-Za-z0-9](?:[A-Za-z0-9-]{2,28}[A-Za-z0-9])(?![A-Za-z0-9-])/y;
/** Self-describing references like ORD-20240518-001, recognized without a keyword. */
const ORDER_PATTERN = /(?<![A-Za-z0-9-])[A-Za-z]{2,5}-\d{4,}(?:-[A-Za-z0-9]{1,8})*(?![A-Za-z0-9-])/g;

const ACCOUNT_KEYWORD = /\b(?:account|acct|a\/c)\b\.?|账号|账户|帐号|帐户/gi;
const DIGIT_GROUPS_8_19 = /\d(?:[ -]?\d){7,18}(?![\d])/y;

const CARD_KEYWORD = /\bcard\b|卡号|银行卡|信用卡|借记卡/gi;
const DIGIT_GROUPS_13_19 = /\d(?:[ -]?\d){12,18}(?![\d])/y;
const BARE_CARD = /(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d])/g;
const CARD_ENDING =
  /(?:\bending(?:\s+(?:in|with))?|\blast\s+(?:4|four)(?:\s+digits)?(?:\s+(?:are|is|of))?|尾号|末四位|后四位)\s*(?:是|为|[:：])?\s*(\d{4})(?!\d)/gi;

export function findOrderNumbers(text: string): EntityCandidate[] {
  const found: EntityCandidate[] = [];
  for (const hit of followingKeyword(text, ORDER_KEYWORD, ORDER_ID)) {
    if (countDigits(hit.match) >= 3) {
      found.push(candidate('order_number', hit.match.toUpperCase(), text, hit.start, hit.end, PRIORITY.keyword));
    }
  }
  for (const m of text.matchAll(ORDER_PATTERN)) {
    found.push(candidate('order_number', m[0].toUpperCase(), text, m.index, m.index + m[0].length, PRIORITY.pattern));
  }
  return found;
}

export function findAccountNumbers(text: string): EntityCandidate[] {
  return followingKeyword(text, ACCOUNT_KEYWORD, DIGIT_GROUPS_8_19).map((hit) =>
    candidate('account_number', hit.match.replace(/\D/g, ''), text, hit.start, hit.end, PRIORITY.keyword),
  );
}

export function findCardNumbers(text: string): EntityCandidate[] {
  const found: EntityCandidate[] = [];
  for (const m of text.matchAll(CARD_ENDING)) {
    const digits = m[1]!;
    const start = m.index + m[0].length - digits.length;
    found.push(candidate('card_number', `****${digits}`, text, start, start + 4, PRIORITY.keyword));
  }
  for (const hit of followingKeyword(text, CARD_KEYWORD, DIGIT_GROUPS_13_19)) {
    const digits = hit.match.replace(/\D/g, '');
    if (passesLuhn(digits)) found.push(candidate('card_number', digits, text, hit.start, hit.end, PRIORITY.keyword));
  }
  for (const m of text.matchAll(BARE_CARD)) {
    const digits = m[0].replace(/\D/g, '');
    if (passesLuhn(digits)) {
      found.push(candidate('card_number', digits, text, m.index, m.index + m[0].length, PRIORITY.bareCard));
    }
  }
  return found;
}

/** The Luhn mod-10 checksum every payment card number satisfies. */
export function passesLuhn(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

function countDigits(text: string): number {
  return text.replace(/\D/g, '').length;
}

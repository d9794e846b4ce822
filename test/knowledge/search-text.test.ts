// Pure query/index text rules: what terms a customer's input becomes, and that the MATCH
// expression is always a list of quoted strings whatever was typed.
import { describe, expect, it } from 'vitest';
import { makeSnippet, queryTerms, toIndexText, toMatchExpression } from '../../src/knowledge/search-text.ts';

describe('queryTerms', () => {
  it.each([
    ['I lost my card', ['lost', 'card']],
    ['What time do you open?', ['time', 'open']],
    ['密码', ['密码']],
    ['卡', ['卡']],
    ['挂失银行卡', ['挂失', '失银', '银行', '行卡']],
    ['我的卡丢了怎么办', ['的卡', '卡丢', '丢了', '了怎']],
    ['ATM吞卡', ['atm', '吞卡']],
    ['ＡＴＭ card', ['atm', 'card']],
    ['the and or', ['the', 'and', 'or']],
    ['title:foo NEAR(bar)', ['title', 'foo', 'near', 'bar']],
    ['"; DROP TABLE x; --', ['drop', 'table']],
    ['😀 *** ""', []],
  ])('%j → %j', (query, terms) => {
    expect(queryTerms(query)).toEqual(terms);
  });

  it('keeps at most 32 distinct terms', () => {
    const words = Array.from({ length: 50 }, (_, i) => `word${i}`).join(' ');
    expect(queryTerms(words)).toHaveLength(32);
  });
});

describe('toMatchExpression', () => {
  it.each(['AND (', 'title:foo', 'NEAR(', 'a" OR "b', '^x*', '{a b}:c', "x' OR 1=1 --", 'card -lost +"block'])('%j yields only quoted terms joined by OR', (query) => {
    expect(toMatchExpression(query).expression).toMatch(/^"[^"\s]+"( OR "[^"\s]+")*$/);
  });

  it.each(['', '"', '*', '()', '😀', ' -- '])('%j has nothing searchable: KB_QUERY_INVALID', (query) => {
    expect(() => toMatchExpression(query)).toThrow(expect.objectContaining({ code: 'KB_QUERY_INVALID' }));
  });
});

describe('toIndexText', () => {
  it('turns CJK runs into bigrams and unigrams and leaves other text alone', () => {
    expect(toIndexText('银行卡 PIN reset').trim().split(/\s+/)).toEqual(['银行', '行卡', '银', '行', '卡', 'PIN', 'reset']);
  });
});

describe('makeSnippet', () => {
  it('returns short text whole and cuts long text around the first match', () => {
    expect(makeSnippet('Open 9 to 5.', ['open'])).toBe('Open 9 to 5.');
    const long = `${'Intro sentence. '.repeat(12)}Your card can be blocked in the app. ${'More text. '.repeat(12)}`;
    const s = makeSnippet(long, ['blocked']);
    expect(s.startsWith('…')).toBe(true);
    expect(s.endsWith('…')).toBe(true);
    expect(s).toContain('blocked');
  });
});

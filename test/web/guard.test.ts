// The staff pages' wire guards: optional fields stay absent, present ones are checked.
import { describe, expect, it } from 'vitest';
import { nullable, num, object, optional, str, tryParse, withDefault, WireError } from '../../src/web/shared/guard.ts';

const Turn = object({ seq: num, text: str, author: optional(str), language: withDefault(nullable(str), null) });

describe('wire guards', () => {
  it('leaves an optional field out when it is missing or null, and keeps it when present', () => {
    expect(Turn({ seq: 1, text: 'hi' })).toEqual({ seq: 1, text: 'hi', language: null });
    expect('author' in Turn({ seq: 1, text: 'hi', author: null })).toBe(false);
    expect(Turn({ seq: 2, text: 'hello', author: 'Wang Wei' })).toEqual({ seq: 2, text: 'hello', author: 'Wang Wei', language: null });
  });

  it('still rejects an optional field of the wrong type, naming it', () => {
    const errors: WireError[] = [];
    expect(tryParse(object({ turns: object({ author: optional(str) }) }), { turns: { author: 7 } }, (e) => errors.push(e))).toBeNull();
    expect(errors[0]?.message).toBe('turns.author: expected a string');
  });
});

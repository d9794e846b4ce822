// The dialog state is plain JSON with a schema version: it survives storage mid-flow, and a
// state from another schema version is refused with a clear error.
import { describe, expect, it } from 'vitest';
import { handleTurn, parseDialogState, startConversation, DIALOG_STATE_VERSION } from '../../src/dialog/index.ts';
import { CONTROL, makeDeps, msg } from './fixtures.ts';

describe('dialog state', () => {
  it('round-trips through JSON mid-flow and continues exactly as the in-memory state would', () => {
    const deps = makeDeps();
    let { state } = startConversation({ conversationId: 'c-json', language: 'en', experimentAssignments: CONTROL }, deps);
    state = handleTurn(state, msg('reset my password', { intent: 'password.reset' }), deps).state;
    state = handleTurn(state, msg('what time do you open', { intent: 'kb.opening-hours' }), deps).state;
    state = handleTurn(state, msg('email', { intent: null }), deps).state;

    const stored = JSON.stringify(state);
    const restored = parseDialogState(JSON.parse(stored));
    expect(restored).toEqual(state);
    expect(restored.schemaVersion).toBe(DIALOG_STATE_VERSION);

    const next = msg('bob@example.com', { entities: [['email', 'bob@example.com']] });
    const fromRestored = handleTurn(restored, next, deps);
    const fromMemory = handleTurn(state, next, deps);
    expect(fromRestored).toEqual(fromMemory);
    expect(fromRestored.replies[0]?.text).toContain('Shall I go ahead?');
  });

  it('handleTurn does not mutate the state it is given', () => {
    const deps = makeDeps();
    const { state } = startConversation({ conversationId: 'c-pure', experimentAssignments: CONTROL }, deps);
    const before = JSON.stringify(state);
    handleTurn(state, msg('reset my password', { intent: 'password.reset' }), deps);
    expect(JSON.stringify(state)).toBe(before);
  });

  it('refuses other schema versions and malformed states', () => {
    const deps = makeDeps();
    const { state } = startConversation({ conversationId: 'c-v', experimentAssignments: CONTROL }, deps);
    expect(() => parseDialogState({ ...state, schemaVersion: 99 })).toThrow(/schema version 99/);
    expect(() => parseDialogState({ ...state, stack: [{ flowId: 1 }] })).toThrow(expect.objectContaining({ code: 'CONVERSATION_STATE_CONFLICT' }));
    expect(() => parseDialogState('nonsense')).toThrow(expect.objectContaining({ code: 'CONVERSATION_STATE_CONFLICT' }));
  });
});

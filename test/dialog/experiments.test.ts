// A/B testing: deterministic assignment close to the weights, recorded in the state, selecting
// a flow version or option the customer notices, with the outcome reported on the final turn.
import { describe, expect, it } from 'vitest';
import {
  assignExperiments,
  assignVariant,
  describeAssignments,
  handleTurn,
  startConversation,
  type Experiment,
} from '../../src/dialog/index.ts';
import { demoFlows, makeDeps, msg, runScript } from './fixtures.ts';

const experiment: Experiment = {
  id: 'exp-a',
  description: '',
  enabled: true,
  flow: 'password-reset',
  variants: [
    { id: 'a', weight: 50, options: {} },
    { id: 'b', weight: 30, options: {} },
    { id: 'c', weight: 20, options: {} },
    { id: 'never', weight: 0, options: {} },
  ],
};

describe('experiment assignment', () => {
  it('is deterministic: same experiment and conversation, same variant', () => {
    for (let i = 0; i < 200; i++) {
      expect(assignVariant(experiment, `conv-${i}`).id).toBe(assignVariant(experiment, `conv-${i}`).id);
    }
    expect(assignExperiments(demoFlows(), 'conv-42')).toEqual(assignExperiments(demoFlows(), 'conv-42'));
  });

  it('depends on the experiment id too, so experiments are independent', () => {
    const other = { ...experiment, id: 'exp-b' };
    const ids = Array.from({ length: 500 }, (_, i) => `conv-${i}`);
    const same = ids.filter((id) => assignVariant(experiment, id).id === assignVariant(other, id).id).length;
    // Independent 50/30/20 assignments agree with probability 0.38.
    expect(same / ids.length).toBeGreaterThan(0.3);
    expect(same / ids.length).toBeLessThan(0.46);
  });

  it('follows the weights over many conversations (±1.5 points) and never picks a zero-weight variant', () => {
    const n = 20_000;
    const counts: Record<string, number> = {};
    for (let i = 0; i < n; i++) {
      const v = assignVariant(experiment, `0198c2a1-${i.toString(16).padStart(8, '0')}`).id;
      counts[v] = (counts[v] ?? 0) + 1;
    }
    expect(counts['never']).toBeUndefined();
    expect(Math.abs((counts['a'] ?? 0) / n - 0.5)).toBeLessThan(0.015);
    expect(Math.abs((counts['b'] ?? 0) / n - 0.3)).toBeLessThan(0.015);
    expect(Math.abs((counts['c'] ?? 0) / n - 0.2)).toBeLessThan(0.015);
  });

  it('is recorded in the state at the start, and summarised for the conversation record', () => {
    const deps = makeDeps();
    const { state } = startConversation({ conversationId: 'conv-7' }, deps);
    expect(state.experiments).toEqual(assignExperiments(deps.flows, 'conv-7'));
    expect(Object.keys(state.experiments)).toEqual(['password-reset-shape']);
    expect(describeAssignments(state.experiments)).toMatch(/^password-reset-shape=(control|one-question|no-confirm)$/);
    expect(describeAssignments({})).toBe('default');
  });
});

describe('variants change what the customer sees', () => {
  it('control asks for the channel, then confirms', () => {
    runScript({
      name: 'v-control',
      experiments: { 'password-reset-shape': 'control' },
      steps: [
        [msg('reset my password', { intent: 'password.reset' }), { says: ['e-mail or your phone number?'] }],
        [msg('bob@example.com', { entities: [['email', 'bob@example.com']] }), { says: ['Shall I go ahead?'], actions: [] }],
      ],
    });
  });

  it('one-question runs flow version 2', () => {
    runScript({
      name: 'v-one-question',
      experiments: { 'password-reset-shape': 'one-question' },
      steps: [
        [msg('reset my password', { intent: 'password.reset' }), { says: ['Please type the e-mail address or phone number'] }],
        [msg('13800138000', { entities: [['phone', '+8613800138000']] }), { says: ['+8613800138000. Shall I go ahead?'] }],
        [msg('yes', { intent: 'affirm' }), { check: (r) => expect(r.actions[0]).toMatchObject({ type: 'create_ticket', fields: { flowVersion: '2' } }) }],
      ],
    });
  });

  it('no-confirm skips the confirmation step', () => {
    runScript({
      name: 'v-no-confirm',
      experiments: { 'password-reset-shape': 'no-confirm' },
      steps: [
        [msg('reset my password', { intent: 'password.reset' }), {}],
        [msg('bob@example.com', { entities: [['email', 'bob@example.com']] }), { says: ['reset request for bob@example.com is registered'], notSays: ['Shall I'], actions: ['create_ticket'] }],
      ],
    });
  });

  it('the outcome is reported on the turn that ends the conversation', () => {
    const deps = makeDeps();
    let { state } = startConversation({ conversationId: 'conv-outcome', language: 'en' }, deps);
    const first = handleTurn(state, msg('when do you open', { intent: 'kb.opening-hours' }), deps);
    expect(first.outcome).toBeUndefined();
    state = first.state;
    const last = handleTurn(state, msg('bye', { intent: 'goodbye' }), deps);
    expect(last.outcome).toBe('resolved');
    expect(last.state.experiments).toEqual(state.experiments);
  });
});

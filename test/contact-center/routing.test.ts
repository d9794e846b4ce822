import { describe, expect, it } from 'vitest';
import { chooseQueue, planOffers, planOverflows, queuePositions, type AgentSnapshot, type QueueDef, type WaitingConversation } from '../../src/contact-center/index.ts';

const queue = (id: string, over: Partial<QueueDef> = {}): QueueDef => ({ id, name: id, priority: 1, topics: [], overflowAfterSeconds: 120, serviceLevelSeconds: 60, extension: '', ...over });
const agent = (id: string, over: Partial<AgentSnapshot> = {}): AgentSnapshot => ({
  id,
  presence: 'available',
  languages: ['zh', 'en'],
  topics: [],
  chatCapacity: 2,
  voiceCapacity: 1,
  activeChats: 0,
  activeVoice: 0,
  hasPendingOffer: false,
  lastAssignedAt: null,
  ...over,
});
const waiter = (id: string, over: Partial<WaitingConversation> = {}): WaitingConversation => ({
  conversationId: id,
  queueId: 'general',
  channel: 'chat',
  language: 'en',
  queueEnteredAt: 0,
  waitingSince: 0,
  offeredTo: null,
  declines: [],
  ...over,
});
const QUEUES = [queue('general'), queue('cards', { priority: 5, topics: ['cards'], overflowTo: 'general', overflowAfterSeconds: 60 })];
const offersOf = (w: WaitingConversation[], a: AgentSnapshot[], now = 100_000) => planOffers(QUEUES, w, a, now, 30_000).map((o) => `${o.conversationId}→${o.agentId}`);

describe('planOffers', () => {
  it.each([
    ['the longest-idle agent gets the work', [waiter('c1')], [agent('a', { lastAssignedAt: 5000 }), agent('b', { lastAssignedAt: 1000 })], ['c1→b']],
    ['an agent who never worked counts as most idle', [waiter('c1')], [agent('a', { lastAssignedAt: 1 }), agent('b')], ['c1→b']],
    ['the customer language is a required skill', [waiter('c1', { language: 'zh' })], [agent('a', { languages: ['en'] }), agent('b', { languages: ['zh'], lastAssignedAt: 9 })], ['c1→b']],
    ['nobody with the language: nothing is offered', [waiter('c1', { language: 'zh' })], [agent('a', { languages: ['en'] })], []],
    ['queue topics are required skills', [waiter('c1', { queueId: 'cards' })], [agent('a'), agent('b', { topics: ['cards'], lastAssignedAt: 9 })], ['c1→b']],
    ['away, busy and offline agents get nothing', [waiter('c1')], [agent('a', { presence: 'away' }), agent('b', { presence: 'busy' }), agent('c', { presence: 'offline' })], []],
    ['a full agent gets nothing', [waiter('c1')], [agent('a', { activeChats: 2 })], []],
    ['voice capacity is separate from chat', [waiter('v1', { channel: 'voice' })], [agent('a', { activeChats: 2, activeVoice: 0 })], ['v1→a']],
    ['one voice call at a time', [waiter('v1', { channel: 'voice' })], [agent('a', { activeVoice: 1 })], []],
    ['an agent holds one offer at a time', [waiter('c1'), waiter('c2', { waitingSince: 5 })], [agent('a')], ['c1→a']],
    ['an agent with a pending offer gets no second one', [waiter('c2')], [agent('a', { hasPendingOffer: true })], []],
    ['an offered conversation is not offered again', [waiter('c1', { offeredTo: 'a' })], [agent('b')], []],
    ['higher-priority queues are served first', [waiter('c1', { waitingSince: 0 }), waiter('c2', { queueId: 'cards', waitingSince: 50 })], [agent('a', { topics: ['cards'] })], ['c2→a']],
    ['within a queue, the longest waiter first', [waiter('late', { waitingSince: 50 }), waiter('early', { waitingSince: 10 })], [agent('a')], ['early→a']],
    ['each waiter goes to a different agent', [waiter('c1'), waiter('c2', { waitingSince: 1 })], [agent('a', { lastAssignedAt: 1 }), agent('b', { lastAssignedAt: 2 })], ['c1→a', 'c2→b']],
  ])('%s', (_label, waiting, agents, expected) => {
    expect(offersOf(waiting, agents)).toEqual(expected);
  });

  it('skips an agent who just declined, in favour of another', () => {
    expect(offersOf([waiter('c1', { declines: [{ agentId: 'a', at: 99_000 }] })], [agent('a'), agent('b', { lastAssignedAt: 50 })])).toEqual(['c1→b']);
  });

  it('asks a decliner again only after the cooldown, when nobody else can take it', () => {
    const declined = waiter('c1', { declines: [{ agentId: 'a', at: 90_000 }] });
    expect(offersOf([declined], [agent('a')], 100_000)).toEqual([]);
    expect(offersOf([declined], [agent('a')], 121_000)).toEqual(['c1→a']);
  });

  it('never offers one conversation to two agents, nor two offers to one agent, at scale', () => {
    const waiting = Array.from({ length: 500 }, (_, i) => waiter(`c${i}`, { waitingSince: i, language: i % 3 === 0 ? 'zh' : 'en', channel: i % 10 === 0 ? 'voice' : 'chat' }));
    const agents = Array.from({ length: 30 }, (_, i) => agent(`a${i}`, { languages: i % 2 ? ['zh', 'en'] : ['en'], lastAssignedAt: i }));
    const offers = planOffers(QUEUES, waiting, agents, 0, 30_000);
    expect(offers.length).toBe(30);
    expect(new Set(offers.map((o) => o.conversationId)).size).toBe(offers.length);
    expect(new Set(offers.map((o) => o.agentId)).size).toBe(offers.length);
  });
});

describe('planOverflows', () => {
  it('moves a waiter that waited past the limit to the overflow queue, but not an offered one', () => {
    const waiting = [waiter('old', { queueId: 'cards', queueEnteredAt: 0 }), waiter('new', { queueId: 'cards', queueEnteredAt: 50_000 }), waiter('offered', { queueId: 'cards', offeredTo: 'a' })];
    expect(planOverflows(QUEUES, waiting, 61_000)).toEqual([{ conversationId: 'old', from: 'cards', to: 'general' }]);
  });
});

describe('queuePositions', () => {
  it('numbers waiters per queue in service order and estimates the wait from staffed capacity', () => {
    const waiting = [waiter('c1', { waitingSince: 1 }), waiter('c2', { waitingSince: 2 }), waiter('c3', { waitingSince: 3 })];
    const positions = queuePositions(QUEUES, waiting, [agent('a', { chatCapacity: 1 })], 120);
    expect([...positions.entries()].map(([id, p]) => [id, p.position, p.estimatedWaitSeconds])).toEqual([
      ['c1', 1, 60],
      ['c2', 2, 180],
      ['c3', 3, 300],
    ]);
  });
});

describe('chooseQueue', () => {
  const config = { defaultQueue: 'general', routes: [{ queue: 'cards', flows: ['lost-card'], intents: ['kb.fraud-report'], channels: [] as ('rest' | 'chat' | 'voice')[] }] };
  it.each([
    [{ flowId: 'lost-card', intent: null, channel: 'chat' as const }, 'cards'],
    [{ flowId: null, intent: 'kb.fraud-report', channel: 'voice' as const }, 'cards'],
    [{ flowId: 'password-reset', intent: 'agent.request', channel: 'chat' as const }, 'general'],
  ])('%j → %s', (handoff, expected) => expect(chooseQueue(config, handoff)).toBe(expected));
});

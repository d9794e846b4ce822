// Handoff to a human end to end over real sockets: queueing, offers, accept/decline/timeout,
// the handoff package, live replies both ways, transfer, hand-back, resolution, satisfaction,
// presence across reconnects, call-control webhooks for voice — and the supervisor figures.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signCallControl } from '../../src/contact-center/index.ts';
import { listDomainEvents } from '../../src/store/index.ts';
import { AgentClient } from '../support/agent-client.ts';
import { ChatClient } from '../support/chat-client.ts';
import { startTestAppliance, type TestAppliance } from '../support/appliance.ts';

let t: TestAppliance;
let webhook: { url: string; received: { headers: IncomingMessage['headers']; body: string }[]; close: () => Promise<void> };
let agentB: { token: string; id: string };

const SECRET = 'call-control-test-secret';

async function startWebhook() {
  const received: { headers: IncomingMessage['headers']; body: string }[] = [];
  let failuresLeft = 1; // the first delivery fails: the notifier must retry
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      if (failuresLeft-- > 0) {
        res.writeHead(503).end();
        return;
      }
      received.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/pbx`, received, close: () => new Promise<void>((r) => server.close(() => r())) };
}

beforeAll(async () => {
  webhook = await startWebhook();
  t = await startTestAppliance({
    contactCenter: {
      defaultQueue: 'general',
      queues: [
        { id: 'general', name: 'General', extension: '6000' },
        { id: 'cards', name: 'Cards', priority: 5, topics: ['cards'], overflowTo: 'general', overflowAfterSeconds: 2, extension: '6100' },
      ],
      routes: [{ queue: 'cards', flows: ['lost-card'], intents: ['card.lost'] }],
      offerTimeoutSeconds: 3,
      declineCooldownSeconds: 60,
      disconnectGraceSeconds: 1,
      callControl: { webhookUrl: webhook.url, secret: SECRET, maxAttempts: 3 },
    },
  });
  const res = await t.request('/v1/accounts', { method: 'POST', token: t.tokens.admin, json: { username: 'agent-b', password: 'agent b password 1', role: 'agent', displayName: 'Bo Chen' } });
  const id = ((await res.json()) as { id: string }).id;
  const login = await t.request('/v1/auth/login', { method: 'POST', json: { username: 'agent-b', password: 'agent b password 1' } });
  agentB = { token: ((await login.json()) as { accessToken: string }).accessToken, id };
});

afterAll(async () => {
  await t?.close();
  await webhook?.close();
});

async function customerAsksForPerson(language: 'zh' | 'en', lines: string[]) {
  const chat = await ChatClient.connect(t.url);
  chat.send({ type: 'hello', token: t.tokens.kiosk, language });
  const { conversationId } = await chat.next('welcome');
  for (const line of lines) await chat.say(line);
  return { chat, conversationId };
}

const setProfile = (id: string, profile: object) => t.request(`/v1/agents/${id}/profile`, { method: 'PUT', token: t.tokens.supervisor, json: profile });
const agentIdOf = async (token: string) => ((await (await t.request('/v1/auth/me', { token })).json()) as { subject: string }).subject.slice('account:'.length);

describe('handoff to an agent', () => {
  it('offers the conversation to a skilled agent, who sees the whole story, replies, resolves, and gets rated', async () => {
    const agentAId = await agentIdOf(t.tokens.agent);
    await setProfile(agentAId, { languages: ['zh'], topics: [] });
    await setProfile(agentB.id, { languages: ['en'], topics: [] });
    const { agent: a } = await AgentClient.connect(t.url, t.tokens.agent);
    const { agent: b } = await AgentClient.connect(t.url, agentB.token);
    a.send({ type: 'presence', presence: 'available' });
    b.send({ type: 'presence', presence: 'available' });
    await a.next('presence');

    const { chat, conversationId } = await customerAsksForPerson('zh', ['我的账号是6222020200112233', '我要转人工']);
    const offer = await a.next('offer', (m) => m.package.conversationId === conversationId);
    expect(b.has('offer')).toBe(false); // the English-only agent is not offered a Chinese customer
    const pkg = offer.package;
    expect(pkg.reason).toBe('customer_request');
    expect(pkg.language).toBe('zh');
    expect(pkg.transcript.map((x) => x.text)).toEqual(expect.arrayContaining(['我的账号是6222020200112233', '我要转人工']));
    expect(pkg.entities).toEqual(expect.arrayContaining([{ type: 'account_number', value: '6222020200112233' }]));
    expect(pkg.intents.some((i) => i.intent === 'agent.request')).toBe(true);
    expect(pkg.summary.length).toBeGreaterThan(0);
    expect(Date.parse(offer.expiresAt)).toBeGreaterThan(Date.now());
    expect(pkg.assignedAt).toBeNull(); // only offered so far
    // The customer is told where they stand.
    expect((await chat.next('queue')).position).toBe(1);

    a.send({ type: 'accept', conversationId });
    const assigned = await a.next('assigned');
    expect(assigned.package.conversationId).toBe(conversationId);
    // the accept time, on the server's clock like waitingSince: how long the customer waited
    expect(Date.parse(assigned.package.assignedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(assigned.package.waitingSince));
    const joined = await chat.next('status');
    expect(joined).toMatchObject({ status: 'with_agent' });
    expect(joined.agentName).toBeTruthy();

    // Customer → agent, with KB suggestions for the agent.
    chat.send({ type: 'message', text: '我的卡丢了怎么办' });
    const forwarded = await a.next('turns', (m) => m.turns.some((x) => x.speaker === 'customer'));
    expect(forwarded.turns[0]?.text).toBe('我的卡丢了怎么办');
    const suggestions = await a.next('suggestions');
    expect(suggestions.items.map((s) => s.articleId)).toContain('lost-card.zh');
    // No bot reply while a person has the conversation.
    expect(forwarded.turns.every((x) => x.speaker !== 'bot')).toBe(true);

    // Agent → customer.
    a.send({ type: 'reply', conversationId, text: '您好，我已为您冻结这张卡。' });
    const delivered = await chat.nextWhere('turns', (m) => m.turns.some((x) => x.speaker === 'agent'));
    expect(delivered.turns.find((x) => x.speaker === 'agent')?.text).toBe('您好，我已为您冻结这张卡。');
    // the turn names its author, for the customer and in the stored transcript
    expect(delivered.turns.find((x) => x.speaker === 'agent')?.author).toBe(joined.agentName);
    expect(t.app.conversations.get(conversationId).turns.find((x) => x.speaker === 'agent')?.author).toBe(joined.agentName);

    a.send({ type: 'resolve', conversationId, disposition: 'resolved', notes: 'Card frozen, replacement ordered', createTicket: true });
    expect((await a.next('released')).reason).toBe('resolved');
    await chat.next('csat_request');
    chat.send({ type: 'csat', score: 5, comment: '很好' });
    await chat.next('csat_thanks');

    const view = t.app.conversations.get(conversationId);
    expect(view.conversation.status).toBe('closed');
    expect(view.conversation.csat).toBe(5);
    const ab = t.app.db.prepare('SELECT csat FROM ab_assignments WHERE conversation_id = ?').get(conversationId) as { csat: number };
    expect(ab.csat).toBe(5);
    expect(t.app.db.prepare('SELECT count(*) AS n FROM tickets WHERE conversation_id = ?').get(conversationId)).toEqual({ n: 1 });
    const types = listDomainEvents(t.app.db, { aggregateId: conversationId }).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['handoff.queued', 'handoff.offered', 'handoff.accepted', 'conversation.agent_assigned', 'handoff.resolved', 'conversation.resolved', 'conversation.csat_recorded']));

    // Rating twice is refused.
    chat.send({ type: 'csat', score: 1 });
    expect((await chat.next('error')).error.code).toBe('CONVERSATION_STATE_CONFLICT');

    const stats = (await (await t.request('/v1/supervisor/stats', { token: t.tokens.supervisor })).json()) as { csat: { count: number; distribution: number[] }; handoffReasons: { reason: string }[] };
    expect(stats.csat.count).toBeGreaterThanOrEqual(1);
    expect(stats.csat.distribution[4]).toBeGreaterThanOrEqual(1);
    expect(stats.handoffReasons.map((r) => r.reason)).toContain('customer_request');
    a.close();
    b.close();
    chat.close();
    await a.closed;
    await b.closed;
  });

  it('re-offers to another agent after a decline, and after a missed offer sets the silent agent away', async () => {
    const agentAId = await agentIdOf(t.tokens.agent);
    await setProfile(agentAId, { languages: ['zh', 'en'] });
    await setProfile(agentB.id, { languages: ['zh', 'en'] });
    const { agent: a } = await AgentClient.connect(t.url, t.tokens.agent);
    const { agent: b } = await AgentClient.connect(t.url, agentB.token);
    a.send({ type: 'presence', presence: 'available' });
    b.send({ type: 'presence', presence: 'available' });
    await a.next('presence', (m) => m.presence === 'available');
    await b.next('presence', (m) => m.presence === 'available');

    const { chat, conversationId } = await customerAsksForPerson('en', ['agent please']);
    // Exactly one of them is offered it first (whoever has been idle longer).
    const deadline = Date.now() + 10_000;
    while (!a.has('offer') && !b.has('offer') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const first = a.has('offer') ? a : b;
    const second = first === a ? b : a;
    expect((await first.next('offer')).package.conversationId).toBe(conversationId);
    first.send({ type: 'decline', conversationId });
    expect((await first.next('offer_withdrawn')).reason).toBe('declined');
    const reoffer = await second.next('offer');
    expect(reoffer.package.conversationId).toBe(conversationId);

    // The second agent lets it time out: the offer is withdrawn and they are set away.
    expect((await second.next('offer_withdrawn', () => true, 10_000)).reason).toBe('timeout');
    expect((await second.next('presence', (m) => m.presence === 'away')).presence).toBe('away');
    const events = listDomainEvents(t.app.db, { aggregateId: conversationId }).map((e) => e.type);
    expect(events).toEqual(expect.arrayContaining(['handoff.offer_declined', 'handoff.offer_timeout']));
    a.close();
    b.close();
    chat.close();
    await a.closed;
    await b.closed;
  });

  it('keeps presence and assigned work across a desktop reload; transfer and hand-back reach the customer', async () => {
    // Whatever is still waiting from earlier tests is served first; drain it to agent B.
    const { agent: a } = await AgentClient.connect(t.url, t.tokens.agent);
    a.send({ type: 'presence', presence: 'available' });
    const { chat, conversationId } = await customerAsksForPerson('en', ['I want to talk to a person']);
    let offer = await a.next('offer');
    while (offer.package.conversationId !== conversationId) {
      a.send({ type: 'accept', conversationId: offer.package.conversationId });
      await a.next('assigned');
      offer = await a.next('offer');
    }
    a.send({ type: 'accept', conversationId });
    await a.next('assigned', (m) => m.package.conversationId === conversationId);
    a.send({ type: 'reply', conversationId, text: 'Let me look into that.' });
    await chat.nextWhere('turns', (m) => m.turns.some((x) => x.speaker === 'agent'));

    // Reload: a new socket within the grace period sees the same presence and assigned work,
    // its transcript with the name of whoever wrote each agent turn.
    a.close();
    await a.closed;
    const reloaded = await AgentClient.connect(t.url, t.tokens.agent);
    expect(reloaded.welcome.agent.presence).toBe('available');
    expect(reloaded.welcome.assigned.map((p) => p.conversationId)).toContain(conversationId);
    // a reloaded desk still knows when the conversation was answered
    expect(reloaded.welcome.assigned.find((p) => p.conversationId === conversationId)?.assignedAt).toEqual(expect.any(String));
    const transcript = reloaded.welcome.assigned.find((p) => p.conversationId === conversationId)?.transcript ?? [];
    expect(transcript.find((x) => x.speaker === 'agent')).toMatchObject({ text: 'Let me look into that.', author: reloaded.welcome.agent.name });

    reloaded.agent.send({ type: 'transfer', conversationId, queueId: 'cards', note: 'card question' });
    expect((await reloaded.agent.next('released')).reason).toBe('transferred');
    const transferNote = await chat.nextWhere('turns', (m) => m.turns.some((x) => x.speaker === 'system' && /transferred/.test(x.text)));
    expect(transferNote.turns[0]?.text).toMatch(/transferred to Cards/);

    // Nobody has the cards skill: it overflows to General after 2 s and comes back to an agent.
    const back = await reloaded.agent.next('offer', (m) => m.package.conversationId === conversationId, 15_000);
    expect(back.package.queueId).toBe('general');
    reloaded.agent.send({ type: 'accept', conversationId });
    await reloaded.agent.next('assigned', (m) => m.package.conversationId === conversationId);
    reloaded.agent.send({ type: 'hand_back', conversationId });
    expect((await reloaded.agent.next('released', (m) => m.conversationId === conversationId)).reason).toBe('handed_back');
    expect(t.app.conversations.record(conversationId).status).toBe('active');
    const botAgain = await chat.say('What are your opening hours?');
    expect(botAgain.turns.some((x) => x.speaker === 'bot' && x.citations.some((c) => c.articleId === 'opening-hours.en'))).toBe(true);
    expect(listDomainEvents(t.app.db, { aggregateId: conversationId }).map((e) => e.type)).toEqual(expect.arrayContaining(['handoff.transferred', 'handoff.overflowed', 'handoff.handed_back']));
    reloaded.agent.close();
    chat.close();
  });

  it('tells the PBX where to bridge a handed-off voice call, signed and retried, and pops the call on the desktop', async () => {
    const started = t.app.conversations.start({ channel: 'voice', language: 'en', actor: 'pbx:test', call: { callId: '0b6e3f5e-6f1c-4e2e-9a51-1d3f2a7c9e10', callerNumber: '+8613800138000' } });
    const { agent } = await AgentClient.connect(t.url, agentB.token);
    agent.send({ type: 'presence', presence: 'available' });
    t.app.conversations.postMessage(started.conversation.id, { text: 'agent please' }, 'pbx:test');
    const pop = await agent.next('call_control', (m) => m.event.conversationId === started.conversation.id);
    expect(pop.event).toMatchObject({ callId: '0b6e3f5e-6f1c-4e2e-9a51-1d3f2a7c9e10', queueId: 'general', extension: '6000', callerNumber: '+8613800138000' });

    const deadline = Date.now() + 10_000;
    while (webhook.received.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const [delivery] = webhook.received;
    expect(delivery).toBeDefined();
    const body = JSON.parse(delivery!.body) as { type: string; callId: string; extension: string };
    expect(body).toMatchObject({ type: 'call.route', callId: '0b6e3f5e-6f1c-4e2e-9a51-1d3f2a7c9e10', extension: '6000' });
    const timestamp = String(delivery!.headers['x-switchboard-timestamp']);
    expect(delivery!.headers['x-switchboard-signature']).toBe(signCallControl(SECRET, timestamp, delivery!.body));
    agent.close();
  });

  it('shows the queue board and refuses agents and kiosks on supervisor routes', async () => {
    const board = (await (await t.request('/v1/supervisor/board', { token: t.tokens.supervisor })).json()) as { queues: { id: string; waiting: number }[]; agents: { name: string; presence: string }[] };
    expect(board.queues.map((q) => q.id)).toEqual(['general', 'cards']);
    expect(board.agents.length).toBeGreaterThanOrEqual(2);
    for (const token of [t.tokens.agent, t.tokens.kiosk]) {
      const res = await t.request('/v1/supervisor/board', { token });
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('AUTH_FORBIDDEN');
    }
    const search = (await (await t.request('/v1/conversations?q=6222020200112233', { token: t.tokens.supervisor })).json()) as { items: { id: string }[] };
    expect(search.items.length).toBeGreaterThanOrEqual(1);
  });
});

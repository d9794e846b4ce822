// Multi-turn conversations end to end — real NLU, real dialog flows, real SQLite file — over
// REST (English) and the WebSocket chat (Chinese). Flow variants are assigned at random per
// conversation id, so the scripts answer whatever the bot asks, and assert outcomes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listDomainEvents } from '../../src/store/index.ts';
import { ChatClient } from '../support/chat-client.ts';
import { startTestAppliance, type TestAppliance } from '../support/appliance.ts';

type TurnOut = { speaker: string; text: string; citations: { articleId: string }[]; intent: string | null; entities: { type: string; value: string }[] };
type Added = { conversation: { id: string; status: string; handoff: { reason: string; context: Record<string, unknown> } | null }; turns: TurnOut[] };

let t: TestAppliance;
beforeAll(async () => {
  t = await startTestAppliance();
});
afterAll(async () => {
  await t?.close();
});

/** A REST customer: start() then say() returns the bot's replies to each message. */
async function restCustomer(language: 'en' | 'zh') {
  const res = await t.request('/v1/conversations', { method: 'POST', token: t.tokens.kiosk, json: { language } });
  expect(res.status).toBe(201);
  const started = (await res.json()) as { conversation: { id: string }; turns: TurnOut[] };
  const id = started.conversation.id;
  return {
    id,
    greeting: started.turns,
    async say(text: string) {
      const r = await t.request(`/v1/conversations/${id}/messages`, { method: 'POST', token: t.tokens.kiosk, json: { text } });
      expect(r.status).toBe(200);
      const body = (await r.json()) as Added;
      const bot = body.turns.filter((x) => x.speaker === 'bot');
      return { ...body, bot, text: bot.map((x) => x.text).join('\n'), cites: bot.flatMap((x) => x.citations.map((c) => c.articleId)) };
    },
  };
}

const ticketsOf = (conversationId: string) => t.app.db.prepare('SELECT subject, priority, description FROM tickets WHERE conversation_id = ?').all(conversationId) as { subject: string; priority: string; description: string }[];

describe('English over REST', () => {
  it('resets a password with a clarifying question, a digression and a confirmation, citing the article', async () => {
    const c = await restCustomer('en');
    expect(c.greeting[0]?.text).toMatch(/help/i);

    let r = await c.say('I forgot my password');
    expect(r.turns[0]?.intent).toBe('password.reset');
    expect(r.text).toMatch(/e-?mail/i);

    // Digression in the middle of slot filling: answered from the KB, then back to the question.
    r = await c.say('What time do you open on Saturday?');
    expect(r.cites).toContain('opening-hours.en');
    expect(r.text).toMatch(/Back to/);

    // Answer whatever the running variant asks: the channel first (v1) or the address directly (v2).
    if (/e-mail or your phone/i.test(r.text)) r = await c.say('e-mail');
    if (/tell me the e-mail|e-mail address or phone/i.test(r.text)) r = await c.say('li.wei@example.com');
    if (/Shall I|go ahead/i.test(r.text)) r = await c.say('yes');

    expect(r.text).toMatch(/li\.wei@example\.com/);
    expect(r.text).toMatch(/reference number is [0-9A-F]{8}/);
    expect(r.cites).toContain('password-reset.en');
    const [ticket] = ticketsOf(c.id);
    expect(ticket?.subject).toMatch(/password reset/i);
    expect(ticket?.description).toContain('li.wei@example.com');
    const events = listDomainEvents(t.app.db, {}).map((e) => e.type);
    expect(events).toEqual(expect.arrayContaining(['conversation.started', 'conversation.turn_added', 'ticket.created']));
  });

  it('remembers an account number given once and reuses it in a later flow, then hands off with the context', async () => {
    const c = await restCustomer('en');
    let r = await c.say('I lost my card');
    expect(r.text).toMatch(/last 4 digits|account number/i);
    r = await c.say('my account number is 6222020200112233');
    expect(r.text).toMatch(/2233/);
    r = await c.say('yes');
    expect(r.text).toMatch(/block/i);
    expect(ticketsOf(c.id).some((x) => x.priority === 'urgent')).toBe(true);

    // The statement flow needs an account number: it must not ask for it again.
    r = await c.say('I need an account statement');
    expect(r.text).not.toMatch(/tell me the account number/i);
    expect(r.text).toMatch(/month/i);

    r = await c.say('agent please');
    expect(r.conversation.status).toBe('awaiting_agent');
    expect(r.conversation.handoff?.reason).toBe('customer_request');
    const context = JSON.stringify(r.conversation.handoff?.context);
    expect(context).toContain('6222020200112233');
    expect(context).toContain('statement-request');
    // The A/B assignment made at start is recorded with the conversation's outcome.
    const ab = t.app.db.prepare('SELECT experiment, variant, outcome FROM ab_assignments WHERE conversation_id = ?').all(c.id) as { experiment: string; variant: string; outcome: string }[];
    expect(ab).toEqual([{ experiment: 'password-reset-shape', variant: expect.stringMatching(/^(control|one-question|no-confirm)$/), outcome: 'handoff' }]);

    // Further messages are stored, and the customer is told an agent is coming.
    r = await c.say('hello?');
    expect(r.text).toMatch(/agent/i);
    const view = (await (await t.request(`/v1/conversations/${c.id}`, { token: t.tokens.agent })).json()) as { turns: TurnOut[] };
    expect(view.turns.filter((x) => x.speaker === 'customer').map((x) => x.text)).toContain('hello?');
  });

  it('hands off instead of guessing when the customer is repeatedly out of scope', async () => {
    const c = await restCustomer('en');
    let r = await c.say('what is the weather on mars');
    expect(r.cites).toEqual([]);
    expect(r.conversation.status).toBe('active');
    r = await c.say('sing me a song about pirates');
    expect(r.cites).toEqual([]);
    expect(r.conversation.status).toBe('awaiting_agent');
    expect(['out_of_scope', 'repeated_misunderstanding']).toContain(r.conversation.handoff?.reason);
  });

  it('answers knowledge questions citing the right article', async () => {
    const c = await restCustomer('en');
    const cases: [string, string][] = [
      ['my card got stuck in the atm', 'atm-card-retained.en'],
      ['how much does it cost to send money abroad', 'international-transfer.en'],
      ['can I open an account online', 'account-opening.en'],
    ];
    for (const [q, article] of cases) expect((await c.say(q)).cites).toContain(article);
  });
});

describe('voice turns', () => {
  it('store the recognizer confidence and speaking time with the transcript', async () => {
    const started = t.app.conversations.start({ channel: 'voice', language: 'en', actor: 'pbx:test' });
    const added = t.app.conversations.postMessage(started.conversation.id, { text: 'agent', speech: { confidence: 0.83, audioMs: 640 } }, 'pbx:test');
    expect(added.turns[0]).toMatchObject({ speaker: 'customer', text: 'agent', speech: { confidence: 0.83, audioMs: 640 } });
    const res = await t.request(`/v1/conversations/${started.conversation.id}`, { token: t.tokens.agent });
    const view = (await res.json()) as { turns: { speaker: string; speech?: { confidence: number; audioMs: number } }[] };
    expect(view.turns.find((x) => x.speaker === 'customer')?.speech).toEqual({ confidence: 0.83, audioMs: 640 });
  });
});

describe('Chinese over the WebSocket chat', () => {
  it('reports a lost card with slot filling and confirmation, then asks for a person', async () => {
    const c = await ChatClient.connect(t.url);
    c.send({ type: 'hello', token: t.tokens.kiosk, language: 'zh' });
    const welcome = await c.next('welcome');
    expect(welcome.turns[0]?.text).toMatch(/您好/);

    let r = await c.say('我的银行卡丢了');
    expect(r.turns[0]?.intent).toMatch(/card\.lost|kb\.lost-card/);
    expect(r.botTexts.join()).toMatch(/后4位|尾号|账号/);

    r = await c.say('卡号尾号是1234');
    expect(r.botTexts.join()).toMatch(/1234/);
    r = await c.say('是的');
    expect(r.botTexts.join()).toMatch(/冻结|挂失/);
    expect(ticketsOf(welcome.conversationId).some((x) => x.priority === 'urgent')).toBe(true);

    r = await c.say('几点开门');
    expect(r.turns.flatMap((x) => x.citations.map((y) => y.articleId))).toContain('opening-hours.zh');

    r = await c.say('我要转人工');
    expect(r.status).toBe('awaiting_agent');
    expect(r.botTexts.join()).toMatch(/人工/);
    const stored = t.app.conversations.get(welcome.conversationId);
    expect(stored.conversation.handoff?.reason).toBe('customer_request');
    expect(stored.conversation.language).toBe('zh');
    c.close();
  });

  it('resets a password in Chinese', async () => {
    const c = await ChatClient.connect(t.url);
    c.send({ type: 'hello', token: t.tokens.kiosk, language: 'zh' });
    const { conversationId } = await c.next('welcome');
    let r = await c.say('我忘记网银密码了');
    expect(r.botTexts.join()).toMatch(/邮箱|手机号/);
    if (/邮箱还是手机号/.test(r.botTexts.join())) r = await c.say('手机号');
    if (!/确认吗|已为您登记/.test(r.botTexts.join())) r = await c.say('13800138000');
    if (/确认吗/.test(r.botTexts.join())) r = await c.say('是的');
    const text = r.botTexts.join();
    expect(text).toMatch(/\+8613800138000/);
    expect(text).toMatch(/受理编号/);
    expect(r.turns.flatMap((x) => x.citations.map((y) => y.articleId))).toContain('password-reset.zh');
    expect(ticketsOf(conversationId).length).toBe(1);
    // The customer was linked by the phone number they gave.
    expect(t.app.conversations.get(conversationId).conversation.customerId).toMatch(/^cust_/);
    c.close();
  });
});

// The reply language follows the customer turn by turn; a message with no language (digits,
// an e-mail address) keeps the conversation's language.
import { describe, expect, it } from 'vitest';
import { startConversation } from '../../src/dialog/index.ts';
import { CONTROL, demoFlows, makeDeps, msg, runScript } from './fixtures.ts';

describe('language', () => {
  it('greets in the requested language, else the default from settings.yaml (zh)', () => {
    const deps = makeDeps();
    const en = startConversation({ conversationId: 'g1', language: 'en', experimentAssignments: CONTROL }, deps);
    expect(en.replies[0]?.text).toContain('I am the branch assistant');
    expect(en.replies[0]?.text).toContain('reporting a lost or stolen card');
    const zh = startConversation({ conversationId: 'g2', experimentAssignments: CONTROL }, deps);
    expect(zh.replies[0]).toMatchObject({ language: 'zh' });
    expect(zh.replies[0]?.text).toContain('网点智能助手');
  });

  it('switches with the customer mid-flow and keeps it for language-less answers', () => {
    runScript({
      name: 'switch',
      language: 'en',
      steps: [
        [msg('I lost my card', { intent: 'card.lost' }), { says: ['last 4 digits'], check: (r) => expect(r.replies[0]?.language).toBe('en') }],
        [msg('我听不懂英文', { intent: null }), { says: ['卡号后四位'], check: (r) => expect(r.replies[0]?.language).toBe('zh') }],
        [msg('1234'), { says: ['冻结尾号1234'] }],
        [msg('yes', { intent: 'affirm' }), { says: ['ending 1234 is being blocked'], cites: ['lost-card.en'] }],
      ],
    });
  });

  it('every demo flow text exists in both languages', () => {
    for (const family of demoFlows().flows.values()) {
      for (const flow of family.versions.values()) {
        const texts = [flow.title, flow.complete.reply, ...flow.slots.flatMap((s) => [s.prompt, s.reprompt])];
        if (flow.confirm) texts.push(flow.confirm);
        for (const t of texts) {
          expect(t.en, `${flow.id} v${flow.version}`).toMatch(/\S/);
          expect(t.zh, `${flow.id} v${flow.version}`).toMatch(/\p{Script=Han}/u);
        }
      }
    }
  });
});

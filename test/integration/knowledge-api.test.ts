// The knowledge base over HTTP: search in both languages, editing with versions, import and
// export in every format, and a new article becoming answerable after the background retrain.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestAppliance, type TestAppliance } from '../support/appliance.ts';

let t: TestAppliance;
beforeAll(async () => {
  t = await startTestAppliance();
});
afterAll(async () => {
  await t?.close();
});

type Hit = { article: { id: string; title: string }; score: number; snippet: string };
const search = async (q: string, language?: string) => {
  const res = await t.request(`/v1/kb/search?q=${encodeURIComponent(q)}${language ? `&language=${language}` : ''}`, { token: t.tokens.kiosk });
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: Hit[] }).items;
};

describe('knowledge API', () => {
  it.each([
    ['I lost my card', 'en', 'lost-card.en'],
    ['what time do you open', 'en', 'opening-hours.en'],
    ['挂失', 'zh', 'lost-card.zh'],
    ['网银密码', 'zh', 'password-reset.zh'],
    ['我的卡被ATM吞了', 'zh', 'atm-card-retained.zh'],
  ])('search %j finds %s first', async (q, lang, id) => {
    const hits = await search(q, lang);
    expect(hits[0]?.article.id).toBe(id);
    expect(hits[0]?.snippet.length).toBeGreaterThan(0);
  });

  it('a two-character Chinese query (密码, "password/PIN") finds both password articles', async () => {
    const top = (await search('密码', 'zh')).slice(0, 3).map((h) => h.article.id);
    expect(top).toEqual(expect.arrayContaining(['password-reset.zh', 'card-pin-reset.zh']));
  });

  it('creates, versions, refuses a stale edit, and deletes an article', async () => {
    const create = await t.request('/v1/kb/articles', {
      method: 'POST',
      token: t.tokens.supervisor,
      json: { topic: 'parking', language: 'en', category: 'branch-services', title: 'Customer parking', body: 'Free parking for 1 hour behind the branch.', questions: ['where can I park'] },
    });
    expect(create.status).toBe(201);
    const article = (await create.json()) as { id: string; version: number };
    expect(article).toMatchObject({ id: 'parking.en', version: 1 });

    const dup = await t.request('/v1/kb/articles', { method: 'POST', token: t.tokens.supervisor, json: { topic: 'parking', language: 'en', category: 'branch-services', title: 'x', body: 'y' } });
    expect(((await dup.json()) as { error: { code: string } }).error.code).toBe('KB_ARTICLE_EXISTS');

    const edit = await t.request('/v1/kb/articles/parking.en', { method: 'PATCH', token: t.tokens.supervisor, headers: { 'if-match': '1' }, json: { body: 'Free parking for 2 hours behind the branch.' } });
    expect(edit.status).toBe(200);
    expect(((await edit.json()) as { version: number }).version).toBe(2);

    const stale = await t.request('/v1/kb/articles/parking.en', { method: 'PATCH', token: t.tokens.supervisor, headers: { 'if-match': '1' }, json: { body: 'Lost update' } });
    expect(stale.status).toBe(409);
    expect(((await stale.json()) as { error: { code: string } }).error.code).toBe('KB_VERSION_CONFLICT');

    const versions = (await (await t.request('/v1/kb/articles/parking.en/versions', { token: t.tokens.supervisor })).json()) as { items: { version: number; body: string }[] };
    expect(versions.items.map((v) => v.version)).toEqual([1, 2]);

    expect((await t.request('/v1/kb/articles/parking.en', { method: 'DELETE', token: t.tokens.admin })).status).toBe(204);
    const gone = await t.request('/v1/kb/articles/parking.en', { token: t.tokens.supervisor });
    expect(((await gone.json()) as { error: { code: string } }).error.code).toBe('KB_ARTICLE_NOT_FOUND');
  });

  it.each([
    ['json', 'application/json'],
    ['csv', 'text/csv'],
    ['markdown', 'text/markdown'],
  ])('exports as %s and imports the export back unchanged', async (format, type) => {
    const exported = await t.request(`/v1/kb/export?format=${format}&language=zh`, { token: t.tokens.supervisor });
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-type')).toContain(type);
    const text = await exported.text();
    expect(text).toContain('挂失');
    const imported = await t.request(`/v1/kb/import?format=${format}`, { method: 'POST', token: t.tokens.supervisor, headers: { 'content-type': type }, body: text });
    expect(imported.status).toBe(200);
    const result = (await imported.json()) as { created: number; updated: number; unchanged: number };
    expect(result.created + result.updated).toBe(0);
    expect(result.unchanged).toBeGreaterThanOrEqual(34);
  });

  it('refuses a bad import whole, listing each bad record, and writes nothing', async () => {
    const before = (await (await t.request('/v1/kb/articles?limit=1', { token: t.tokens.supervisor })).json()) as { total: number };
    const csv = 'topic,language,category,title,body\nnew-topic,en,fees,Good row,Fine body\nbad-row,fr,fees,French?,Non\nempty-title,en,fees,,Body\n';
    const res = await t.request('/v1/kb/import?format=csv', { method: 'POST', token: t.tokens.supervisor, headers: { 'content-type': 'text/csv' }, body: csv });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; details: { problems: { field: string }[] } } };
    expect(body.error.code).toBe('KB_IMPORT_INVALID');
    expect(body.error.details.problems.map((p) => p.field)).toEqual(expect.arrayContaining(['language', 'title']));
    const after = (await (await t.request('/v1/kb/articles?limit=1', { token: t.tokens.supervisor })).json()) as { total: number };
    expect(after.total).toBe(before.total);
  });

  it('a new article becomes something the bot answers, after a retrain that never stops conversations', async () => {
    const c = await t.request('/v1/conversations', { method: 'POST', token: t.tokens.kiosk, json: { language: 'en' } });
    const id = ((await c.json()) as { conversation: { id: string } }).conversation.id;
    const before = t.app.nlu.status().version;

    await t.request('/v1/kb/articles', {
      method: 'POST',
      token: t.tokens.supervisor,
      json: {
        topic: 'gold-bars',
        language: 'en',
        category: 'branch-services',
        title: 'Buying gold bars',
        body: 'Investment gold bars of 10 g to 1 kg can be bought at counter 3 with your ID.',
        questions: ['can I buy gold bars here', 'do you sell gold', 'where do I buy gold bullion', 'I want to invest in physical gold'],
      },
    });
    // Conversations keep being answered while the model retrains in its worker.
    const during = await t.request(`/v1/conversations/${id}/messages`, { method: 'POST', token: t.tokens.kiosk, json: { text: 'What are your opening hours?' } });
    expect(during.status).toBe(200);

    // Earlier edits may have scheduled retrains of their own: wait for the model that knows gold.
    const parse = async () => {
      const r = await t.request('/v1/nlu/parse', { method: 'POST', token: t.tokens.agent, json: { text: 'do you sell gold bars?' } });
      return ((await r.json()) as { intent: string | null }).intent;
    };
    const deadline = Date.now() + 60_000;
    while ((await parse()) !== 'kb.gold-bars' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(t.app.nlu.status().version).not.toBe(before);

    const res = await t.request(`/v1/conversations/${id}/messages`, { method: 'POST', token: t.tokens.kiosk, json: { text: 'do you sell gold bars?' } });
    const turns = ((await res.json()) as { turns: { speaker: string; intent: string | null; citations: { articleId: string }[] }[] }).turns;
    expect(turns[0]?.intent).toBe('kb.gold-bars');
    expect(turns.flatMap((x) => x.citations.map((y) => y.articleId))).toContain('gold-bars.en');
  });
});

describe('operations endpoints', () => {
  it('report liveness, readiness and Prometheus metrics', async () => {
    expect((await (await t.request('/healthz')).json()) as unknown).toEqual({ status: 'ok' });
    const ready = (await (await t.request('/readyz')).json()) as { ready: boolean; checks: Record<string, { ok: boolean }> };
    expect(ready).toMatchObject({ ready: true, checks: { database: { ok: true }, nlu: { ok: true } } });
    const metrics = await (await t.request('/metrics')).text();
    expect(metrics).toMatch(/switchboard_http_requests_total\{method="GET",route="\/v1\/kb\/search",status="200"\} \d+/);
    expect(metrics).toMatch(/switchboard_conversations_started_total\{channel="rest"\} [1-9]/);
    expect(metrics).toContain('switchboard_nlu_ready 1');
  });
});

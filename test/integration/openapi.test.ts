// The OpenAPI document at /v1/openapi.json describes exactly the routes the server has.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestAppliance, type TestAppliance } from '../support/appliance.ts';

let t: TestAppliance;
beforeAll(async () => {
  t = await startTestAppliance();
});
afterAll(async () => {
  await t?.close();
});

type Doc = { openapi: string; paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };

/** "/v1/kb/articles/:id" → "/v1/kb/articles/{id}" */
const toOpenApiPath = (p: string) => p.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

describe('OpenAPI document', () => {
  it('is served and is OpenAPI 3.1', async () => {
    const res = await t.request('/v1/openapi.json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as Doc;
    expect(doc.openapi).toBe('3.1.0');
  });

  it('lists every /v1 route the server answers, and no route it does not', async () => {
    const doc = (await (await t.request('/v1/openapi.json')).json()) as Doc;
    const documented = new Set(Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`)));
    const served = new Set(
      t.app.http.routes
        .filter((r) => r.path.startsWith('/v1/') && r.method !== 'ALL' && r.path !== '/v1/openapi.json')
        .map((r) => `${r.method} ${toOpenApiPath(r.path)}`),
    );
    expect([...served].sort()).toEqual([...documented].sort());
  });

  it('documents the error envelope on every operation', async () => {
    const doc = (await (await t.request('/v1/openapi.json')).json()) as Doc;
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const errorStatuses = Object.keys(op.responses).filter((s) => Number(s) >= 400);
        expect(errorStatuses.length, `${method} ${path} documents no error`).toBeGreaterThan(0);
      }
    }
  });

  it('answers a documented route with a body that matches the documented status', async () => {
    const res = await t.request('/v1/kb/search?q=card', { token: t.tokens.agent });
    expect(res.status).toBe(200);
  });
});

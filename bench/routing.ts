// Routing load test: 500 customers waiting at once for 30 agents over the real agent desktop
// WebSocket, with agents who accept, decline or miss offers. Counts double assignments (a
// conversation held by two agents at once, or assigned twice) and lost conversations (never
// resolved), and measures drain time and waits. Run: npm run bench:routing
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAppliance } from '../src/appliance/index.ts';
import { parseConfig } from '../src/config/index.ts';
import { silentLogger } from '../src/ops/index.ts';
import { AgentClient } from '../test/support/agent-client.ts';
import { machine, percentile, writeDocsSection, writeResults } from './report.ts';

const CUSTOMERS = Number(process.env.ROUTING_CUSTOMERS ?? 500);
const AGENTS = Number(process.env.ROUTING_AGENTS ?? 30);
const SEED = 42;

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function main() {
  const random = rng(SEED);
  const dataDir = mkdtempSync(join(tmpdir(), 'sb-bench-routing-'));
  const app = await startAppliance(
    parseConfig({
      host: '127.0.0.1',
      port: 0,
      dataDir,
      logLevel: 'silent',
      speech: { enabled: false },
      contactCenter: {
        defaultQueue: 'general',
        queues: [{ id: 'general', name: 'General' }],
        routes: [],
        offerTimeoutSeconds: 3,
        declineCooldownSeconds: 5,
        disconnectGraceSeconds: 30,
      },
    }),
    { logger: silentLogger },
  );
  const url = app.url;
  console.log(`routing bench: ${CUSTOMERS} waiting customers, ${AGENTS} agents (chat capacity 3), seed ${SEED}`);

  // Agents: accounts, sessions, desktops.
  const agents: { id: string; client: AgentClient; name: string }[] = [];
  for (let i = 0; i < AGENTS; i++) {
    const username = `bench-agent-${i}`;
    const password = `bench password ${i}x`;
    const account = await app.auth.createAccount({ username, password, role: 'agent', displayName: `Agent ${i}` }, 'system');
    const { accessToken } = await app.auth.login(username, password);
    const { agent } = await AgentClient.connect(url, accessToken);
    agents.push({ id: account.id, client: agent, name: username });
  }

  const holder = new Map<string, string>(); // conversation → agent holding it now
  const assignedCount = new Map<string, number>();
  const resolved = new Set<string>();
  const waitMs: number[] = [];
  const enqueuedAt = new Map<string, number>();
  let doubleAssignments = 0;
  let declines = 0;
  let missed = 0;

  for (const a of agents) {
    a.client.ws.on('message', (data) => {
      const msg = JSON.parse(data.toString()) as { type: string; package?: { conversationId: string }; presence?: string; conversationId?: string };
      if (msg.type === 'offer' && msg.package) {
        const id = msg.package.conversationId;
        const r = random();
        if (r < 0.1) {
          declines++;
          a.client.send({ type: 'decline', conversationId: id });
        } else if (r < 0.13) {
          missed++; // ignore it: the offer times out and the agent is set away
        } else {
          setTimeout(() => a.client.send({ type: 'accept', conversationId: id }), Math.floor(random() * 50));
        }
      } else if (msg.type === 'assigned' && msg.package) {
        const id = msg.package.conversationId;
        if (holder.has(id)) doubleAssignments++;
        holder.set(id, a.id);
        assignedCount.set(id, (assignedCount.get(id) ?? 0) + 1);
        if ((assignedCount.get(id) ?? 0) > 1) doubleAssignments++;
        waitMs.push(Date.now() - (enqueuedAt.get(id) ?? Date.now()));
        // Handle the customer for a moment, then resolve.
        setTimeout(() => {
          a.client.send({ type: 'resolve', conversationId: id, disposition: 'resolved', notes: '', createTicket: false });
        }, 100 + Math.floor(random() * 400));
      } else if (msg.type === 'released' && msg.conversationId) {
        holder.delete(msg.conversationId);
        resolved.add(msg.conversationId);
      } else if (msg.type === 'presence' && msg.presence === 'away') {
        // A real agent comes back to the desk after a while.
        setTimeout(() => a.client.send({ type: 'presence', presence: 'available' }), 1000);
      }
    });
  }

  // 500 customers ask for a person; nobody is available yet, so they all wait at once.
  const ids: string[] = [];
  for (let i = 0; i < CUSTOMERS; i++) {
    const c = app.conversations.start({ channel: 'chat', language: i % 2 ? 'zh' : 'en', actor: 'bench' });
    app.conversations.postMessage(c.conversation.id, { text: i % 2 ? '我要转人工' : 'agent please' }, 'bench');
    ids.push(c.conversation.id);
  }
  await new Promise((r) => setTimeout(r, 50));
  const waitingAtStart = app.contactCenter.queueCounts().reduce((n, q) => n + q.waiting, 0);
  console.log(`waiting at start: ${waitingAtStart}`);

  const started = Date.now();
  const rssStart = process.memoryUsage().rss;
  let rssPeak = rssStart;
  for (const id of ids) enqueuedAt.set(id, started);
  for (const a of agents) a.client.send({ type: 'presence', presence: 'available' });

  const deadline = started + 10 * 60_000;
  while (resolved.size < CUSTOMERS && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
  }
  const drainSeconds = (Date.now() - started) / 1000;

  // Lost = never resolved; also cross-check the store: every handoff row closed exactly once.
  const lost = ids.filter((id) => !resolved.has(id)).length;
  const rows = app.db.prepare(`SELECT status, count(*) AS n FROM handoffs GROUP BY status`).all() as { status: string; n: number }[];
  const accepts = app.db.prepare(`SELECT aggregate_id, count(*) AS n FROM domain_events WHERE type = 'handoff.accepted' GROUP BY aggregate_id HAVING n > 1`).all() as unknown[];
  doubleAssignments += accepts.length;
  const sortedWaits = [...waitMs].sort((a, b) => a - b);

  const results = {
    date: new Date().toISOString(),
    machine: machine(),
    customers: CUSTOMERS,
    agents: AGENTS,
    waitingAtStart,
    doubleAssignments,
    lost,
    declines,
    missedOffers: missed,
    drainSeconds,
    throughputPerSecond: CUSTOMERS / drainSeconds,
    waitSeconds: { p50: percentile(sortedWaits, 50) / 1000, p95: percentile(sortedWaits, 95) / 1000, max: (sortedWaits.at(-1) ?? 0) / 1000 },
    handoffRows: rows,
    rssMb: { start: rssStart / 1e6, peak: rssPeak / 1e6 },
  };
  console.log(`double assignments: ${doubleAssignments}`);
  console.log(`lost: ${lost}`);
  console.log(`declined offers: ${declines}, missed offers: ${missed}`);
  console.log(`drained ${CUSTOMERS} conversations in ${drainSeconds.toFixed(1)} s (${results.throughputPerSecond.toFixed(1)}/s)`);
  console.log(`wait to assignment p50 ${results.waitSeconds.p50.toFixed(1)} s, p95 ${results.waitSeconds.p95.toFixed(1)} s, max ${results.waitSeconds.max.toFixed(1)} s`);
  console.log(`rss start ${results.rssMb.start.toFixed(0)} MB, peak ${results.rssMb.peak.toFixed(0)} MB`);
  writeResults('routing', results);
  writeDocsSection(
    'routing',
    `## Routing under load

Command: \`npm run bench:routing\` (\`bench/routing.ts\`; raw figures in \`bench/results/routing.json\`).
${CUSTOMERS} customers ask for a person at once while no agent is available; then ${AGENTS} agents
(chat capacity 3 each) come online on the real agent-desktop WebSocket. Agents accept after
0–50 ms, decline 10% of offers and miss 3% (those time out after 3 s and the agent is set
away, returning 1 s later); each accepted conversation is resolved after 0.1–0.5 s.
Measured ${results.date.slice(0, 10)} on ${results.machine.cpus} × ${results.machine.cpuModel}, Node ${results.machine.node}.

| figure | value |
| --- | --- |
| double assignments | ${doubleAssignments} |
| lost conversations | ${lost} |
| declined / missed offers | ${declines} / ${missed} |
| drain time | ${drainSeconds.toFixed(1)} s (${results.throughputPerSecond.toFixed(1)} conversations/s) |
| wait until an agent accepted, p50 / p95 / max | ${results.waitSeconds.p50.toFixed(1)} / ${results.waitSeconds.p95.toFixed(1)} / ${results.waitSeconds.max.toFixed(1)} s |
| process RSS start / peak | ${results.rssMb.start.toFixed(0)} / ${results.rssMb.peak.toFixed(0)} MB |`,
  );
  for (const a of agents) a.client.close();
  await app.close();
  if (doubleAssignments > 0 || lost > 0) process.exitCode = 1;
}

await main();

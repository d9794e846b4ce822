// CRM sync faults with a real mosquitto: the appliance process SIGKILLed mid-publish and
// restarted on the same SQLite file, wrong broker credentials, and mutual TLS with a test CA.
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/index.ts';
import { runCrmBridge } from '../../src/sync/crm-bridge/index.ts';
import { startMosquitto, type Broker } from '../sync/helpers/mosquitto.ts';
import { makeTestPki } from '../sync/helpers/tls.ts';
import { expectExactlyOnceInOrder, seedEvents, startAppSync, syncConfig, tempDir, undelivered, waitFor } from '../sync/helpers/scenario.ts';

const CHILD = join(import.meta.dirname, '../sync/fixtures/publisher-child.ts');

describe('CRM sync under faults', () => {
  const closers: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const c of closers.reverse()) await c().catch(() => {});
  });
  const track = <T extends { stop?: () => Promise<void>; close?: () => Promise<void> }>(x: T): T => {
    closers.push(() => (x.close ? x.close() : x.stop!()));
    return x;
  };

  it('resumes exactly after the appliance process is SIGKILLed mid-publish', async () => {
    const broker: Broker = track(await startMosquitto());
    const dir = tempDir();
    const bridge = track(runCrmBridge({ brokerUrl: broker.url, storePath: join(dir, 'crm.db'), instanceId: 'kill' }));
    await bridge.ready;
    const dbPath = join(dir, 'app.db');
    const db = openDatabase({ path: dbPath });
    closers.push(async () => db.close());
    seedEvents(db, 10_000);

    const startChild = async (killAfter?: number): Promise<ChildProcess> => {
      const child = fork(CHILD, [dbPath, broker.url, 'app-kill', ...(killAfter ? [String(killAfter)] : [])], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
      closers.push(async () => child.kill('SIGKILL'));
      await new Promise<void>((resolve, reject) => {
        child.once('message', () => resolve());
        child.once('exit', (code, signal) => reject(new Error(`child exited early (${code ?? signal})`)));
      });
      return child;
    };
    const kill = async (child: ChildProcess) => {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    };

    const killedItself = (child: ChildProcess) => new Promise<NodeJS.Signals | null>((r) => child.once('exit', (_, signal) => r(signal)));
    let child = await startChild(1000);
    expect(await killedItself(child)).toBe('SIGKILL');
    const afterFirstKill = undelivered(db);
    expect(afterFirstKill).toBeLessThanOrEqual(9000);
    expect(afterFirstKill).toBeGreaterThan(0);
    seedEvents(db, 2000, { offset: 10_000 }); // the branch keeps working while the sync is down

    child = await startChild(1000);
    expect(await killedItself(child)).toBe('SIGKILL');
    expect(undelivered(db)).toBeLessThanOrEqual(afterFirstKill + 2000 - 1000);
    expect(undelivered(db)).toBeGreaterThan(0);

    child = await startChild();
    await waitFor('the backlog drained', () => undelivered(db) === 0, 60_000);
    await waitFor('the CRM applied all 12000', () => bridge.store.counts().applied === 12_000, 60_000);
    await kill(child);
    expectExactlyOnceInOrder(db, bridge.store, 12_000);
  });

  it('refuses wrong credentials: nothing is delivered, the backlog stays, status says why', async () => {
    const broker = track(await startMosquitto({ users: { branch: 'right-password', crm: 'crm-password' } }));
    const dir = tempDir();
    const bridge = track(runCrmBridge({ brokerUrl: broker.url, storePath: join(dir, 'crm.db'), instanceId: 'auth', username: 'crm', password: 'crm-password' }));
    await bridge.ready;
    const wrong = startAppSync(join(dir, 'app.db'), syncConfig({ brokerUrl: broker.url, clientId: 'app-auth', username: 'branch', password: 'wrong' }));
    seedEvents(wrong.db, 300);
    await waitFor('a refused attempt', () => wrong.sync.status().connection.failedAttempts >= 2, 10_000);
    const status = wrong.sync.status();
    expect(status.connection.state).not.toBe('connected');
    expect(status.connection.lastError).toMatch(/not authori[sz]ed|bad user ?name or password/i);
    expect(status.outbox.backlog).toBe(300);
    expect(JSON.stringify(status)).not.toContain('wrong'); // no secret in the status
    await wrong.close();

    const right = track(startAppSync(join(dir, 'app.db'), syncConfig({ brokerUrl: broker.url, clientId: 'app-auth', username: 'branch', password: 'right-password' })));
    await waitFor('delivery with the right password', () => bridge.store.counts().applied === 300, 20_000);
    await waitFor('all marked delivered', () => undelivered(right.db) === 0);
    expectExactlyOnceInOrder(right.db, bridge.store, 300);
  });

  it('connects with mutual TLS to a broker whose certificate a custom CA signed', async () => {
    const dir = tempDir();
    const pki = makeTestPki(dir);
    const broker = track(await startMosquitto({ tls: { ca: pki.ca, cert: pki.serverCert, key: pki.serverKey } }));
    const tls = { caFile: pki.ca, certFile: pki.clientCert, keyFile: pki.clientKey };
    const bridge = track(runCrmBridge({ brokerUrl: broker.url, storePath: join(dir, 'crm.db'), instanceId: 'tls', ...tls }));
    await bridge.ready;

    // Without a client certificate the broker refuses the handshake.
    const noCert = startAppSync(join(dir, 'nocert.db'), syncConfig({ brokerUrl: broker.url, clientId: 'app-nocert', caFile: pki.ca }));
    seedEvents(noCert.db, 10);
    await waitFor('a failed TLS attempt', () => noCert.sync.status().connection.failedAttempts >= 1, 10_000);
    expect(noCert.sync.status().outbox.backlog).toBe(10);
    await noCert.close();

    const app = track(startAppSync(join(dir, 'app.db'), syncConfig({ brokerUrl: broker.url, clientId: 'app-tls', ...tls })));
    seedEvents(app.db, 1000);
    app.sync.wake();
    await waitFor('delivery over TLS', () => bridge.store.counts().applied === 1000, 30_000);
    await waitFor('all marked delivered', () => undelivered(app.db) === 0);
    expectExactlyOnceInOrder(app.db, bridge.store, 1000);
  });
});

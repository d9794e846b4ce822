// Composition root: opens the database, seeds and loads knowledge, flows and the NLU model,
// wires the conversation service to HTTP and the WebSocket chat, and starts listening.
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { createAdaptorServer } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Server } from 'node:http';
import type { Config } from '../config/index.ts';
import { AuthService, CUSTOMER_CHANNELS, OAuthClients, TokenIssuer, loadOrCreateSecret } from '../auth/index.ts';
import { CHAT_PATH, createChatChannel } from '../channels/index.ts';
import { AGENT_PATH, CallControlNotifier, ContactCenter, createAgentChannel, registerContactCenterRoutes } from '../contact-center/index.ts';
import { ConversationService } from '../conversation/index.ts';
import { CustomerRepository, type CountryCode } from '../customers/index.ts';
import { loadFlows, type DialogDeps } from '../dialog/index.ts';
import { createHttpApp, type HttpDeps, type ReadinessReport } from '../http/index.ts';
import { KnowledgeBase, loadDemoArticles, seedKnowledgeBase } from '../knowledge/index.ts';
import { NluService, intentsFromArticles, loadIntentFiles, type TrainingCorpus } from '../nlu/index.ts';
import { createLogger, createMetrics, type Logger, type Metrics } from '../ops/index.ts';
import { SPEECH_PATH, startSpeechServices, type SpeechServices } from '../speech/index.ts';
import { openDatabase, type Db } from '../store/index.ts';
import { registerSyncRoutes, startSync, type SyncHandle } from '../sync/index.ts';
import { defaultWebDir, loadWebAssets } from './web-assets.ts';

export interface Appliance {
  config: Config;
  url: string;
  port: number;
  db: Db;
  logger: Logger;
  metrics: Metrics;
  auth: AuthService;
  knowledge: KnowledgeBase;
  nlu: NluService;
  conversations: ConversationService;
  contactCenter: ContactCenter;
  sync: SyncHandle;
  /** Speech recognition and the call ingress, or null when disabled. */
  speech: SpeechServices | null;
  /** The HTTP application (its route table is what the OpenAPI document must match). */
  http: ReturnType<typeof createHttpApp>;
  /** Path of the one-time admin bootstrap code, while no admin exists. */
  bootstrapCodePath: string;
  close(): Promise<void>;
}

export interface StartOptions {
  logger?: Logger;
  clock?: () => Date;
  webDir?: string;
  /** Delay before a knowledge change triggers a background retrain (coalesces bursts of edits). */
  retrainDebounceMs?: number;
}

const BOOTSTRAP_CODE_FILE = 'bootstrap-code';

export async function startAppliance(config: Config, options: StartOptions = {}): Promise<Appliance> {
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  const clock = options.clock ?? (() => new Date());
  const metrics = createMetrics();
  const dataDir = resolve(config.dataDir);
  const modelsDir = resolve(config.modelsDir);

  // The data directory holds customer records and secrets: only the appliance's user may read it.
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  chmodSync(dataDir, 0o700);
  const dbPath = join(dataDir, 'switchboard.db');
  const db = openDatabase({ path: dbPath });
  chmodSync(dbPath, 0o600);
  const jwtSecret = config.auth.jwtSecret ?? loadOrCreateSecret(dataDir, 'jwt-secret');
  const bootstrapCodePath = join(dataDir, BOOTSTRAP_CODE_FILE);
  const tokens = new TokenIssuer(jwtSecret, clock);
  const clients = new OAuthClients(db, tokens, config.auth.clientTokenTtlSeconds, clock);
  const auth = new AuthService(db, tokens, config.auth, () => (existsSync(bootstrapCodePath) ? loadOrCreateSecret(dataDir, BOOTSTRAP_CODE_FILE, 18) : null), clock);
  if (!auth.hasAdmin()) {
    loadOrCreateSecret(dataDir, BOOTSTRAP_CODE_FILE, 18);
    logger.warn({ bootstrapCodePath }, 'no administrator yet: create one with POST /v1/auth/bootstrap and the code in this file');
  } else {
    rmSync(bootstrapCodePath, { force: true });
  }

  const knowledge = new KnowledgeBase(db, { clock });
  if (config.knowledge.seedDemo) {
    const seeded = seedKnowledgeBase(knowledge, loadDemoArticles(join(modelsDir, 'knowledge', 'demo-kb.json')));
    if (seeded) logger.info({ created: seeded.created }, 'seeded the demo knowledge base');
  }
  const flows = loadFlows(join(modelsDir, 'flows'));

  const nlu = new NluService({ modelPath: join(dataDir, 'nlu-model.json'), logger });
  const corpus = (): TrainingCorpus => {
    const articles = knowledge.list({ status: 'published', limit: 500 }).items;
    return { intents: [...loadIntentFiles(join(modelsDir, 'nlu', 'intents')), ...intentsFromArticles(articles)] };
  };
  // Loading (or training) the NLU model and starting the recognizer processes overlap:
  // cold start is the longer of the two, not their sum.
  const nluStarted = nlu.start(corpus()).then(() => metrics.nluReady.set(1));

  const dialogDeps: DialogDeps = {
    flows,
    knowledge: {
      byTopic: (topic, language) => {
        const a = knowledge.findByTopic(topic, language);
        return a && a.status === 'published' ? a : null;
      },
      search: (text, language, limit) => {
        try {
          return knowledge.search(text, { language, limit });
        } catch {
          return []; // text with nothing searchable is simply no match for the dialog
        }
      },
    },
    now: clock,
    maxMisunderstandings: config.conversation.maxMisunderstandings,
  };
  const conversations = new ConversationService({
    db,
    nlu,
    dialog: () => dialogDeps,
    articleTitle: (id) => {
      try {
        return knowledge.get(id).title;
      } catch {
        return null;
      }
    },
    clock,
    logger: logger.child({ module: 'conversation' }),
    metrics,
    maxMessageChars: config.conversation.maxMessageChars,
    defaultPhoneRegion: config.customers.defaultPhoneRegion as CountryCode,
  });

  const speechStarted: Promise<SpeechServices | null> = config.speech.enabled
    ? startSpeechServices({
        config: config.speech,
        conversations,
        logger: logger.child({ module: 'speech' }),
        metrics,
        modelsDir,
        // Browsers cannot set headers on a WebSocket: the kiosk offers protocols ['vosk', 'bearer.<token>'].
        authorize: async (req) => {
          const offered = String(req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
          const token = offered.find((p) => p.startsWith('bearer.'))?.slice('bearer.'.length);
          if (!token) return false;
          try {
            return CUSTOMER_CHANNELS.includes((await auth.authenticate(token)).role);
          } catch {
            return false;
          }
        },
      })
    : Promise.resolve(null);
  const [speechResult, nluResult] = await Promise.allSettled([speechStarted, nluStarted]);
  if (speechResult.status === 'rejected' || nluResult.status === 'rejected') {
    if (speechResult.status === 'fulfilled') await speechResult.value?.close();
    throw nluResult.status === 'rejected' ? nluResult.reason : (speechResult as PromiseRejectedResult).reason;
  }
  const speech = speechResult.value;

  const customers = new CustomerRepository(db, { defaultRegion: config.customers.defaultPhoneRegion as CountryCode });
  const callControl = new CallControlNotifier({ ...config.contactCenter.callControl, logger: logger.child({ module: 'call-control' }) });
  const contactCenter = new ContactCenter({
    db,
    config: config.contactCenter,
    conversations,
    customer: (id) => {
      try {
        return customers.get(id);
      } catch {
        return null;
      }
    },
    articleTitle: (id) => {
      try {
        return knowledge.get(id).title;
      } catch {
        return null;
      }
    },
    suggest: (text, language) => knowledge.search(text, { language, limit: 3 }),
    callControl,
    logger: logger.child({ module: 'contact-center' }),
    clock,
  });
  contactCenter.start();

  const retrainNlu = async () => {
    const result = await nlu.retrain(corpus());
    logger.info({ version: result.version, trainedMs: result.trainedMs }, 'NLU retrained');
    return result;
  };
  let retrainTimer: NodeJS.Timeout | null = null;
  const knowledgeChanged = () => {
    if (retrainTimer) clearTimeout(retrainTimer);
    retrainTimer = setTimeout(() => {
      retrainTimer = null;
      retrainNlu().catch((err: unknown) => logger.error({ err }, 'background NLU retrain after a knowledge change failed'));
    }, options.retrainDebounceMs ?? 2000);
    retrainTimer.unref();
  };

  const sync: SyncHandle = startSync({
    db,
    config: config.sync,
    tenant: config.tenant,
    branchId: config.branchId,
    knowledge,
    customers,
    logger: logger.child({ module: 'sync' }),
    metrics,
    onKnowledgeChanged: knowledgeChanged,
    clock,
  });

  const readiness = (): ReadinessReport => {
    const checks: ReadinessReport['checks'] = {};
    try {
      db.prepare('SELECT 1').get();
      checks.database = { ok: true };
    } catch (err) {
      checks.database = { ok: false, detail: (err as Error).message };
    }
    const s = nlu.status();
    checks.nlu = s.ready ? { ok: true, detail: `model ${s.version}` } : { ok: false, detail: 'no model loaded' };
    if (speech) checks.speech = speech.readiness();
    return { ready: Object.values(checks).every((c) => c.ok), checks };
  };

  const deps: HttpDeps = {
    config,
    logger,
    metrics,
    auth,
    clients,
    conversations,
    knowledge,
    nlu,
    retrainNlu,
    knowledgeChanged,
    readiness,
    webAssets: loadWebAssets(options.webDir ?? defaultWebDir()),
    speechLanguages: () => speech?.languages() ?? [],
    extraRoutes: [(app) => registerContactCenterRoutes(app, { db, auth, contactCenter, conversations, clock }), (app) => registerSyncRoutes(app, { auth, sync })],
  };
  if (deps.webAssets.size === 0) logger.warn('kiosk page assets are missing: run "npm run build"');

  const app = createHttpApp(deps, { remoteAddress: (c) => getConnInfo(c).remote.address });
  const tls = config.tls.certFile && config.tls.keyFile ? { cert: readFileSync(config.tls.certFile), key: readFileSync(config.tls.keyFile) } : null;
  const server = (tls ? createAdaptorServer({ fetch: app.fetch, createServer: createHttpsServer, serverOptions: tls }) : createAdaptorServer({ fetch: app.fetch })) as Server;
  const chat = createChatChannel({ auth, conversations, logger, metrics, maxFrameBytes: config.conversation.maxBodyBytes });
  const agentDesk = createAgentChannel({ auth, contactCenter, logger, metrics, maxFrameBytes: config.conversation.maxBodyBytes });
  server.on('upgrade', (req, socket, head) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path === CHAT_PATH) chat.handleUpgrade(req, socket, head);
    else if (path === AGENT_PATH) agentDesk.handleUpgrade(req, socket, head);
    else if (path === SPEECH_PATH && speech) speech.handleUpgrade(req, socket, head);
    else socket.destroy();
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolveListen());
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  const url = `${tls ? 'https' : 'http'}://${shownHost}:${port}`;
  logger.info({ url, branchId: config.branchId, dataDir }, 'Switchboard is ready');

  let closed = false;
  return {
    config,
    url,
    port,
    db,
    logger,
    metrics,
    auth,
    knowledge,
    nlu,
    conversations,
    contactCenter,
    speech,
    sync,
    http: app,
    bootstrapCodePath,
    async close() {
      if (closed) return;
      closed = true;
      if (retrainTimer) clearTimeout(retrainTimer);
      contactCenter.close();
      await chat.close();
      await agentDesk.close();
      await speech?.close();
      await new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      });
      await sync.close();
      await nlu.close();
      db.close();
    },
  };
}

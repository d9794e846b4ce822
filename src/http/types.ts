// What the HTTP layer needs from the rest of the appliance: services, not storage.
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Principal, AuthService, OAuthClients } from '../auth/index.ts';
import type { Config } from '../config/index.ts';
import type { ConversationService } from '../conversation/index.ts';
import type { KnowledgeBase } from '../knowledge/index.ts';
import type { NluService } from '../nlu/index.ts';
import type { Logger, Metrics } from '../ops/index.ts';

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, { ok: boolean; detail?: string }>;
}

export interface HttpDeps {
  config: Config;
  logger: Logger;
  metrics: Metrics;
  auth: AuthService;
  clients: OAuthClients;
  conversations: ConversationService;
  knowledge: KnowledgeBase;
  nlu: NluService;
  /** Retrains the NLU from the intent files and the current knowledge base. */
  retrainNlu: () => Promise<{ version: string; trainedMs: number }>;
  /** Called after any knowledge change: schedules a background NLU retrain. */
  knowledgeChanged: () => void;
  readiness: () => ReadinessReport;
  /** Languages with working voice input (speech on, model installed); absent or empty = none. */
  speechLanguages?: () => readonly ('en' | 'zh')[];
  /** Static web assets (kiosk page) by URL path, served from memory. */
  webAssets: ReadonlyMap<string, { body: Uint8Array; contentType: string }>;
  /** Route families of other capabilities (contact center, sync), registered after the core ones. */
  extraRoutes?: readonly ((app: OpenAPIHono<AppEnv>) => void)[];
}

export interface AppEnv {
  Variables: { principal?: Principal; remoteAddress?: string };
}

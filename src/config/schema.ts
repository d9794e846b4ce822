// The one schema for everything configurable. Every option has a default that runs and a
// description; firmware-config profiles and SWITCHBOARD_* environment variables fill it.
import { z } from 'zod';
import { isSupportedCountry } from 'libphonenumber-js/max';
import { SpeechConfigSchema } from '../speech/config.ts';
import { SyncConfigSchema } from '../sync/config.ts';

const port = z.coerce.number().int().min(0).max(65535);

const QueueSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/).describe('Queue id used in routing rules, transfers and call-control events.'),
  name: z.string().min(1).describe('Name agents and supervisors see.'),
  priority: z.number().int().min(0).max(100).default(1).describe('Higher-priority queues are served first.'),
  topics: z.array(z.string().min(1)).default([]).describe('Agents need one of these topic skills (empty: any agent). The customer\'s language is always a required skill.'),
  overflowTo: z.string().optional().describe('Queue a conversation moves to when it has waited overflowAfterSeconds here.'),
  overflowAfterSeconds: z.number().int().min(1).default(120).describe('Wait before overflowing to overflowTo.'),
  serviceLevelSeconds: z.number().int().min(1).default(60).describe('Target time to answer, for the service-level figure.'),
  extension: z.string().default('').describe('PBX extension or queue the call is bridged to when a voice conversation lands here.'),
});

const RouteRuleSchema = z.object({
  queue: z.string().describe('Target queue id.'),
  flows: z.array(z.string()).default([]).describe('Dialog flow ids (the flow running at handoff) that route here.'),
  intents: z.array(z.string()).default([]).describe('Last recognised intents that route here.'),
  channels: z.array(z.enum(['rest', 'chat', 'voice'])).default([]).describe('Channels that route here (empty: any).'),
});

export const CONTACT_CENTER_DEFAULTS = {
  defaultQueue: 'general',
  queues: [
    { id: 'general', name: 'General', priority: 1, topics: [], overflowAfterSeconds: 120, serviceLevelSeconds: 60, extension: '6000' },
    { id: 'cards', name: 'Cards & fraud', priority: 5, topics: ['cards'], overflowTo: 'general', overflowAfterSeconds: 60, serviceLevelSeconds: 30, extension: '6100' },
  ],
  routes: [{ queue: 'cards', flows: ['lost-card'], intents: ['card.lost', 'kb.lost-card', 'kb.fraud-report', 'kb.atm-card-retained'], channels: [] }],
  offerTimeoutSeconds: 20,
  declineCooldownSeconds: 30,
  disconnectGraceSeconds: 30,
  averageHandleSeconds: 240,
  callControl: { webhookUrl: undefined, secret: undefined, maxAttempts: 5 },
};

export const ContactCenterConfigSchema = z
  .object({
    defaultQueue: z.string().default('general').describe('Queue for handoffs no routing rule matches.'),
    queues: z.array(QueueSchema).min(1).describe('Agent queues.'),
    routes: z.array(RouteRuleSchema).default([]).describe('First matching rule picks the queue for a handoff.'),
    offerTimeoutSeconds: z.number().int().min(3).max(600).default(20).describe('How long an agent has to accept an offer; a missed offer sets the agent away.'),
    declineCooldownSeconds: z.number().int().min(0).max(3600).default(30).describe('An agent who declined is not offered the same conversation again for this long (unless nobody else can take it).'),
    disconnectGraceSeconds: z.number().int().min(0).max(3600).default(30).describe('An agent whose desktop disconnects is set away after this long; their pending offer goes back to the queue.'),
    averageHandleSeconds: z.number().int().min(10).default(240).describe('Handle time assumed for wait estimates until enough conversations have been measured.'),
    callControl: z
      .object({
        webhookUrl: z.string().url().optional().describe('PBX endpoint told where to bridge a handed-off voice call (POST, JSON).'),
        secret: z.string().min(16).optional().describe('HMAC-SHA256 key for the X-Switchboard-Signature header of call-control webhooks.'),
        maxAttempts: z.number().int().min(1).max(20).default(5).describe('Delivery attempts (exponential backoff) before a call-control event is given up.'),
      })
      .default({ maxAttempts: 5 }),
  })
  .superRefine((cc, ctx) => {
    const ids = new Set(cc.queues.map((q) => q.id));
    if (!ids.has(cc.defaultQueue)) ctx.addIssue({ code: 'custom', path: ['defaultQueue'], message: `no queue "${cc.defaultQueue}"` });
    cc.queues.forEach((q, i) => {
      if (q.overflowTo && !ids.has(q.overflowTo)) ctx.addIssue({ code: 'custom', path: ['queues', i, 'overflowTo'], message: `no queue "${q.overflowTo}"` });
    });
    cc.routes.forEach((r, i) => {
      if (!ids.has(r.queue)) ctx.addIssue({ code: 'custom', path: ['routes', i, 'queue'], message: `no queue "${r.queue}"` });
    });
  });
export type ContactCenterConfig = z.infer<typeof ContactCenterConfigSchema>;

export const ConfigSchema = z
  .object({
    branchId: z.string().min(1).default('branch-demo').describe('Identifier of this branch office; stamped on every synced record.'),
    tenant: z.string().min(1).default('demo').describe('Tenant (organisation) this appliance belongs to.'),
    host: z.string().min(1).default('0.0.0.0').describe('Address the HTTP server binds to. 0.0.0.0 lets kiosks on the branch LAN reach it.'),
    port: port.default(8080).describe('HTTP port (kiosk page, REST API, WebSocket chat).'),
    dataDir: z.string().min(1).default('./data').describe('Directory for the SQLite database, trained models and generated secrets.'),
    modelsDir: z.string().min(1).default('./models').describe('Directory holding intent files, dialog flows, demo knowledge and speech models.'),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info').describe('Minimum level of the JSON logs written to stdout.'),
    auth: z
      .object({
        jwtSecret: z.string().min(32).optional().describe('HMAC secret for access tokens. When unset, a random one is generated on first start and kept in dataDir (mode 0600).'),
        accessTokenTtlSeconds: z.coerce.number().int().min(60).max(86_400).default(3600).describe('Lifetime of access tokens for accounts.'),
        kioskTokenTtlSeconds: z.coerce.number().int().min(60).max(7 * 86_400).default(12 * 3600).describe('Lifetime of kiosk session tokens.'),
        trustLoopbackKiosk: z.coerce.boolean().default(true).describe('A kiosk page opened on the appliance itself (loopback address) gets a kiosk session without a device token.'),
        clientTokenTtlSeconds: z.coerce.number().int().min(60).max(86_400).default(900).describe('Lifetime of OAuth client-credentials tokens for other systems (PBX, CRM bridge).'),
      })
      .default({ accessTokenTtlSeconds: 3600, kioskTokenTtlSeconds: 12 * 3600, trustLoopbackKiosk: true, clientTokenTtlSeconds: 900 })
      .describe('Sign-in, access tokens and kiosk trust.'),
    conversation: z
      .object({
        maxMessageChars: z.coerce.number().int().min(1).max(20_000).default(1000).describe('Longest customer message accepted, in characters.'),
        maxBodyBytes: z.coerce.number().int().min(1024).max(50 * 1024 * 1024).default(1024 * 1024).describe('Largest HTTP request body accepted (KB imports included).'),
        maxMisunderstandings: z.coerce.number().int().min(1).max(10).default(2).describe('Consecutive misunderstood messages before the bot hands the customer to an agent.'),
      })
      .default({ maxMessageChars: 1000, maxBodyBytes: 1024 * 1024, maxMisunderstandings: 2 })
      .describe('Limits of customer conversations.'),
    sync: SyncConfigSchema.prefault({}).describe('CRM sync over MQTT (off until brokerUrl is set; the outbox always fills).'),
    customers: z
      .object({
        defaultPhoneRegion: z
          .string()
          .refine((r) => isSupportedCountry(r), 'ISO country code, e.g. CN')
          .default('CN')
          .describe('Region for phone numbers written without a +country prefix.'),
      })
      .prefault({})
      .describe('Customer record hygiene.'),
    speech: SpeechConfigSchema.default(SpeechConfigSchema.parse({})).describe(
      'Offline speech: libvosk recognizer processes, the vosk-server WebSocket (/v1/speech and a dedicated port), Asterisk AudioSocket calls, eSpeak NG replies.',
    ),
    tls: z
      .object({
        certFile: z.string().min(1).optional().describe('PEM certificate (chain) for HTTPS. With keyFile set, the API, kiosk page and WebSockets are served over TLS only.'),
        keyFile: z.string().min(1).optional().describe('PEM private key for certFile (keep it mode 0600). "switchboard tls generate" makes a self-signed pair.'),
      })
      .default({})
      .refine((t) => Boolean(t.certFile) === Boolean(t.keyFile), { message: 'set both certFile and keyFile, or neither' })
      .describe('HTTPS for the appliance\'s own listener.'),
    contactCenter: ContactCenterConfigSchema.default(CONTACT_CENTER_DEFAULTS).describe('Agent queues, routing rules, offer timing and PBX call control.'),
    knowledge: z
      .object({
        seedDemo: z.coerce.boolean().default(true).describe('Load the bundled demo knowledge base into an empty database on first start.'),
      })
      .default({ seedDemo: true })
      .describe('The local knowledge base.'),
  })
  .strict();

export type Config = z.infer<typeof ConfigSchema>;

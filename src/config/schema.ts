// The one schema for everything configurable. Every option has a default that runs and a
// description; firmware-config profiles and SWITCHBOARD_* environment variables fill it.
import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);

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
      })
      .default({ accessTokenTtlSeconds: 3600, kioskTokenTtlSeconds: 12 * 3600, trustLoopbackKiosk: true }),
    conversation: z
      .object({
        maxMessageChars: z.coerce.number().int().min(1).max(20_000).default(1000).describe('Longest customer message accepted, in characters.'),
        maxBodyBytes: z.coerce.number().int().min(1024).max(50 * 1024 * 1024).default(1024 * 1024).describe('Largest HTTP request body accepted (KB imports included).'),
        maxMisunderstandings: z.coerce.number().int().min(1).max(10).default(2).describe('Consecutive misunderstood messages before the bot hands the customer to an agent.'),
      })
      .default({ maxMessageChars: 1000, maxBodyBytes: 1024 * 1024, maxMisunderstandings: 2 }),
    knowledge: z
      .object({
        seedDemo: z.coerce.boolean().default(true).describe('Load the bundled demo knowledge base into an empty database on first start.'),
      })
      .default({ seedDemo: true }),
  })
  .strict();

export type Config = z.infer<typeof ConfigSchema>;

// Configuration of the CRM sync (the `sync` section of the appliance config). Tenant and
// branch come from the main config; everything here has a default that runs offline.
import { z } from 'zod';

const ms = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

export const SyncConfigSchema = z
  .object({
    brokerUrl: z
      .string()
      .regex(/^(mqtts?|wss?|tcp|ssl):\/\/[^\s]+$/, 'must be an mqtt://, mqtts://, ws:// or wss:// URL')
      .optional()
      .describe('Central MQTT broker, e.g. mqtts://crm-broker.bank.local:8883. Unset: sync is off, but every change still queues in the outbox and is sent once a broker is configured.'),
    clientId: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,64}$/)
      .optional()
      .describe('MQTT client id; default "switchboard-<tenant>-<branchId>". Must be stable: the broker keeps this session (and the CRM updates queued for it) across outages.'),
    username: z.string().min(1).optional().describe('Broker user name.'),
    password: z.string().min(1).optional().describe('Broker password (prefer passwordFile; never logged).'),
    passwordFile: z.string().min(1).optional().describe('File holding the broker password (first line).'),
    caFile: z.string().min(1).optional().describe('PEM file of the CA that signed the broker certificate (custom/private CA).'),
    certFile: z.string().min(1).optional().describe('PEM client certificate for mutual TLS.'),
    keyFile: z.string().min(1).optional().describe('PEM private key of the client certificate.'),
    rejectUnauthorized: z.coerce.boolean().default(true).describe('Verify the broker certificate against caFile (or the system CAs). Only turn off on a lab bench.'),
    topicPrefix: z
      .string()
      .regex(/^[^#+\s]+[^/#+\s]$/, 'must not contain wildcards or spaces, nor end with "/"')
      .default('switchboard/v1')
      .describe('Root of every topic: <prefix>/<tenant>/<branchId>/events/<aggregate> outbound, <prefix>/<tenant>/<branchId|_all>/down/# inbound.'),
    batchSize: ms(1, 5000).default(1000).describe('Events read from the outbox per batch.'),
    maxInFlight: ms(1, 65_000).default(2000).describe('Publishes awaiting PUBACK at any time (bounded window).'),
    keepaliveSeconds: ms(1, 3600).default(30).describe('MQTT keepalive; a dead link is noticed after about 1.5× this.'),
    connectTimeoutMs: ms(500, 120_000).default(10_000).describe('Give up a connection attempt (TCP+TLS+CONNACK) after this long.'),
    sessionExpirySeconds: ms(0, 2_147_483_647).default(7 * 86_400).describe('How long the broker keeps this appliance\'s session (its subscription and the CRM updates queued for it) while the branch is offline.'),
    backoff: z
      .object({
        initialMs: ms(10, 60_000).default(500).describe('First reconnect delay.'),
        maxMs: ms(100, 3_600_000).default(30_000).describe('Largest reconnect delay; with jitter the wait is between half and all of it.'),
        multiplier: z.coerce.number().min(1.1).max(10).default(2).describe('Growth factor of the delay per failed attempt.'),
      })
      .prefault({})
      .describe('Reconnect delays: exponential with jitter (each wait is uniformly between half and all of the current delay).'),
    requireSubscriber: z.coerce
      .boolean()
      .default(true)
      .describe('Count a PUBACK "no matching subscribers" as not delivered (retry later): the central broker would otherwise accept and drop events while no CRM bridge is subscribed.'),
    pollIntervalMs: ms(10, 60_000).default(200).describe('How often an idle publisher looks for new outbox events.'),
    ackFlushMs: ms(1, 5000).default(20).describe('Acknowledged events are marked delivered in batches at most this often (a crash before that only causes a duplicate the CRM ignores).'),
    maxInboundBytes: ms(1024, 16 * 1024 * 1024).default(256 * 1024).describe('Largest inbound message applied; larger ones are dead-lettered.'),
    retention: z
      .object({
        deliveredDays: z.coerce.number().min(0).max(3650).default(30).describe('Delivered events are deleted after this many days. Undelivered events are never deleted.'),
        inboxDays: z.coerce.number().min(1).max(3650).default(30).describe('Inbound message ids are remembered (for dedupe) this long.'),
        deadLetterDays: z.coerce.number().min(1).max(3650).default(90).describe('Dead letters are kept this long for inspection.'),
        intervalMs: ms(1000, 86_400_000).default(3_600_000).describe('How often pruning and the disk check run.'),
        minFreeDiskBytes: z.coerce.number().int().min(0).default(512 * 1024 * 1024).describe('Alert when the data directory\'s file system has less free space than this.'),
        maxBacklogEvents: z.coerce.number().int().min(1).default(1_000_000).describe('Alert when more events than this wait for delivery (nothing is dropped).'),
      })
      .prefault({}),
  })
  .strict();

export type SyncConfig = z.infer<typeof SyncConfigSchema>;

// `switchboard crm-bridge`: runs the reference CRM bridge, or publishes KB/customer updates
// from a JSON file down to branches (`switchboard crm-bridge publish ...`).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createLogger } from '../../ops/index.ts';
import { ALL_BRANCHES, InboundMessageSchema } from '../protocol.ts';
import { runCrmBridge, type CrmBridgeOptions } from './bridge.ts';

export const CRM_BRIDGE_USAGE = `Usage: switchboard crm-bridge [run] --broker URL --store FILE [options]
       switchboard crm-bridge publish --broker URL --tenant T [--branch B] --file UPDATES.json

Consumes branch events via the MQTT 5 shared subscription $share/<group>/<prefix>/+/+/events/#,
applies each exactly once (by event id, in per-customer order) to a SQLite CRM store, and
optionally forwards them to a CRM HTTP endpoint. Start several instances with the same
--group to split the load. "publish" sends KB/customer updates (a JSON array of contract
messages, see docs/mqtt-contract.md) to one branch, or to all branches without --branch.

Options:
  --broker URL         mqtt://, mqtts://, ws:// or wss:// (env CRM_BRIDGE_BROKER)
  --store FILE         CRM store SQLite file (default ./crm.db)
  --group NAME         shared subscription group (default crm-bridge)
  --instance ID        instance id, part of the MQTT client id (default: process id)
  --prefix PREFIX      topic prefix (default switchboard/v1)
  --username NAME      broker user (password from env CRM_BRIDGE_PASSWORD or --password-file)
  --password-file F    file with the broker password
  --ca F --cert F --key F   TLS: CA, client certificate and key (mutual TLS)
  --forward-url URL    POST each applied event here with Idempotency-Key
  --log-level LEVEL    info (default), debug, warn, …`;

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      broker: { type: 'string' },
      store: { type: 'string' },
      group: { type: 'string' },
      instance: { type: 'string' },
      prefix: { type: 'string' },
      username: { type: 'string' },
      'password-file': { type: 'string' },
      ca: { type: 'string' },
      cert: { type: 'string' },
      key: { type: 'string' },
      'forward-url': { type: 'string' },
      tenant: { type: 'string' },
      branch: { type: 'string' },
      file: { type: 'string' },
      'log-level': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(CRM_BRIDGE_USAGE);
    return 0;
  }
  const command = positionals[0] ?? 'run';
  const broker = values.broker ?? env.CRM_BRIDGE_BROKER;
  if (!broker || (command !== 'run' && command !== 'publish')) {
    console.error(`crm-bridge: ${broker ? `unknown command "${command}"` : '--broker is required'}\n\n${CRM_BRIDGE_USAGE}`);
    return 2;
  }
  const logger = createLogger({ level: values['log-level'] ?? 'info', name: 'crm-bridge' });
  const password = env.CRM_BRIDGE_PASSWORD ?? (values['password-file'] ? readFileSync(values['password-file'], 'utf8').split(/\r?\n/)[0] : undefined);
  const options: CrmBridgeOptions = { brokerUrl: broker, storePath: values.store ?? './crm.db', logger };
  const optional = { instanceId: values.instance, group: values.group, topicPrefix: values.prefix, username: values.username, password, caFile: values.ca, certFile: values.cert, keyFile: values.key, forwardUrl: values['forward-url'] };
  for (const [k, v] of Object.entries(optional)) if (v !== undefined) (options as unknown as Record<string, unknown>)[k] = v;

  if (command === 'publish') {
    if (!values.tenant || !values.file) {
      console.error('crm-bridge publish: --tenant and --file are required');
      return 2;
    }
    const raw: unknown = JSON.parse(readFileSync(values.file, 'utf8'));
    const messages = (Array.isArray(raw) ? raw : [raw]).map((m) => InboundMessageSchema.parse(m));
    const bridge = runCrmBridge({ ...options, storePath: ':memory:', instanceId: `publisher-${process.pid}`, consume: false });
    await bridge.ready;
    for (const m of messages) await bridge.publishDown({ tenant: values.tenant, branch: values.branch ?? ALL_BRANCHES }, m);
    await bridge.close();
    console.log(`published ${messages.length} update(s)`);
    return 0;
  }

  const bridge = runCrmBridge(options);
  await bridge.ready;
  logger.info({ store: options.storePath, group: options.group ?? 'crm-bridge' }, 'CRM bridge running');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await bridge.close();
  logger.info(bridge.stats(), 'CRM bridge stopped');
  return 0;
}

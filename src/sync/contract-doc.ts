// Builds the AsyncAPI 3 document of the MQTT contract from the validators in protocol.ts, so
// docs/asyncapi.yaml cannot drift from the code (test/sync/contract.test.ts compares them).
// Rewrite the file with: npx tsx src/sync/contract-doc.ts --write
import { writeFileSync } from 'node:fs';
import { z } from 'zod';
import { stringify } from 'yaml';
import { CONTRACT_VERSION, EVENT_PAYLOADS, InboundMessageSchema, OutboundEventSchema } from './protocol.ts';

const jsonSchema = (s: z.ZodType) => z.toJSONSchema(s, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' });

export function buildAsyncApi(): Record<string, unknown> {
  const params = {
    tenant: { description: 'Tenant (organisation) of the branch: config "tenant".' },
    branch: { description: 'Branch id (config "branchId"); "_all" on downlink topics addresses every branch of the tenant.' },
  };
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Switchboard CRM sync',
      version: `${CONTRACT_VERSION}.0.0`,
      description:
        'Branch appliances publish every domain event (QoS 1, at least once, idempotency key eventId, ordered per partition) and receive knowledge-base and customer updates from the central CRM. See docs/mqtt-contract.md for delivery, ordering and scaling rules.',
    },
    defaultContentType: 'application/json',
    channels: {
      branchEvents: {
        address: 'switchboard/v1/{tenant}/{branch}/events/{aggregate}',
        parameters: { ...params, aggregate: { enum: ['conversation', 'turn', 'handoff', 'ticket', 'customer', 'article', 'account', 'device', 'nlu'] } },
        messages: { branchEvent: { $ref: '#/components/messages/BranchEvent' } },
      },
      kbDown: {
        address: 'switchboard/v1/{tenant}/{branch}/down/kb',
        parameters: params,
        messages: { crmUpdate: { $ref: '#/components/messages/CrmUpdate' } },
      },
      customersDown: {
        address: 'switchboard/v1/{tenant}/{branch}/down/customers',
        parameters: params,
        messages: { crmUpdate: { $ref: '#/components/messages/CrmUpdate' } },
      },
    },
    operations: {
      publishBranchEvent: { action: 'send', channel: { $ref: '#/channels/branchEvents' }, bindings: { mqtt: { qos: 1, retain: false } } },
      receiveKbUpdate: { action: 'receive', channel: { $ref: '#/channels/kbDown' }, bindings: { mqtt: { qos: 1 } } },
      receiveCustomerUpdate: { action: 'receive', channel: { $ref: '#/channels/customersDown' }, bindings: { mqtt: { qos: 1 } } },
    },
    components: {
      messages: {
        BranchEvent: { name: 'BranchEvent', contentType: 'application/json', payload: { $ref: '#/components/schemas/BranchEvent' } },
        CrmUpdate: { name: 'CrmUpdate', contentType: 'application/json', payload: { $ref: '#/components/schemas/CrmUpdate' } },
      },
      schemas: {
        BranchEvent: jsonSchema(OutboundEventSchema),
        CrmUpdate: jsonSchema(InboundMessageSchema),
        // The payload shapes a consumer can rely on, one schema per event type (BranchEvent.type);
        // payloads of other types are free-form JSON objects.
        ...Object.fromEntries(
          Object.entries(EVENT_PAYLOADS).map(([type, schema]) => [`payload.${type}`, { ...jsonSchema(schema), description: `payload of a BranchEvent whose type is "${type}"` }]),
        ),
      },
    },
  };
}

export function renderAsyncApi(): string {
  return `# Generated from src/sync/protocol.ts by src/sync/contract-doc.ts: do not edit by hand.\n${stringify(buildAsyncApi(), { lineWidth: 0, aliasDuplicateObjects: false })}`;
}

if (process.argv.includes('--write')) {
  writeFileSync(new URL('../../docs/asyncapi.yaml', import.meta.url), renderAsyncApi());
  console.log('wrote docs/asyncapi.yaml');
}

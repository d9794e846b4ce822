// The device-profile JSON Schema (firmware-config/schema.json) is generated from the one zod
// config schema, so editors and provisioning tools validate profiles by the same rules.
import { z } from 'zod';
import { ConfigSchema } from './schema.ts';

export function configJsonSchema(): Record<string, unknown> {
  // Input shape: what a profile may contain (defaults make every field optional).
  const schema = z.toJSONSchema(ConfigSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return {
    ...schema,
    $id: 'https://switchboard.local/firmware-config/schema.json',
    title: 'Switchboard device profile',
    description: 'Configuration of one Switchboard appliance. Every field is optional; SWITCHBOARD_<OPTION> environment variables override it.',
  };
}

export function configJsonSchemaText(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}

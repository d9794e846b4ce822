import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.ts';

describe('shipped device profiles', () => {
  const dir = join(import.meta.dirname, '..', '..', 'firmware-config');
  const profiles = readdirSync(dir).filter((f) => f.endsWith('.yaml'));

  it('has at least one profile', () => expect(profiles.length).toBeGreaterThan(0));

  it.each(profiles)('%s validates against the config schema', (name) => {
    const config = loadConfig({ profilePath: join(dir, name), env: {} });
    expect(config.branchId.length).toBeGreaterThan(0);
  });
});

describe('firmware-config/schema.json', () => {
  it('is the JSON Schema generated from the config schema (run npm run config:schema after changing it)', async () => {
    const { readFileSync } = await import('node:fs');
    const { configJsonSchemaText } = await import('../../src/config/index.ts');
    const committed = readFileSync(join(import.meta.dirname, '..', '..', 'firmware-config', 'schema.json'), 'utf8');
    expect(committed).toBe(configJsonSchemaText());
  });

  it('documents every option with a description', async () => {
    const { configJsonSchema } = await import('../../src/config/index.ts');
    const schema = configJsonSchema() as { properties: Record<string, { description?: string }> };
    for (const [name, prop] of Object.entries(schema.properties)) expect(prop.description, name).toBeTruthy();
  });
});

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

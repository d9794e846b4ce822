// Regenerates firmware-config/schema.json from the config schema: npm run config:schema
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { configJsonSchemaText } from '../src/config/index.ts';

const path = join(import.meta.dirname, '..', 'firmware-config', 'schema.json');
writeFileSync(path, configJsonSchemaText());
console.log(`wrote ${path}`);

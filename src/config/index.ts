// Public face of configuration: the schema, its type and the loader.
export { ConfigSchema, ContactCenterConfigSchema, type Config, type ContactCenterConfig } from './schema.ts';
export { loadConfig, parseConfig, envOverrides, type LoadConfigOptions } from './load.ts';
export { configJsonSchema, configJsonSchemaText } from './json-schema.ts';

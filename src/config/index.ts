// Public face of configuration: the schema, its type and the loader.
export { ConfigSchema, type Config } from './schema.ts';
export { loadConfig, parseConfig, envOverrides, type LoadConfigOptions } from './load.ts';

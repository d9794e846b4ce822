// Public face of the store: the SQLite handle, migrations, ids and the domain event log.
export { openDatabase, migrate, type Db, type OpenOptions } from './database.ts';
export { MIGRATIONS, type Migration } from './migrations/index.ts';
export { recordDomainEvent, listDomainEvents, type DomainEvent, type DomainEventInput } from './events.ts';
export { newId, uuidv7 } from './ids.ts';

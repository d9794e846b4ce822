// Consistent backups of the appliance database while it runs (SQLite online backup), verified
// before they are trusted, and restores that refuse a damaged or newer-schema file.
import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { AppError } from '../errors/index.ts';
import { MIGRATIONS } from '../store/index.ts';

export interface BackupReport {
  path: string;
  bytes: number;
  schemaVersion: number;
  counts: Record<string, number>;
}

const COUNTED = ['conversations', 'turns', 'tickets', 'customers', 'articles', 'accounts', 'domain_events'];

/** Opens a database file read-only and proves it is whole: integrity check, schema version, row counts. */
export function verifyDatabaseFile(path: string): BackupReport {
  if (!existsSync(path)) throw new AppError('VALIDATION_FAILED', `no file ${path}`);
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
  } catch (err) {
    throw new AppError('VALIDATION_FAILED', `${path} is not a SQLite database: ${(err as Error).message}`);
  }
  try {
    const integrity = db.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') throw new AppError('VALIDATION_FAILED', `${path} failed the integrity check: ${String(integrity)}`);
    const schemaVersion = db.pragma('user_version', { simple: true }) as number;
    const counts: Record<string, number> = {};
    for (const table of COUNTED) {
      const exists = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(table);
      if (exists) counts[table] = (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    }
    return { path, bytes: statSync(path).size, schemaVersion, counts };
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError('VALIDATION_FAILED', `${path} could not be read: ${(err as Error).message}`);
  } finally {
    db.close();
  }
}

/** Copies the live database to `target` (temp file + rename) and verifies the copy. */
export async function backupDatabase(sourcePath: string, target: string): Promise<BackupReport> {
  if (!existsSync(sourcePath)) throw new AppError('VALIDATION_FAILED', `no database at ${sourcePath}`);
  const source = new Database(sourcePath, { readonly: true, fileMustExist: true });
  const tmp = `${target}.partial`;
  try {
    rmSync(tmp, { force: true });
    await source.backup(tmp);
  } finally {
    source.close();
  }
  const report = verifyDatabaseFile(tmp);
  renameSync(tmp, target);
  return { ...report, path: target };
}

/**
 * Replaces the database with a verified backup. The appliance must be stopped; the current
 * file is kept beside it as <name>.before-restore so a wrong restore can be undone.
 */
export async function restoreDatabase(backupPath: string, databasePath: string): Promise<BackupReport> {
  const report = verifyDatabaseFile(backupPath);
  const latest = MIGRATIONS.at(-1)?.version ?? 0;
  if (report.schemaVersion > latest) {
    throw new AppError('VALIDATION_FAILED', `the backup has schema version ${report.schemaVersion}; this build knows up to ${latest}: restore it with the newer build`);
  }
  if (existsSync(databasePath)) {
    renameSync(databasePath, `${databasePath}.before-restore`);
    for (const suffix of ['-wal', '-shm']) rmSync(`${databasePath}${suffix}`, { force: true });
  }
  const src = new Database(backupPath, { readonly: true });
  try {
    await src.backup(databasePath);
  } finally {
    src.close();
  }
  return verifyDatabaseFile(databasePath);
}

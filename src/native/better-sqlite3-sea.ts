// Stand-in for `better-sqlite3` inside the single executable (esbuild aliases the package name
// here): the same Database class, with the `nativeBinding` option defaulting to the addon
// unpacked from the binary, so every caller (store, backup, CRM bridge) works unchanged.
// @ts-expect-error -- aliased by scripts/binary/build.mjs to better-sqlite3 13's lib/index.js (no types for that path)
import RealDatabase from 'better-sqlite3-real';
import { sqliteNativeBindingPath } from './index.ts';

type Ctor = new (filename?: unknown, options?: Record<string, unknown>) => object;
const Real = RealDatabase as Ctor & Record<string, unknown>;

function Database(this: unknown, filename?: unknown, options?: Record<string, unknown>): object {
  const nativeBinding = sqliteNativeBindingPath();
  const opts = nativeBinding && !(options && 'nativeBinding' in options) ? { ...options, nativeBinding } : options;
  return new Real(filename, opts);
}
Database.prototype = Real.prototype;
Object.assign(Database, Real);

export default Database;

// Errors of the native-pieces locator, with stable codes like the rest of the appliance. They
// happen before the HTTP layer exists, so they are printed by the binary's entry, not mapped.

export type NativeErrorCode =
  /** No candidate cache directory is writable, or the chosen one is mounted noexec. */
  | 'NATIVE_CACHE_UNUSABLE'
  /** The executable's manifest names an asset it does not contain (a broken build). */
  | 'NATIVE_ASSET_MISSING'
  /** A native library was found but the dynamic loader refused it. */
  | 'NATIVE_LOAD_FAILED'
  /** A native piece is not part of this install (e.g. libvosk on arm64). */
  | 'NATIVE_UNAVAILABLE';

export class NativeError extends Error {
  readonly code: NativeErrorCode;
  constructor(code: NativeErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NativeError';
    this.code = code;
  }
}

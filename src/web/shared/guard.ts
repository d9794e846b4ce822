// Tiny runtime checks for what the staff pages receive (WebSocket frames, REST answers):
// parse, don't cast, without shipping zod to the browser. A guard returns the typed value
// or throws a WireError naming the first field that did not fit.

export class WireError extends Error {
  constructor(
    readonly path: string,
    expected: string,
  ) {
    super(`${path || 'value'}: expected ${expected}`);
    this.name = 'WireError';
  }
}

export type Guard<T> = (v: unknown, path?: string) => T;
export type Guarded<G> = G extends Guard<infer T> ? T : never;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export const str: Guard<string> = (v, path = '') => {
  if (typeof v !== 'string') throw new WireError(path, 'a string');
  return v;
};

export const num: Guard<number> = (v, path = '') => {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new WireError(path, 'a number');
  return v;
};

export const bool: Guard<boolean> = (v, path = '') => {
  if (typeof v !== 'boolean') throw new WireError(path, 'a boolean');
  return v;
};

export const unknownValue: Guard<unknown> = (v) => v;

export function oneOf<const T extends readonly string[]>(values: T): Guard<T[number]> {
  return (v, path = '') => {
    const found = values.find((x) => x === v);
    if (found === undefined) throw new WireError(path, `one of ${values.join(', ')}`);
    return found;
  };
}

export function literal<const T extends string | number | boolean>(value: T): Guard<T> {
  return (v, path = '') => {
    if (v !== value) throw new WireError(path, JSON.stringify(value));
    return value;
  };
}

export function nullable<T>(g: Guard<T>): Guard<T | null> {
  return (v, path = '') => (v === null || v === undefined ? null : g(v, path));
}

/** A field the page can live without: absent (or wrong) becomes the fallback. */
export function withDefault<T>(g: Guard<T>, fallback: T): Guard<T> {
  return (v, path = '') => {
    if (v === undefined) return fallback;
    try {
      return g(v, path);
    } catch {
      return fallback;
    }
  };
}

/** A field that may be missing: absent or null reads as absent (the key is left out). */
export function optional<T>(g: Guard<T>): Guard<T | undefined> {
  return (v, path = '') => (v === undefined || v === null ? undefined : g(v, path));
}

export function arrayOf<T>(g: Guard<T>): Guard<T[]> {
  return (v, path = '') => {
    if (!Array.isArray(v)) throw new WireError(path, 'an array');
    return v.map((item, i) => g(item, `${path}[${i}]`));
  };
}

export function recordOf<T>(g: Guard<T>): Guard<Record<string, T>> {
  return (v, path = '') => {
    if (!isRecord(v)) throw new WireError(path, 'an object');
    const out: Record<string, T> = {};
    for (const [k, x] of Object.entries(v)) out[k] = g(x, `${path}.${k}`);
    return out;
  };
}

/** Checks the listed fields and drops any others. */
export function object<S extends Record<string, Guard<unknown>>>(shape: S): Guard<{ [K in keyof S]: Guarded<S[K]> }> {
  return (v, path = '') => {
    if (!isRecord(v)) throw new WireError(path, 'an object');
    const out: Record<string, unknown> = {};
    for (const [k, g] of Object.entries(shape)) {
      const value = g(v[k], path ? `${path}.${k}` : k);
      if (value !== undefined) out[k] = value;
    }
    return out as { [K in keyof S]: Guarded<S[K]> };
  };
}

/** The value, or null (with the reason handed to onError) when it does not fit. */
export function tryParse<T>(g: Guard<T>, v: unknown, onError?: (e: WireError) => void): T | null {
  try {
    return g(v);
  } catch (e) {
    if (e instanceof WireError) {
      onError?.(e);
      return null;
    }
    throw e;
  }
}

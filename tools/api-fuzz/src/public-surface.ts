import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/** The published packages whose public entry points the suite enumerates. */
export const FUZZED_PACKAGES = ['core', 'resilience', 'cache', 'audit', 'queue'] as const;

/** Entry points that are not part of the runtime API a host calls (test suites for adapters). */
const NOT_RUNTIME_ENTRY_POINTS = new Set(['./testing', './package.json']);

/**
 * Exported functions whose names say they build something: a service, an adapter, a value
 * source. Plain functions (pure helpers) are outside the fuzz suite; classes are always in it.
 */
const FACTORY_NAME =
  /^(create|memory|sql|postgres|supabase|redis|twilio|smtp|file|directory|notifying|resilient|open|queueNotification|transactional|http)[A-Z]/;

/** One exported factory or class. */
export interface PublicFactory {
  /** The export's name, unique across the packages (the suite checks it). */
  readonly name: string;
  /** The import specifier it is exported from, such as `@carequeue/queue/postgres`. */
  readonly entryPoint: string;
  readonly value: (...args: unknown[]) => unknown;
  readonly isClass: boolean;
}

const require = createRequire(import.meta.url);

function entryPointsOf(pkg: string): string[] {
  const manifest = JSON.parse(
    readFileSync(require.resolve(`@carequeue/${pkg}/package.json`), 'utf8'),
  ) as { exports: Record<string, unknown> };
  return Object.keys(manifest.exports)
    .filter((key) => !NOT_RUNTIME_ENTRY_POINTS.has(key))
    .map((key) => (key === '.' ? `@carequeue/${pkg}` : `@carequeue/${pkg}${key.slice(1)}`));
}

function isClass(value: unknown): boolean {
  return typeof value === 'function' && /^class\b/.test(Function.prototype.toString.call(value));
}

/**
 * Every factory and class exported by the runtime entry points of {@link FUZZED_PACKAGES},
 * each once (the first entry point that exports it), errors excluded.
 *
 * @example
 * ```ts
 * const factories = await publicFactories();
 * ```
 */
export async function publicFactories(): Promise<PublicFactory[]> {
  const seen = new Map<unknown, PublicFactory>();
  for (const pkg of FUZZED_PACKAGES) {
    for (const entryPoint of entryPointsOf(pkg)) {
      const module = (await import(entryPoint)) as Record<string, unknown>;
      for (const [name, value] of Object.entries(module)) {
        if (typeof value !== 'function' || seen.has(value)) continue;
        const classLike = isClass(value);
        if (classLike && value.prototype instanceof Error) continue;
        if (!classLike && !FACTORY_NAME.test(name)) continue;
        seen.set(value, {
          name,
          entryPoint,
          value: value as (...args: unknown[]) => unknown,
          isClass: classLike,
        });
      }
    }
  }
  return [...seen.values()];
}

/**
 * Prototypes of JavaScript's own classes: a CareQueue class that extends `Date`, `Map` or `Set`
 * inherits their methods, whose argument checks are the engine's, not ours.
 */
const BUILT_IN_PROTOTYPES: ReadonlySet<object> = new Set([
  Object.prototype,
  Function.prototype,
  Array.prototype,
  Date.prototype,
  Map.prototype,
  Set.prototype,
  Promise.prototype,
  Error.prototype,
]);

/**
 * The methods of `instance` a caller can reach: its own function properties and those its
 * classes define, without `constructor` and the methods of JavaScript's built-in classes.
 *
 * @example
 * ```ts
 * publicMethods(createPatientService(options)); // ['create', 'get', ...]
 * ```
 */
export function publicMethods(instance: object): string[] {
  const names = new Set<string>();
  for (
    let level: object | null = instance;
    level !== null && !BUILT_IN_PROTOTYPES.has(level);
    level = Object.getPrototypeOf(level) as object | null
  ) {
    for (const name of Object.getOwnPropertyNames(level)) {
      if (name === 'constructor' || name.startsWith('_')) continue;
      const descriptor = Object.getOwnPropertyDescriptor(level, name);
      if (descriptor && typeof descriptor.value === 'function') names.add(name);
    }
  }
  return [...names].sort();
}

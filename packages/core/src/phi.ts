/**
 * PHI classification of schema fields.
 *
 * Surrogate ids are pseudonymous and may appear in URLs, logs and events. Direct identifiers
 * (names, contact details, date of birth, addresses, record numbers, free-text notes) are tagged
 * `direct`; SSN-class numbers are tagged `sensitive`, which also means they are encrypted before
 * they reach any store. Logging, errors, cache keys, events and the API contract read these tags.
 *
 * Tags live in zod's global metadata under {@link PHI_META_KEY}, so they survive `.optional()`
 * and other wrappers and appear in generated JSON Schema and OpenAPI documents.
 *
 * @packageDocumentation
 */
import { z } from 'zod';
import { childrenOf, layersOf, type AnySchema } from './schema-walk.js';

/**
 * How identifying a field is: `direct` identifiers must never leave the data store unprotected;
 * `sensitive` ones (SSN-class) are direct identifiers that are also encrypted at rest.
 */
export type PhiLevel = 'direct' | 'sensitive';

/** Every PHI level, weakest first. */
export const PHI_LEVELS: readonly PhiLevel[] = ['direct', 'sensitive'];

/** The metadata key that holds a schema's PHI level (an OpenAPI-style extension name). */
export const PHI_META_KEY = 'x-phi';

/**
 * Tags a schema as holding PHI and returns the tagged copy.
 *
 * @example
 * ```ts
 * const Contact = z.object({
 *   phone: phi('direct', z.string()),
 *   ssn: phi('sensitive', z.string()).optional(),
 * });
 * ```
 */
export function phi<T extends z.ZodType>(level: PhiLevel, schema: T): T {
  return schema.meta({ ...z.globalRegistry.get(schema), [PHI_META_KEY]: level });
}

function ownLevel(schema: AnySchema): PhiLevel | undefined {
  const level = z.globalRegistry.get(schema)?.[PHI_META_KEY];
  return level === 'direct' || level === 'sensitive' ? level : undefined;
}

/**
 * The PHI level of a schema, looking through wrappers such as `.optional()` and `.nullable()`;
 * `undefined` when it is not tagged. `sensitive` wins over `direct` when layers disagree.
 *
 * @example
 * ```ts
 * phiLevelOf(phi('direct', z.string()).optional()); // 'direct'
 * ```
 */
export function phiLevelOf(schema: z.core.$ZodType): PhiLevel | undefined {
  let found: PhiLevel | undefined;
  for (const layer of layersOf(schema)) {
    const level = ownLevel(layer);
    if (level === 'sensitive') return level;
    found ??= level;
  }
  return found;
}

/** A tagged field of a schema. */
export interface TaggedPath {
  /**
   * Dotted path of the field: `contact.phone`; `[]` marks array elements
   * (`guardians[].name`) and `*` record values (`extra.*`).
   */
  readonly path: string;
  /** The property names along the path, without the array and record markers. */
  readonly keys: readonly string[];
  readonly level: PhiLevel;
}

/**
 * Every tagged field of a schema, through nested objects, arrays, records, unions and wrappers.
 * A tagged object is reported once, for the whole object.
 *
 * @example
 * ```ts
 * taggedPaths(Patient).map((tag) => tag.path);
 * // ['name', 'contact.phone', 'contact.email', 'dateOfBirth', 'nationalId', ...]
 * ```
 */
export function taggedPaths(schema: z.core.$ZodType): readonly TaggedPath[] {
  const found = new Map<string, TaggedPath>();
  const visiting = new Set<AnySchema>();

  const visit = (current: AnySchema, path: string, keys: readonly string[]): void => {
    const level = phiLevelOf(current);
    if (level !== undefined) {
      const existing = found.get(path);
      if (existing?.level !== 'sensitive') found.set(path, { path, keys, level });
      return;
    }
    if (visiting.has(current)) return;
    visiting.add(current);
    for (const child of childrenOf(current)) {
      if (child.kind === 'property' && child.key !== undefined) {
        visit(child.schema, path === '' ? child.key : `${path}.${child.key}`, [...keys, child.key]);
      } else if (child.kind === 'element') {
        visit(child.schema, `${path}[]`, keys);
      } else {
        visit(child.schema, path === '' ? '*' : `${path}.*`, keys);
      }
    }
    visiting.delete(current);
  };

  visit(schema, '', []);
  return [...found.values()];
}

/**
 * The property names that hold PHI in any of the schemas: the last name on each tagged path.
 * The logger redacts these names at any depth.
 *
 * @example
 * ```ts
 * taggedFieldNames([Patient]).has('phone'); // true
 * ```
 */
export function taggedFieldNames(schemas: Iterable<z.core.$ZodType>): ReadonlySet<string> {
  const names = new Set<string>();
  for (const schema of schemas) {
    for (const tag of taggedPaths(schema)) {
      const last = tag.keys[tag.keys.length - 1];
      if (last !== undefined) names.add(last);
    }
  }
  return names;
}

/**
 * Reads the structure of zod schemas: which wrapper layers a schema has and which child schema
 * sits at a property, array index or record key. Shared by PHI tagging and safe validation
 * messages.
 *
 * @internal
 * @packageDocumentation
 */
import type { z } from 'zod';

/** Any zod schema. */
export type AnySchema = z.core.$ZodType;

interface WrapperDef {
  readonly innerType: AnySchema;
}

function defOf(schema: AnySchema): z.core.$ZodTypeDef {
  return schema._zod.def;
}

/**
 * The schema one wrapper layer down (`optional`, `nullable`, `default`, `readonly`, `catch`,
 * the input side of a `pipe`, a `lazy` getter), or `undefined` for a structural schema.
 */
export function innerSchema(schema: AnySchema): AnySchema | undefined {
  const def = defOf(schema);
  switch (def.type) {
    case 'optional':
    case 'nullable':
    case 'nonoptional':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
    case 'success':
      return (def as unknown as WrapperDef).innerType;
    case 'pipe':
      return (def as unknown as { in: AnySchema }).in;
    case 'lazy':
      return (def as unknown as { getter: () => AnySchema }).getter();
    default:
      return undefined;
  }
}

/** Every layer of a schema, from the outermost wrapper to the structural schema inside. */
export function layersOf(schema: AnySchema): AnySchema[] {
  const layers: AnySchema[] = [schema];
  let current = innerSchema(schema);
  while (current !== undefined && !layers.includes(current)) {
    layers.push(current);
    current = innerSchema(current);
  }
  return layers;
}

/** The structural schema under every wrapper. */
export function coreOf(schema: AnySchema): AnySchema {
  const layers = layersOf(schema);
  return layers[layers.length - 1] ?? schema;
}

/** How a child is reached from its parent. */
export type ChildKind = 'property' | 'element' | 'value';

/** A child schema and how it is reached. */
export interface SchemaChild {
  readonly kind: ChildKind;
  /** The property name for `property` children. */
  readonly key?: string;
  readonly schema: AnySchema;
}

/** The direct children of a structural schema: object properties, array and record values. */
export function childrenOf(schema: AnySchema): SchemaChild[] {
  const def = defOf(coreOf(schema));
  switch (def.type) {
    case 'object':
      return Object.entries((def as unknown as { shape: Record<string, AnySchema> }).shape).map(
        ([key, child]) => ({ kind: 'property', key, schema: child }),
      );
    case 'array':
    case 'set':
      return [
        {
          kind: 'element',
          schema:
            (def as unknown as { element?: AnySchema; valueType?: AnySchema }).element ??
            (def as unknown as { valueType: AnySchema }).valueType,
        },
      ];
    case 'tuple': {
      const tuple = def as unknown as { items: AnySchema[]; rest: AnySchema | null };
      const items = tuple.rest === null ? tuple.items : [...tuple.items, tuple.rest];
      return items.map((item) => ({ kind: 'element', schema: item }));
    }
    case 'record':
    case 'map':
      return [{ kind: 'value', schema: (def as unknown as { valueType: AnySchema }).valueType }];
    case 'union':
      return (def as unknown as { options: AnySchema[] }).options.flatMap((option) =>
        childrenOf(option),
      );
    case 'intersection': {
      const both = def as unknown as { left: AnySchema; right: AnySchema };
      return [...childrenOf(both.left), ...childrenOf(both.right)];
    }
    default:
      return [];
  }
}

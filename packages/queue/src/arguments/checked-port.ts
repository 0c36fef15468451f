/**
 * A port whose methods check their arguments before the adapter runs. Every adapter of a
 * repository port (memory, SQL, Supabase) wraps itself with the same schemas, so all of them
 * refuse a malformed id or row the same way, with a `ValidationError`, instead of one answering
 * "not found" and another sending it to Postgres and failing with a 502.
 *
 * @internal
 * @packageDocumentation
 */
import { z } from 'zod';
import { parseArguments, TenantId } from '@carequeue/core';
import { PageRequestArgument } from './common-arguments.js';

/** The schemas of one method's arguments, by name in call order. */
export type ArgumentSchemas = readonly (readonly [name: string, schema: z.ZodType])[];

type AsyncMethods<P> = {
  [K in keyof P]: P[K] extends (...args: never[]) => Promise<unknown> ? K : never;
}[keyof P];

/**
 * `adapter` with the methods named in `methods` checking their arguments first; a refused call
 * rejects with a `ValidationError` naming `<port>.<method>` and the argument path, and the
 * adapter is not called. Other members are kept as they are.
 *
 * @example
 * ```ts
 * return checkedPort('PatientRepository', repo, { get: [['tenantId', TenantId], ['id', PatientId]] });
 * ```
 */
export function checkedPort<P extends object>(
  port: string,
  adapter: P,
  methods: Partial<Record<AsyncMethods<P> & string, ArgumentSchemas>>,
): P {
  const checked: Record<string, unknown> = { ...(adapter as Record<string, unknown>) };
  for (const [method, schemas] of Object.entries(methods) as [string, ArgumentSchemas][]) {
    const schema = z.object(Object.fromEntries(schemas));
    const names = schemas.map(([name]) => name);
    const call = (adapter as Record<string, (...args: unknown[]) => Promise<unknown>>)[method];
    checked[method] = async (...args: unknown[]): Promise<unknown> => {
      parseArguments(
        schema,
        Object.fromEntries(names.map((name, index) => [name, args[index]])),
        `${port}.${method}`,
      );
      return call?.apply(adapter, args);
    };
  }
  return checked as P;
}

/**
 * The arguments of the methods every record repository has: `insert` and `update` of one row
 * named `row`, and `get` by tenant and `id`.
 *
 * @example
 * ```ts
 * return checkedPort('StaffRepository', repo, { ...recordArguments('staff', Staff, StaffId), list: tenantPageArguments });
 * ```
 */
export function recordArguments(
  row: string,
  rowSchema: z.ZodType,
  id: z.ZodType,
): { insert: ArgumentSchemas; update: ArgumentSchemas; get: ArgumentSchemas } {
  return {
    insert: [[row, rowSchema]],
    update: [[row, rowSchema]],
    get: [
      ['tenantId', TenantId],
      ['id', id],
    ],
  };
}

/** The arguments of a `list` that pages through one tenant's rows. */
export const tenantPageArguments: ArgumentSchemas = [
  ['tenantId', TenantId],
  ['page', PageRequestArgument],
];

import type { SupabaseClient } from '@supabase/supabase-js';
import type { AuditStore, VerifyRange } from '../audit-store.js';
import type { ChainPosition } from '../chain-verifier.js';
import type { ErrorIssue } from '@carequeue/core';
import { portIssues } from '../argument-checks.js';
import { AuditConfigError, AuditSupabaseRequestError } from '../errors.js';
import {
  encodeCursor,
  resolveTrailQuery,
  type AuditSortField,
  type AuditTrailPage,
  type AuditTrailQuery,
} from '../trail-query.js';
import { chainPositionOf } from './chain-head.js';
import { eventRecordOf, toAuditLog, type EventRow } from './event-row.js';
import {
  checkAppendArguments,
  checkHeadArguments,
  checkSealArguments,
  checkVerifyArguments,
} from './store-arguments.js';
import { verifyChainLinks, type ChainLinkRow } from './verify-chain-links.js';
import { checkFactoryOptions, optionsIssues } from '../factory-options.js';

// The view's key columns (sql/0004_supabase_trail.sql) sort exactly as the SQL store's expressions.
const SORT_COLUMNS: Record<AuditSortField, string> = {
  timestamp: 'timestamp',
  sequence: 'sequence_key',
  userId: 'user_id_key',
  category: 'category_key',
  action: 'action_key',
  outcome: 'outcome_key',
  resourceType: 'resource_type_key',
  resourceId: 'resource_id_key',
  patientId: 'patient_id_key',
  purposeOfUse: 'purpose_of_use_key',
  recipient: 'recipient_key',
  disclosureBasis: 'disclosure_basis_key',
  sessionId: 'session_id_key',
  correlationId: 'correlation_id_key',
  ipAddress: 'ip_address_key',
  retentionClass: 'retention_class_key',
};

const FILTER_COLUMNS = {
  patientId: 'patient_id',
  userId: 'user_id',
  category: 'category',
  action: 'action',
  outcome: 'outcome',
  resourceType: 'resource_type',
  resourceId: 'resource_id',
  purposeOfUse: 'purpose_of_use',
  correlationId: 'correlation_id',
} as const;

interface PostgrestFailure {
  readonly code?: string | null;
}

interface PostgrestReply<T> {
  readonly data: T | null;
  readonly error: PostgrestFailure | null;
}

// supabase-js resolves instead of throwing, also when the network fails (then with an empty code).
async function request<T>(
  operation: string,
  run: () => PromiseLike<PostgrestReply<T>>,
): Promise<T | null> {
  const reply = await run();
  if (reply.error) {
    throw new AuditSupabaseRequestError(operation, reply.error.code || null, {
      cause: reply.error,
    });
  }
  return reply.data;
}

// PostgREST's logic-tree syntax needs values with reserved characters in double quotes.
function quoted(value: string | number): string {
  return `"${String(value).replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

// An unquoted Postgres identifier of at most 63 bytes. PostgREST takes the schema from the
// Accept-Profile and Content-Profile headers: a line break there made fetch throw a raw TypeError
// on the first request, and a quote or space a 503 blaming the schema exposure.
const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_$]{0,62}$/;

function schemaNameIssues(value: unknown, path: string): ErrorIssue[] {
  if (value === undefined || (typeof value === 'string' && SCHEMA_NAME.test(value))) return [];
  return [
    {
      path,
      message:
        'must be a schema name (a letter or _, then letters, digits, _ or $; at most 63), or omitted',
    },
  ];
}

type SchemaClient = ReturnType<SupabaseClient['schema']>;

// The PostgREST client of the schema, checked once here: a client whose schema() threw or gave
// something without from and rpc failed with a raw error on every later call instead.
function schemaClient(client: SupabaseClient, schema: string): SchemaClient {
  const refusal = (cause?: unknown): AuditConfigError =>
    new AuditConfigError(
      'supabaseAuditStore',
      [
        {
          path: 'options.client',
          message:
            'must be a supabase-js client whose schema() returns a PostgREST client (with from, rpc)',
        },
      ],
      cause === undefined ? undefined : { cause },
    );
  let db: unknown;
  try {
    db = client.schema(schema);
  } catch (error: unknown) {
    throw refusal(error);
  }
  if (portIssues(db, 'options.client', 'a PostgREST client', ['from', 'rpc']).length > 0) {
    throw refusal();
  }
  return db as SchemaClient;
}

/**
 * Options of {@link supabaseAuditStore}.
 *
 * @example
 * ```ts
 * supabaseAuditStore({ client: createClient(url, serviceRoleKey), schema: 'audit' });
 * ```
 */
export interface SupabaseAuditStoreOptions {
  /**
   * A supabase-js client. Appends and reads run under its key's role (a user's token or the
   * service role key) and row-level security; `seal`, `verify` and `head` call functions granted
   * to `service_role` only.
   */
  readonly client: SupabaseClient;
  /**
   * The schema of the audit migrations; it must be listed in PostgREST's exposed schemas.
   *
   * @default 'audit'
   */
  readonly schema?: string;
}

/**
 * The Supabase {@link AuditStore}: appends call `append_events` through RPC (replays ignored),
 * reads go through the `audit.trail` view, and sealing and verification call the same SQL
 * functions as the Postgres store (`seal`, `chain_links`, `chain_head`) through RPC.
 *
 * Nothing is inserted into `audit.events` directly (ADR 0016): with the service role key the
 * events are stored as given; with an end user's token the database takes the tenant, user id
 * and time from the token's claims and the SQL clock, refuses an event that names another
 * tenant or user (403, `42501`), and lets a patient record only their own reads, exports,
 * changes and sign-ins. A reused event id is refused (409, `23505`).
 *
 * @throws {AuditConfigError} when the options are not an object or hold an option it does not
 *   know, `options.client` is not a supabase-js client whose `schema()` gives a PostgREST
 *   client, or `options.schema` is not a schema name, before any request
 * @throws {AuditSupabaseRequestError} when PostgREST refuses a request or cannot be reached
 * @example
 * ```ts
 * import { createClient } from '@supabase/supabase-js';
 * import { supabaseAuditStore } from '@carequeue/audit/supabase';
 *
 * const store = supabaseAuditStore({ client: createClient(url, serviceRoleKey) });
 * await store.append([event]);
 * await store.seal(tenantId);
 * ```
 */
export function supabaseAuditStore(options: SupabaseAuditStoreOptions): AuditStore {
  checkFactoryOptions(
    'supabaseAuditStore',
    optionsIssues(options, ['client', 'schema'], (fields) => [
      ...portIssues(fields['client'], 'options.client', 'a supabase-js client', ['schema']),
      ...schemaNameIssues(fields['schema'], 'options.schema'),
    ]),
  );
  const db = schemaClient(options.client, options.schema ?? 'audit');

  async function head(tenantId: string): Promise<ChainPosition> {
    checkHeadArguments(tenantId);
    const rows = (await request('head', () => db.rpc('chain_head', { p_tenant: tenantId }))) as
      ChainLinkRow[] | null;
    return chainPositionOf(rows?.[0]);
  }

  async function query(trail: AuditTrailQuery): Promise<AuditTrailPage> {
    const resolved = resolveTrailQuery(trail);
    const column = SORT_COLUMNS[resolved.sortBy];
    const ascending = resolved.order === 'asc';
    let select = db.from('trail').select('*').eq('tenant_id', resolved.tenantId);
    for (const [field, name] of Object.entries(FILTER_COLUMNS)) {
      const value = trail[field as keyof typeof FILTER_COLUMNS];
      if (value !== undefined) select = select.eq(name, value);
    }
    if (trail.from) select = select.gte('timestamp', trail.from.toISOString());
    if (trail.to) select = select.lte('timestamp', trail.to.toISOString());
    if (resolved.after) {
      const key =
        resolved.sortBy === 'timestamp'
          ? new Date(Number(resolved.after.key)).toISOString()
          : resolved.after.key;
      const beyond = ascending ? 'gt' : 'lt';
      select = select.or(
        `${column}.${beyond}.${quoted(key)},and(${column}.eq.${quoted(key)},id.${beyond}.${quoted(resolved.after.id)})`,
      );
    }
    const rows = await request('query', () =>
      select
        .order(column, { ascending })
        .order('id', { ascending })
        .limit(resolved.limit + 1)
        .returns<EventRow[]>(),
    );
    const page = rows ?? [];
    const items = page.slice(0, resolved.limit).map(toAuditLog);
    const last = items[items.length - 1];
    return {
      items,
      nextCursor:
        page.length > resolved.limit && last
          ? encodeCursor(last, resolved.sortBy, resolved.order)
          : null,
    };
  }

  async function verify(tenantId: string, range: VerifyRange = {}) {
    checkVerifyArguments(tenantId, range);
    return verifyChainLinks(
      range,
      async (after, to, limit) =>
        ((await request('verify', () =>
          db.rpc('chain_links', { p_tenant: tenantId, p_after: after, p_to: to, p_limit: limit }),
        )) ?? []) as ChainLinkRow[],
    );
  }

  return {
    async append(events) {
      checkAppendArguments('append', events);
      if (events.length === 0) return;
      await request('append', () =>
        db.rpc('append_events', { p_events: events.map(eventRecordOf) }),
      );
    },
    async seal(tenantId, limit = 10_000) {
      checkSealArguments(tenantId, limit);
      const sealed: unknown = await request('seal', () =>
        db.rpc('seal', { p_tenant: tenantId, p_limit: limit }),
      );
      return Number(sealed ?? 0);
    },
    query,
    verify,
    head,
  };
}

import type { SqlExecutor } from '@carequeue/core/sql';
import { createClient } from '@supabase/supabase-js';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll } from 'vitest';

/**
 * A stand-in for PostgREST in the audit tests: msw answers supabase-js's requests in PostgREST's
 * wire format by running SQL on a real database the way PostgREST does, one transaction per
 * request with `role` and `request.jwt.claims` set from the request's JWT, so the migrations'
 * grants, policies and definer functions decide. It implements what supabaseAuditStore uses:
 * RPC calls, and reads of a table or view with eq/gt/gte/lt/lte filters, an `or` logic tree,
 * order and limit. It does not verify JWT signatures.
 */

export const SUPABASE_URL = 'https://audit.supabase.test';

/** An unsigned JWT carrying `claims`, read by the stand-in as PostgREST would read a signed one. */
export function jwt(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}.signature`;
}

export const ANON_KEY = jwt({ role: 'anon' });
export const SERVICE_ROLE_KEY = jwt({ role: 'service_role' });

class NoRealtimeTransport {
  constructor() {
    throw new Error('The audit store opens no realtime connection.');
  }
}

/** A supabase-js client that sends `token` (the service role key by default) as its JWT. */
export function supabaseClient(token: string = SERVICE_ROLE_KEY) {
  return createClient(SUPABASE_URL, ANON_KEY, {
    auth: { persistSession: false, autoRefreshToken: false },
    accessToken: () => Promise.resolve(token),
    realtime: { transport: NoRealtimeTransport as never },
  });
}

class StandInError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;
const OPERATORS: Record<string, string> = { eq: '=', gt: '>', gte: '>=', lt: '<', lte: '<=' };

function ident(name: string): string {
  if (!IDENTIFIER.test(name)) throw new StandInError(400, 'PGRST100', 'bad identifier');
  return `"${name}"`;
}

function unquote(value: string): string {
  return value.startsWith('"') && value.endsWith('"')
    ? value.slice(1, -1).replaceAll('\\"', '"').replaceAll('\\\\', '\\')
    : value;
}

/** Splits a logic tree's items at the commas outside quotes and parentheses. */
function items(list: string): string[] {
  const found: string[] = [];
  let depth = 0;
  let quoted = false;
  let current = '';
  for (const char of list) {
    if (char === '"' && !current.endsWith('\\')) quoted = !quoted;
    if (!quoted && char === '(') depth += 1;
    if (!quoted && char === ')') depth -= 1;
    if (char === ',' && !quoted && depth === 0) {
      found.push(current);
      current = '';
    } else current += char;
  }
  found.push(current);
  return found;
}

function condition(column: string, filter: string, params: unknown[]): string {
  const dot = filter.indexOf('.');
  const operator = OPERATORS[filter.slice(0, dot)];
  if (operator === undefined) throw new StandInError(400, 'PGRST100', 'unsupported filter');
  params.push(unquote(filter.slice(dot + 1)));
  return `${ident(column)} ${operator} $${params.length}`;
}

/** `or(...)`/`and(...)` trees as PostgREST writes them: `(a.gt.1,and(a.eq.1,b.gt.2))`. */
function logicTree(joiner: 'OR' | 'AND', tree: string, params: unknown[]): string {
  const parts = items(tree.slice(1, -1)).map((item) => {
    const nested = /^(and|or)(\(.*\))$/.exec(item);
    if (nested) return logicTree(nested[1] === 'and' ? 'AND' : 'OR', nested[2]!, params);
    const dot = item.indexOf('.');
    return condition(item.slice(0, dot), item.slice(dot + 1), params);
  });
  return `(${parts.join(` ${joiner} `)})`;
}

function whereOf(url: URL, params: unknown[]): string {
  const clauses: string[] = [];
  for (const [column, filter] of url.searchParams) {
    if (['select', 'order', 'limit'].includes(column)) continue;
    clauses.push(
      column === 'or' ? logicTree('OR', filter, params) : condition(column, filter, params),
    );
  }
  return clauses.length === 0 ? '' : ` WHERE ${clauses.join(' AND ')}`;
}

function orderAndLimit(url: URL): string {
  const order = url.searchParams.get('order');
  const terms =
    order === null
      ? ''
      : ` ORDER BY ${order
          .split(',')
          .map((term) => {
            const [column = '', direction = 'asc'] = term.split('.');
            return `${ident(column)} ${direction === 'desc' ? 'DESC' : 'ASC'}`;
          })
          .join(', ')}`;
  const limit = url.searchParams.get('limit');
  return limit === null ? terms : `${terms} LIMIT ${Number.parseInt(limit, 10)}`;
}

// PostgREST's mapping of SQLSTATEs to HTTP statuses, for the codes that occur here.
function statusOf(code: string, role: string): number {
  if (code === '42501') return role === 'anon' ? 401 : 403;
  if (code === '23505') return 409;
  if (code.startsWith('23') || code.startsWith('22') || code === 'P0001') return 400;
  if (code === '42883' || code === '42P01') return 404;
  return 500;
}

async function answer(
  tx: SqlExecutor,
  method: string,
  url: URL,
  profile: string,
  body: unknown,
): Promise<Response> {
  const path = url.pathname.replace(/^\/rest\/v1\//, '');
  const params: unknown[] = [];
  const json = (text: string) =>
    new HttpResponse(text, { status: 200, headers: { 'content-type': 'application/json' } });
  const single = async (sql: string): Promise<string> => {
    const { rows } = await tx.query<{ body: string | null }>(sql, params);
    return rows[0]?.body ?? 'null';
  };

  if (method === 'POST' && path.startsWith('rpc/')) {
    const name = path.slice(4);
    const { rows } = await tx.query<{ retset: boolean; rettype: string }>(
      `SELECT p.proretset AS retset, p.prorettype::regtype::text AS rettype
       FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
       WHERE n.nspname = $1 AND p.proname = $2`,
      [profile, name],
    );
    const fn = rows[0];
    if (fn === undefined) throw new StandInError(404, 'PGRST202', 'no such function');
    const args = Object.entries((body ?? {}) as Record<string, unknown>).map(([key, value]) => {
      params.push(typeof value === 'object' && value !== null ? JSON.stringify(value) : value);
      return `${ident(key)} => $${params.length}`;
    });
    const call = `${ident(profile)}.${ident(name)}(${args.join(', ')})`;
    if (fn.retset) {
      return json(
        await single(`SELECT coalesce(json_agg(r), '[]'::json)::text AS body FROM ${call} r`),
      );
    }
    if (fn.rettype === 'void') {
      await tx.query(`SELECT ${call}`, params);
      return new HttpResponse(null, { status: 204 });
    }
    return json(await single(`SELECT to_json(${call})::text AS body`));
  }
  if (method === 'GET') {
    const where = whereOf(url, params);
    return json(
      await single(
        `SELECT coalesce(json_agg(t), '[]'::json)::text AS body
         FROM (SELECT * FROM ${ident(profile)}.${ident(path)}${where}${orderAndLimit(url)}) t`,
      ),
    );
  }
  throw new StandInError(405, 'PGRST117', 'unsupported request');
}

function claimsOf(request: Request): Record<string, unknown> {
  const token = request.headers.get('authorization')?.replace(/^Bearer /, '') ?? ANON_KEY;
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
}

/**
 * Starts msw for the test file, answering requests to {@link SUPABASE_URL} from the database
 * `executor()` returns; unhandled requests are errors.
 */
export function useStandInPostgrest(executor: () => SqlExecutor): void {
  const server = setupServer(
    http.all(`${SUPABASE_URL}/rest/v1/*`, async ({ request }) => {
      const url = new URL(request.url);
      const text = await request.text();
      const body = text === '' ? undefined : (JSON.parse(text) as unknown);
      const profile =
        request.headers.get(request.method === 'GET' ? 'accept-profile' : 'content-profile') ??
        'public';
      const claims = claimsOf(request);
      const role = typeof claims.role === 'string' ? claims.role : 'anon';
      try {
        return await executor().transaction(async (tx) => {
          await tx.query(
            "SELECT set_config('request.jwt.claims', $1, true), set_config('role', $2, true)",
            [JSON.stringify(claims), role],
          );
          return answer(tx, request.method, url, profile, body);
        });
      } catch (error: unknown) {
        const failure = error as {
          code?: string;
          message?: string;
          cause?: { code?: string; message?: string };
        };
        // core's executors wrap driver errors; PostgREST reports the driver's fields.
        const source = failure.cause?.code === undefined ? failure : failure.cause;
        const standIn = error instanceof StandInError ? error : undefined;
        const code = standIn?.code ?? source.code ?? 'XX000';
        return HttpResponse.json(
          { code, message: source.message ?? 'failed', details: null, hint: null },
          { status: standIn?.status ?? statusOf(code, role) },
        );
      }
    }),
  );
  beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
  afterAll(() => server.close());
}

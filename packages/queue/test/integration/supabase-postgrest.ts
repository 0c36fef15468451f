import { createClient } from '@supabase/supabase-js';
import type { SqlExecutor } from '@carequeue/core/sql';
import { http, HttpResponse } from 'msw';
import { setupServer, type SetupServer } from 'msw/node';
import { afterAll, beforeAll } from 'vitest';

/**
 * A stand-in for PostgREST in tests: msw answers supabase-js's HTTP requests in PostgREST's wire
 * format (paths, `Accept-Profile`/`Content-Profile`, `Prefer`, filter syntax, JSON bodies, error
 * bodies and statuses) by running SQL on a real database (PGlite or Postgres) the way PostgREST
 * does: one transaction per request with `role` and `request.jwt.claims` set from the request's
 * JWT, so the migrations' row-level security policies and functions decide what is visible.
 *
 * It implements only the subset the queue repositories use (select of plain columns, the
 * eq/neq/gt/gte/lt/lte/in/is filters, order, limit, insert, update, rpc) and does not verify JWT
 * signatures. It proves that the repositories speak the protocol and that the SQL they reach is
 * correct under the claims; it does not prove PostgREST's own behaviour.
 */

export const SUPABASE_URL = 'https://project.supabase.test';
export const ANON_KEY = jwt({ role: 'anon' });
export const SERVICE_ROLE_KEY = jwt({ role: 'service_role' });

/** An unsigned JWT carrying `claims`, which the stand-in reads like PostgREST would. */
export function jwt(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}.signature`;
}

// The repositories never subscribe, so realtime gets a transport that throws if anything tries
// to connect.
class NoRealtimeTransport {
  constructor() {
    throw new Error('The queue repositories open no realtime connection.');
  }
}

/** A supabase-js client sending `token` (the service role key by default) as its JWT. */
export function supabaseClient(token: string = SERVICE_ROLE_KEY) {
  return createClient(SUPABASE_URL, ANON_KEY, {
    auth: { persistSession: false, autoRefreshToken: false },
    accessToken: () => Promise.resolve(token),
    realtime: { transport: NoRealtimeTransport as never },
  });
}

/** One request the stand-in answered. */
export interface RecordedRequest {
  readonly method: string;
  readonly url: URL;
  readonly profile: string | null;
  readonly body: unknown;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;
const RESERVED = new Set(['select', 'order', 'limit', 'offset', 'columns', 'on_conflict']);
const OPERATORS: Record<string, string> = {
  eq: '=',
  neq: '<>',
  gt: '>',
  gte: '>=',
  lt: '<',
  lte: '<=',
};

function ident(name: string): string {
  if (!IDENTIFIER.test(name)) throw new StandInError(400, 'PGRST100', `bad identifier ${name}`);
  return `"${name}"`;
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

function unquote(value: string): string {
  return value.startsWith('"') && value.endsWith('"')
    ? value.slice(1, -1).replaceAll('\\"', '"').replaceAll('\\\\', '\\')
    : value;
}

function splitList(list: string): string[] {
  const items: string[] = [];
  let current = '';
  let quoted = false;
  for (const char of list) {
    if (char === '"') quoted = !quoted;
    if (char === ',' && !quoted) {
      items.push(current);
      current = '';
    } else current += char;
  }
  items.push(current);
  return items.map(unquote);
}

function whereOf(url: URL, params: unknown[]): string {
  const clauses: string[] = [];
  for (const [column, filter] of url.searchParams) {
    if (RESERVED.has(column)) continue;
    const dot = filter.indexOf('.');
    const operator = filter.slice(0, dot);
    const value = filter.slice(dot + 1);
    const sqlOperator = OPERATORS[operator];
    if (sqlOperator !== undefined) {
      params.push(unquote(value));
      clauses.push(`${ident(column)} ${sqlOperator} $${params.length}`);
    } else if (operator === 'in') {
      const values = splitList(value.replace(/^\(/, '').replace(/\)$/, ''));
      const placeholders = values.map((item) => {
        params.push(item);
        return `$${params.length}`;
      });
      clauses.push(`${ident(column)} IN (${placeholders.join(', ')})`);
    } else if (operator === 'is' && value === 'null') {
      clauses.push(`${ident(column)} IS NULL`);
    } else {
      throw new StandInError(400, 'PGRST100', `unsupported filter ${operator}`);
    }
  }
  return clauses.length === 0 ? '' : ` WHERE ${clauses.join(' AND ')}`;
}

function selectList(url: URL): string {
  const select = url.searchParams.get('select') ?? '*';
  return select === '*' ? '*' : select.split(',').map(ident).join(', ');
}

function orderAndLimit(url: URL): string {
  let sql = '';
  const order = url.searchParams.get('order');
  if (order !== null) {
    sql += ` ORDER BY ${order
      .split(',')
      .map((term) => {
        const [column = '', direction = 'asc'] = term.split('.');
        return `${ident(column)} ${direction === 'desc' ? 'DESC' : 'ASC'}`;
      })
      .join(', ')}`;
  }
  const limit = url.searchParams.get('limit');
  if (limit !== null) sql += ` LIMIT ${Number.parseInt(limit, 10)}`;
  return sql;
}

// PostgREST's documented mapping of SQLSTATEs to HTTP statuses, for the codes that occur here.
function statusOf(code: string, role: string): number {
  if (/^PT\d{3}$/.test(code)) return Number(code.slice(2));
  if (code === '42501') return role === 'anon' ? 401 : 403;
  if (['23505', '23503', '23P01'].includes(code)) return 409;
  if (code.startsWith('23') || code.startsWith('22') || code === 'P0001') return 400;
  if (code === '42883' || code === '42P01') return 404;
  return 500;
}

function claimsOf(request: Request): Record<string, unknown> {
  const token = request.headers.get('authorization')?.replace(/^Bearer /, '') ?? ANON_KEY;
  const payload = token.split('.')[1] ?? '';
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
}

async function answer(
  tx: SqlExecutor,
  method: string,
  url: URL,
  profile: string,
  prefer: string,
  body: unknown,
): Promise<Response> {
  const path = url.pathname.replace(/^\/rest\/v1\//, '');
  const schema = ident(profile);
  const params: unknown[] = [];
  const single = async (sql: string): Promise<string> => {
    const { rows } = await tx.query<{ body: string | null }>(sql, params);
    return rows[0]?.body ?? 'null';
  };
  const json = (text: string, status = 200) =>
    new HttpResponse(text, { status, headers: { 'content-type': 'application/json' } });

  if (path.startsWith('rpc/')) {
    const name = path.slice(4);
    const { rows } = await tx.query<{ retset: boolean; rettype: string }>(
      `SELECT p.proretset AS retset, p.prorettype::regtype::text AS rettype
       FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
       WHERE n.nspname = $1 AND p.proname = $2`,
      [profile, name],
    );
    const fn = rows[0];
    if (fn === undefined) {
      throw new StandInError(404, 'PGRST202', `Could not find the function ${profile}.${name}`);
    }
    const args = Object.entries((body ?? {}) as Record<string, unknown>).map(([key, value]) => {
      params.push(
        value === null || value === undefined
          ? null
          : typeof value === 'string'
            ? value
            : JSON.stringify(value),
      );
      return `${ident(key)} => $${params.length}`;
    });
    const call = `${schema}.${ident(name)}(${args.join(', ')})`;
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

  const table = `${schema}.${ident(path)}`;
  const representation = prefer.includes('return=representation');
  if (method === 'GET') {
    const where = whereOf(url, params);
    return json(
      await single(
        `SELECT coalesce(json_agg(t), '[]'::json)::text AS body
         FROM (SELECT ${selectList(url)} FROM ${table}${where}${orderAndLimit(url)}) t`,
      ),
    );
  }
  if (method === 'POST') {
    const rows = Array.isArray(body) ? body : [body];
    const columns = Object.keys((rows[0] ?? {}) as object)
      .map(ident)
      .join(', ');
    params.push(JSON.stringify(rows));
    const text = await single(
      `WITH written AS (
         INSERT INTO ${table} (${columns})
         SELECT ${columns} FROM json_populate_recordset(NULL::${table}, $1::json) RETURNING *)
       SELECT coalesce(json_agg(t), '[]'::json)::text AS body
       FROM (SELECT ${selectList(url)} FROM written) t`,
    );
    return representation ? json(text, 201) : new HttpResponse(null, { status: 201 });
  }
  if (method === 'PATCH') {
    const columns = Object.keys(body as object)
      .map(ident)
      .join(', ');
    params.push(JSON.stringify(body));
    const where = whereOf(url, params);
    const text = await single(
      `WITH written AS (
         UPDATE ${table} SET (${columns}) =
           (SELECT ${columns} FROM json_populate_record(NULL::${table}, $1::json))${where}
         RETURNING *)
       SELECT coalesce(json_agg(t), '[]'::json)::text AS body
       FROM (SELECT ${selectList(url)} FROM written) t`,
    );
    return representation ? json(text) : new HttpResponse(null, { status: 204 });
  }
  throw new StandInError(405, 'PGRST117', `unsupported method ${method}`);
}

/**
 * Installs the stand-in on `server` for requests to {@link SUPABASE_URL}, answering from the
 * database `executor()` returns, and returns the requests it answered.
 */
export function standInPostgrest(
  server: SetupServer,
  executor: () => SqlExecutor,
): RecordedRequest[] {
  const requests: RecordedRequest[] = [];
  server.resetHandlers(
    http.all(`${SUPABASE_URL}/rest/v1/*`, async ({ request }) => {
      const url = new URL(request.url);
      const text = await request.text();
      const body = text === '' ? undefined : (JSON.parse(text) as unknown);
      const profile =
        request.headers.get(request.method === 'GET' ? 'accept-profile' : 'content-profile') ??
        'public';
      requests.push({ method: request.method, url, profile, body });
      const claims = claimsOf(request);
      const role = typeof claims['role'] === 'string' ? claims['role'] : 'anon';
      try {
        return await executor().transaction(async (tx) => {
          await tx.query(
            "SELECT set_config('request.jwt.claims', $1, true), set_config('role', $2, true)",
            [JSON.stringify(claims), role],
          );
          return answer(
            tx,
            request.method,
            url,
            profile,
            request.headers.get('prefer') ?? '',
            body,
          );
        });
      } catch (error: unknown) {
        const failure = error as {
          status?: number;
          code?: string;
          message?: string;
          detail?: string;
          hint?: string;
          cause?: { code?: string; message?: string; detail?: string; hint?: string };
        };
        // core's executors wrap driver errors; PostgREST reports the driver's fields.
        const source = failure.cause?.code === undefined ? failure : failure.cause;
        const standIn = [error, failure.cause].find((item) => item instanceof StandInError);
        const code = standIn?.code ?? source.code ?? 'XX000';
        const status = standIn?.status ?? statusOf(code, role);
        return HttpResponse.json(
          {
            code,
            message: source.message ?? 'failed',
            details: source.detail ?? null,
            hint: source.hint ?? null,
          },
          { status },
        );
      }
    }),
  );
  return requests;
}

/** The requests the stand-in of a test file answered so far. */
export interface StandIn {
  readonly requests: () => readonly RecordedRequest[];
}

/**
 * Starts msw for the test file with the stand-in answering from `executor()`; unhandled requests
 * are errors.
 */
export function useStandInPostgrest(executor: () => SqlExecutor): StandIn {
  const server = setupServer();
  let requests: RecordedRequest[] = [];
  beforeAll(() => {
    server.listen({ onUnhandledFrame: 'error' });
    requests = standInPostgrest(server, executor);
  });
  afterAll(() => server.close());
  return { requests: () => requests };
}

import { TenantId, uuidv7 } from '@carequeue/core';
import { DatabaseError, UniqueViolationError } from '@carequeue/core/sql';
import { createClient } from '@supabase/supabase-js';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { errors } from '../errors.js';
import { sampleStaff } from '../testing/staff-repository-contract.js';
import type { QueueSupabaseRequestError } from '../adapter-errors.js';
import { supabaseStaffRepository } from '../staff/supabase/index.js';

const URL_BASE = 'https://project.supabase.test';

class NoRealtimeTransport {
  constructor() {
    throw new Error('No realtime connection is opened.');
  }
}

const server = setupServer();

function staffRepository(respond: () => Response) {
  server.use(http.all(`${URL_BASE}/rest/v1/*`, respond));
  const client = createClient(URL_BASE, 'service-role-key', {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport: NoRealtimeTransport as never },
  });
  return supabaseStaffRepository({ client });
}

describe('Supabase request errors', () => {
  beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());

  const tenantId = TenantId.parse(uuidv7());

  it('throws the SQL repositories error for a SQLSTATE without its text when a row is duplicated', async () => {
    const repo = staffRepository(() =>
      HttpResponse.json(
        {
          code: '23505',
          message: 'duplicate key value violates unique constraint "staff_tenant_id_user_id_key"',
          details: 'Key (tenant_id, user_id)=(…) already exists.',
          hint: null,
        },
        { status: 409 },
      ),
    );
    const error = await repo.insert(sampleStaff(tenantId, [])).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UniqueViolationError);
    expect((error as Error).message).not.toContain('Key (tenant_id, user_id)');
  });

  it('throws QueueSupabaseRequestError naming the operation when the schema is not exposed', async () => {
    const repo = staffRepository(() =>
      HttpResponse.json(
        {
          code: 'PGRST106',
          message: 'The schema must be one of the following: public',
          details: null,
          hint: null,
        },
        { status: 406 },
      ),
    );
    const error = await repo.list(tenantId, {}).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(errors.QueueSupabaseRequestError);
    const typed = error as QueueSupabaseRequestError;
    expect(typed).toMatchObject({
      code: 'QUEUE_SUPABASE_REQUEST_FAILED',
      status: 503,
      postgrestCode: 'PGRST106',
    });
    expect(typed.message.startsWith('[queue:supabase] staff.list failed')).toBe(true);
    expect(typed.cause).toMatchObject({ code: 'PGRST106' });
  });

  it('throws QueueSupabaseRequestError without a code when PostgREST cannot be reached', async () => {
    const repo = staffRepository(() => HttpResponse.error());
    await expect(repo.insert(sampleStaff(tenantId, []))).rejects.toMatchObject({
      code: 'QUEUE_SUPABASE_REQUEST_FAILED',
      postgrestCode: null,
    });
  });

  it('throws a DatabaseError with the SQLSTATE for other database failures', async () => {
    const repo = staffRepository(() =>
      HttpResponse.json(
        { code: '57014', message: 'canceling statement', details: null, hint: null },
        { status: 500 },
      ),
    );
    const error = await repo.list(tenantId, {}).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DatabaseError);
    expect((error as DatabaseError).sqlState).toBe('57014');
  });
});

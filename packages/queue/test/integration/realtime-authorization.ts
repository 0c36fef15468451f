import { SqlPermissionDeniedError, type SqlExecutor } from '@carequeue/core/sql';

/** Who asks: the database role and the claims of their JWT, as Realtime takes them. */
export interface RealtimeCaller {
  readonly role: string;
  readonly claims: Readonly<Record<string, unknown>>;
}

/** The roles a Realtime JWT may name; any other is refused before the database is asked. */
const ROLES = new Set(['anon', 'authenticated', 'service_role']);

/** Carries a probe's answer out of the transaction it ran in, which rolls back. */
class ProbeAnswer extends Error {
  constructor(readonly allowed: boolean) {
    super('probe answered');
  }
}

async function probe(
  executor: SqlExecutor,
  run: (tx: SqlExecutor) => Promise<boolean>,
): Promise<boolean> {
  try {
    await executor.transaction(async (tx) => {
      throw new ProbeAnswer(await run(tx));
    });
  } catch (error: unknown) {
    if (error instanceof ProbeAnswer) return error.allowed;
    throw error;
  }
  throw new Error('The probe transaction committed.');
}

async function becomeCaller(tx: SqlExecutor, topic: string, caller: RealtimeCaller): Promise<void> {
  await tx.query(
    `SELECT set_config('role', $1, true), set_config('realtime.topic', $2, true),
       set_config('request.jwt.claims', $3, true)`,
    [caller.role, topic, JSON.stringify(caller.claims)],
  );
}

/**
 * Whether `caller` may join (receive the broadcasts of) a private channel, decided the way
 * Supabase Realtime does: a probe row for the topic is inserted with the executor's own
 * (privileged) role, then, as the caller's role with their claims and `realtime.topic()` set,
 * the SELECT policies of `realtime.messages` must show it. Everything is rolled back.
 */
export function mayJoin(
  executor: SqlExecutor,
  topic: string,
  caller: RealtimeCaller,
  extension: 'broadcast' | 'presence' = 'broadcast',
): Promise<boolean> {
  if (!ROLES.has(caller.role)) return Promise.resolve(false);
  return probe(executor, async (tx) => {
    const { rows } = await tx.query<{ id: string }>(
      'INSERT INTO realtime.messages (topic, extension) VALUES ($1, $2) RETURNING id',
      [topic, extension],
    );
    await becomeCaller(tx, topic, caller);
    const { rows: seen } = await tx.query(
      'SELECT id FROM realtime.messages WHERE topic = $1 AND extension = $2 AND id = $3',
      [topic, extension, rows[0]?.id],
    );
    return seen.length === 1;
  });
}

/**
 * Whether `caller` may broadcast on a private channel, decided the way Supabase Realtime does:
 * as the caller's role with their claims and `realtime.topic()` set, the INSERT of a row for the
 * topic must pass the INSERT policies of `realtime.messages`. A refusal by row-level security is
 * `false`; any other error is thrown. Everything is rolled back.
 */
export function mayBroadcast(
  executor: SqlExecutor,
  topic: string,
  caller: RealtimeCaller,
): Promise<boolean> {
  if (!ROLES.has(caller.role)) return Promise.resolve(false);
  return probe(executor, async (tx) => {
    await becomeCaller(tx, topic, caller);
    try {
      await tx.query("INSERT INTO realtime.messages (topic, extension) VALUES ($1, 'broadcast')", [
        topic,
      ]);
      return true;
    } catch (error: unknown) {
      if (error instanceof SqlPermissionDeniedError) return false;
      throw error;
    }
  });
}

import { randomUUID } from 'node:crypto';
import type { SqlExecutor } from '@carequeue/core/sql';
import { expect, it } from 'vitest';
import { postgresAuditStore } from '../../src/adapters/postgres.js';
import { sampleAuditEvent } from '../../src/testing/sample-event.js';

/** Registers the scenarios of the `audit.trail` view that the Supabase store reads through. */
export function trailViewScenarios(executor: () => SqlExecutor): void {
  it('orders the view by its key columns exactly as the SQL store sorts when paging', async () => {
    const tenantId = randomUUID();
    const store = postgresAuditStore({ executor: executor() });
    await store.append(
      ['b', 'A', null, 'a'].map((userId, index) =>
        sampleAuditEvent({ tenantId, userId, timestamp: new Date(Date.UTC(2026, 0, 1, 0, index)) }),
      ),
    );
    await store.seal(tenantId, 2);
    for (const [sortBy, column] of [
      ['userId', 'user_id_key'],
      ['sequence', 'sequence_key'],
    ] as const) {
      const page = await store.query({ tenantId, sortBy, order: 'asc' });
      const { rows } = await executor().query<{ id: string }>(
        `SELECT id FROM audit.trail WHERE tenant_id = $1 ORDER BY ${column}, id`,
        [tenantId],
      );
      expect(rows.map((row) => row.id)).toEqual(page.items.map((item) => item.id));
    }
    const { rows } = await executor().query<{ user_id_key: string; sequence_key: string }>(
      'SELECT user_id_key, sequence_key::text FROM audit.trail WHERE tenant_id = $1 ORDER BY user_id_key',
      [tenantId],
    );
    expect(rows.map((row) => row.user_id_key)).toEqual(['', 'A', 'a', 'b']);
    expect(rows.filter((row) => row.sequence_key === String(Number.MAX_SAFE_INTEGER))).toHaveLength(
      2,
    );
  });
}

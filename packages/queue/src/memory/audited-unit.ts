import type { AuditEvent, AuditStore } from '@carequeue/audit';

/**
 * Runs `work` with a `recordAudit` that buffers its events, and appends them to `auditStore` in
 * one call only once `work` resolves: a unit that fails leaves no audit event behind, as a
 * rolled-back transaction.
 *
 * @example
 * ```ts
 * await withBufferedAudit(auditStore, async (recordAudit) => {
 *   await patients.insert(patient);
 *   await recordAudit(event);
 * });
 * ```
 */
export async function withBufferedAudit<T>(
  auditStore: AuditStore,
  work: (recordAudit: (event: AuditEvent) => Promise<void>) => Promise<T>,
): Promise<T> {
  const events: AuditEvent[] = [];
  const result = await work((event) => {
    events.push(event);
    return Promise.resolve();
  });
  if (events.length > 0) await auditStore.append(events);
  return result;
}

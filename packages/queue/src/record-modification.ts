import type { AuditEvent, AuditLogService } from '@carequeue/audit';

/**
 * A unit of work's scope that inserts audit events in the unit's transaction.
 *
 * @internal
 * @example
 * ```ts
 * const scope: AuditingScope = { recordAudit: async (event) => events.push(event) };
 * ```
 */
export interface AuditingScope {
  readonly recordAudit: (event: AuditEvent) => Promise<void>;
}

/**
 * Builds the modification event of a write (the arguments of `buildModificationEvent`) and
 * records it in the unit of work, so the event commits or rolls back with the write itself.
 *
 * @internal
 * @example
 * ```ts
 * await recordModification(audit, scope, actor.userId, `Staff/${id}`, current, updated, {
 *   tenantId: actor.tenantId,
 *   patientId: null,
 * });
 * ```
 */
export async function recordModification(
  audit: Pick<AuditLogService, 'buildModificationEvent'>,
  scope: AuditingScope,
  ...event: Parameters<AuditLogService['buildModificationEvent']>
): Promise<void> {
  await scope.recordAudit(await audit.buildModificationEvent(...event));
}

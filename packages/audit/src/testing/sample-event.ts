import { randomUUID } from 'node:crypto';
import { uuidv7 } from '@carequeue/core';
import { checkArguments, objectIssues } from '../argument-checks.js';
import type { AuditEvent } from '../audit-event.js';

/**
 * A complete, valid audit event for tests, with every field set; override what a test needs.
 *
 * @example
 * ```ts
 * const event = sampleAuditEvent({ tenantId, action: 'update' });
 * ```
 */
export function sampleAuditEvent(overrides: Partial<AuditEvent> = {}): AuditEvent {
  checkArguments('sampleAuditEvent', objectIssues(overrides, 'overrides'));
  return {
    id: uuidv7(),
    tenantId: randomUUID(),
    userId: randomUUID(),
    category: 'access',
    action: 'read',
    resourceType: 'Patient',
    resourceId: 'p-1',
    patientId: 'p-1',
    outcome: 'success',
    oldValue: null,
    newValue: { status: 'active', visits: 3, flags: ['vip'], nested: { ok: true } },
    changedFields: ['status'],
    ipAddress: '192.0.2.10',
    userAgent: 'Mozilla/5.0 (X11; Linux) CareQueue-Test',
    timestamp: new Date(Date.UTC(2026, 0, 1, 8, 30, 0, 123)),
    metadata: { reason: 'follow-up "visit"', page: 2, note: 'é ✓ \n tab\t' },
    purposeOfUse: 'TREAT',
    recipient: null,
    disclosureBasis: null,
    sessionId: 'session-1',
    correlationId: 'corr-1',
    dataCategories: ['demographics', 'medications'],
    retentionClass: 'standard',
    ...overrides,
  };
}

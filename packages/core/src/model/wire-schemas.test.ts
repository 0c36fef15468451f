import { describe, expect, it } from 'vitest';
import { phiLevelOf, taggedPaths } from '../phi.js';
import { AuditReport } from './audit-report.js';
import { AuditTrailEntry } from './audit-trail-entry.js';
import { QueueEvent } from './queue-event.js';
import { QueueSummary } from './queue-summary.js';
import { Tenant } from './tenant.js';
import { WaitEstimate } from './wait-estimate.js';
import { WaitlistEntry } from './waitlist-entry.js';

const id = '0190f3a4-1b2c-7d3e-8f40-0123456789ab';
const at = '2026-03-02T09:05:00.000Z';

describe('wire schemas', () => {
  it('parses a tenant and refuses a slug with capitals', () => {
    const tenant = {
      id,
      name: 'Acme Health',
      slug: 'acme',
      status: 'active',
      createdAt: at,
      updatedAt: at,
      version: 0,
    };
    expect(Tenant.parse(tenant).slug).toBe('acme');
    expect(Tenant.safeParse({ ...tenant, slug: 'Acme' }).success).toBe(false);
  });

  it('parses a waitlist entry and refuses an unknown status', () => {
    const entry = {
      id,
      tenantId: id,
      clinicId: id,
      patientId: id,
      serviceTypeId: id,
      status: 'waiting',
      createdAt: at,
      updatedAt: at,
      version: 0,
    };
    expect(WaitlistEntry.parse(entry).status).toBe('waiting');
    expect(WaitlistEntry.safeParse({ ...entry, status: 'lost' }).success).toBe(false);
  });

  it('refuses a negative wait estimate', () => {
    expect(WaitEstimate.parse({ p50Ms: 1, p90Ms: 2 })).toEqual({ p50Ms: 1, p90Ms: 2 });
    expect(WaitEstimate.safeParse({ p50Ms: -1, p90Ms: 2 }).success).toBe(false);
  });

  it('parses a queue summary whose now-serving entries carry tickets only', () => {
    const summary = QueueSummary.parse({
      clinicId: id,
      queueId: id,
      waiting: 2,
      away: 0,
      nowServing: [{ entryId: id, ticket: 'A012', status: 'called' }],
      averageWaitMs: 10,
      longestWaitMs: 20,
      computedAt: at,
    });
    expect(summary.nowServing[0]?.ticket).toBe('A012');
    expect(taggedPaths(QueueSummary)).toEqual([]);
  });

  it('parses a queue event and keeps it free of tagged fields', () => {
    const event = {
      tenantId: id,
      clinicId: id,
      queueId: id,
      entryId: id,
      version: 1,
      type: 'checked_in',
      toStatus: 'waiting',
      entryVersion: 0,
      occurredAt: at,
    };
    expect(QueueEvent.parse(event).type).toBe('checked_in');
    expect(QueueEvent.safeParse({ ...event, version: 0 }).success).toBe(false);
    expect(taggedPaths(QueueEvent)).toEqual([]);
  });

  it('parses an audit trail entry with nested JSON values and tags the client address', () => {
    const entry = {
      id,
      tenantId: id,
      userId: null,
      category: 'access',
      action: 'read',
      resourceType: 'Patient',
      resourceId: id,
      patientId: id,
      outcome: 'success',
      oldValue: null,
      newValue: { fields: ['givenName'], nested: { n: 1, ok: true, none: null } },
      changedFields: [],
      ipAddress: null,
      userAgent: null,
      timestamp: at,
      metadata: {},
      purposeOfUse: 'TREAT',
      recipient: null,
      disclosureBasis: null,
      sessionId: null,
      correlationId: null,
      dataCategories: ['demographics'],
      retentionClass: 'standard',
      sequence: null,
      payloadHash: null,
      previousHash: null,
    };
    expect(AuditTrailEntry.parse(entry).purposeOfUse).toBe('TREAT');
    expect(AuditTrailEntry.safeParse({ ...entry, purposeOfUse: 'FUN' }).success).toBe(false);
    expect(phiLevelOf(AuditTrailEntry.shape.ipAddress)).toBe('direct');
  });

  it('parses an audit report and refuses an unknown kind', () => {
    const report = {
      kind: 'security',
      title: 'Security',
      tenantId: id,
      generatedAt: at,
      period: { from: null, to: at },
      columns: [{ key: 'a', label: 'A' }],
      rows: [{ a: 1 }],
      charts: [{ id: 'by-user', title: 'By user', data: [{ label: 'u', value: 2 }] }],
      notes: [],
    };
    expect(AuditReport.parse(report).rows).toEqual([{ a: 1 }]);
    expect(AuditReport.safeParse({ ...report, kind: 'gossip' }).success).toBe(false);
  });
});

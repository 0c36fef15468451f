import { randomBytes, randomUUID } from 'node:crypto';
import { createFakeClock, ValidationError } from '@carequeue/core';
import { createRequestContext, runWithContext } from '@carequeue/core/context';
import {
  createFieldEncryptor,
  memorySubjectKeyStore,
  keyringFromConfig,
} from '@carequeue/core/crypto';
import { describe, expect, it } from 'vitest';
import type { AuditEvent } from './audit-event.js';
import { createAuditLogService } from './audit-log-service.js';
import { memoryAuditStore } from './adapters/memory.js';
import { jsonbText } from './canonical-form.js';
import { AuditTenantMissingError } from './errors.js';
import { revealValue } from './value-reveal.js';

const tenantId = randomUUID();
const userId = randomUUID();
const patientId = randomUUID();

function setup() {
  const store = memoryAuditStore();
  const clock = createFakeClock(Date.UTC(2026, 1, 3, 10, 0, 0));
  const audit = createAuditLogService({ store, clock });
  return { store, clock, audit };
}

const context = createRequestContext({
  correlationIdHeader: 'corr-42',
  actor: { userId, tenantId, roles: ['clinician'], aal: 'aal2' },
  purposeOfUse: 'TREAT',
  ip: '198.51.100.7',
  userAgent: 'Browser/1.0',
});

describe('AuditLogService', () => {
  it('takes actor, tenant, ip, user agent, correlation id and purpose from the context when not given', async () => {
    const { audit, store } = setup();
    await runWithContext(context, () =>
      audit.logDataAccess(undefined, `Patient/${patientId}`, 'read', { fields: ['name'] }),
    );
    const [log] = (await store.query({ tenantId })).items;
    expect(log).toMatchObject({
      tenantId,
      userId,
      category: 'access',
      action: 'read',
      resourceType: 'Patient',
      resourceId: patientId,
      patientId,
      ipAddress: '198.51.100.7',
      userAgent: 'Browser/1.0',
      correlationId: 'corr-42',
      purposeOfUse: 'TREAT',
      outcome: 'success',
      metadata: { fields: ['name'] },
      timestamp: new Date(Date.UTC(2026, 1, 3, 10, 0, 0)),
      retentionClass: 'standard',
    });
  });

  it('prefers explicit values over the context when a call gives them', async () => {
    const { audit, store } = setup();
    const other = randomUUID();
    await runWithContext(context, () =>
      audit.logDataAccess(
        other,
        { type: 'Appointment', id: 'a-1' },
        'search',
        {},
        {
          purposeOfUse: 'HOPERAT',
          ipAddress: null,
          userAgent: 'cli',
          correlationId: 'c-2',
          sessionId: 's-1',
          patientId,
          outcome: 'denied',
          dataCategories: ['appointments'],
          retentionClass: 'extended',
        },
      ),
    );
    const [log] = (await store.query({ tenantId })).items;
    expect(log).toMatchObject({
      userId: other,
      resourceType: 'Appointment',
      resourceId: 'a-1',
      patientId,
      purposeOfUse: 'HOPERAT',
      ipAddress: null,
      userAgent: 'cli',
      correlationId: 'c-2',
      sessionId: 's-1',
      outcome: 'denied',
      dataCategories: ['appointments'],
      retentionClass: 'extended',
    });
  });

  it('throws AuditTenantMissingError when no tenant is given or in context', async () => {
    const { audit } = setup();
    await expect(audit.logDataAccess(userId, 'Schedule', 'read')).rejects.toThrow(
      AuditTenantMissingError,
    );
  });

  // A missing tenant was a 500 (AUDIT_TENANT_MISSING), reported as a server failure although the
  // caller's request is what lacks the tenant.
  it('refuses every call with no tenant as a 400 before touching the store', async () => {
    const touched: string[] = [];
    const memory = memoryAuditStore();
    const store = new Proxy(memory, {
      get(target, name, receiver) {
        touched.push(String(name));
        return Reflect.get(target, name, receiver) as unknown;
      },
    });
    const audit = createAuditLogService({ store });
    touched.length = 0;
    const calls = [
      () => audit.logDataAccess(userId, `Patient/${patientId}`, 'read'),
      () => audit.logDataModification(userId, `Patient/${patientId}`, { a: 1 }, { a: 2 }),
      () => audit.buildModificationEvent(userId, `Patient/${patientId}`, null, { a: 2 }),
      () => audit.logDataExport(userId, patientId, ['name']),
      () => audit.logAuthEvent('login', { userId }),
      () => audit.getAuditTrail(patientId),
      () => audit.queryTrail({ patientId }),
    ];
    for (const call of calls) {
      const refusal = await call().then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(refusal).toBeInstanceOf(AuditTenantMissingError);
      expect(refusal).toMatchObject({ code: 'AUDIT_TENANT_MISSING', status: 400 });
    }
    expect(touched).toEqual([]);
  });

  // An invalid Date in a recorded value reached toISOString and threw a raw RangeError.
  it('refuses an invalid date in a recorded value with a ValidationError naming the argument', async () => {
    const { audit, store } = setup();
    const invalid = new Date(Number.NaN);
    const refusals = [
      [
        () =>
          audit.logDataModification(userId, 'Schedule', { a: 1 }, { a: [invalid] }, { tenantId }),
        'newValue',
      ],
      [
        () => audit.buildModificationEvent(userId, 'Schedule', { at: invalid }, null, { tenantId }),
        'oldValue',
      ],
      [
        () => audit.logDataAccess(userId, 'Schedule', 'read', { at: invalid }, { tenantId }),
        'metadata',
      ],
      [
        () => audit.logAuthEvent('login', { tenantId, metadata: { nested: { at: invalid } } }),
        'options.metadata',
      ],
    ] as const;
    for (const [call, path] of refusals) {
      const refusal = await call().then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(refusal).toBeInstanceOf(ValidationError);
      expect((refusal as ValidationError).issues.map((issue) => issue.path)).toEqual([path]);
    }
    expect((await store.query({ tenantId })).items).toEqual([]);
  });

  // A lone surrogate in a recorded value made the SQL stores fail with a 503 (jsonb refuses it)
  // while the memory store kept it; in a text field the driver silently stored U+FFFD instead.
  it('refuses an unpaired surrogate in a recorded value or text field, naming the argument', async () => {
    const { audit, store } = setup();
    const lone = 'note\ud800';
    const refusals = [
      [
        () => audit.logDataModification(userId, 'Schedule', { a: 1 }, { a: lone }, { tenantId }),
        'newValue',
      ],
      [
        () =>
          audit.logDataAccess(userId, 'Schedule', 'read', { [`\udc00${lone}`]: 1 }, { tenantId }),
        'metadata',
      ],
      [() => audit.logAuthEvent('login', { tenantId, userAgent: lone }), 'options.userAgent'],
      [() => audit.logDataExport(userId, patientId, [lone], { tenantId }), 'exportedFields.0'],
    ] as const;
    for (const [call, path] of refusals) {
      const refusal = await call().then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(refusal).toBeInstanceOf(ValidationError);
      expect((refusal as ValidationError).issues.map((issue) => issue.path)).toEqual([path]);
    }
    expect((await store.query({ tenantId })).items).toEqual([]);
    await audit.logDataAccess(
      userId,
      'Schedule',
      'read',
      { note: 'paired \ud83d\ude00' },
      { tenantId },
    );
    expect((await store.query({ tenantId })).items).toHaveLength(1);
  });

  it('stores encrypted values and the changed fields when data is modified', async () => {
    const store = memoryAuditStore();
    const encryptor = createFieldEncryptor({
      keys: keyringFromConfig({ current: 'k1', keys: { k1: randomBytes(32).toString('base64') } }),
      subjectKeys: memorySubjectKeyStore(),
    });
    const audit = createAuditLogService({ store, encryptor, protectedFields: ['ward'] });
    await audit.logDataModification(
      userId,
      `Patient/${patientId}`,
      { givenName: 'Ada', status: 'active', ward: 'B' },
      { givenName: 'Augusta', status: 'active', ward: 'C' },
      { tenantId },
    );
    const [log] = (await store.query({ tenantId })).items;
    expect(log?.action).toBe('update');
    expect(log?.changedFields).toEqual(['givenName', 'ward']);
    const stored = jsonbText([log?.oldValue ?? null, log?.newValue ?? null]);
    for (const clear of ['Ada', 'Augusta', '"B"', '"C"']) expect(stored).not.toContain(clear);
    expect(stored).toContain('"status": "active"');
    const newValue = log?.newValue as Record<string, Record<string, string>>;
    const plain = await encryptor.decrypt(newValue.givenName?.$encrypted as string, {
      table: 'audit.events',
      column: 'new_value.givenName',
      rowId: log?.id as string,
      subjectId: patientId,
    });
    expect(plain).toBe('"Augusta"');
  });

  it('derives create and delete actions when one side is absent', async () => {
    const { audit, store } = setup();
    await audit.logDataModification(userId, 'Schedule/s-1', null, { hours: 8 }, { tenantId });
    await audit.logDataModification(userId, 'Schedule/s-1', { hours: 8 }, undefined, { tenantId });
    await audit.logDataModification(
      userId,
      'Schedule/',
      { a: 1 },
      { a: 2 },
      { tenantId, action: 'merge' },
    );
    const actions = (await store.query({ tenantId })).items.map((log) => log.action);
    expect(actions).toEqual(['create', 'delete', 'merge']);
    const [created] = (await store.query({ tenantId, action: 'create' })).items;
    expect(created?.newValue).toEqual({ hours: 8 });
    expect(created?.patientId).toBeNull();
  });

  it('records recipient, purpose and legal basis when data is exported', async () => {
    const { audit, store } = setup();
    await audit.logDataExport(userId, patientId, ['medications', 'allergies'], {
      tenantId,
      recipient: 'Dr. Lee, City Clinic',
      purposeOfUse: 'TREAT',
      legalBasis: '45 CFR 164.506(c)',
    });
    const [log] = (await store.query({ tenantId })).items;
    expect(log).toMatchObject({
      category: 'export',
      action: 'export',
      patientId,
      recipient: 'Dr. Lee, City Clinic',
      purposeOfUse: 'TREAT',
      disclosureBasis: '45 CFR 164.506(c)',
      dataCategories: ['medications', 'allergies'],
      metadata: { exportedFields: ['medications', 'allergies'] },
    });
  });

  it('encrypts the free text in the metadata of an event about a patient under their key, and keeps codes and ids', async () => {
    const store = memoryAuditStore();
    const encryptor = createFieldEncryptor({
      keys: keyringFromConfig({ current: 'k1', keys: { k1: randomBytes(32).toString('base64') } }),
      subjectKeys: memorySubjectKeyStore(),
    });
    const audit = createAuditLogService({ store, encryptor });
    const reason = 'Her husband called: she is in hospital after a fall';
    await audit.logDataModification(
      userId,
      `Appointment/${randomUUID()}`,
      { status: 'booked' },
      { status: 'cancelled', cancellationReason: 'patient-request' },
      {
        tenantId,
        patientId,
        action: 'cancel',
        metadata: { reason, channel: 'phone', nested: { note: reason }, attempts: 2 },
      },
    );
    const [log] = (await store.query({ tenantId })).items;
    expect(JSON.stringify(log)).not.toContain('hospital');
    expect(log?.metadata).toMatchObject({ channel: 'phone', attempts: 2 });
    expect(
      await revealValue(log!.metadata, {
        eventId: log!.id,
        column: 'metadata',
        subjectId: patientId,
        encryptor,
      }),
    ).toEqual({ reason, channel: 'phone', nested: { note: reason }, attempts: 2 });
  });

  it('redacts the free text in the metadata of an event about a patient when there is no encryptor', async () => {
    const { audit, store } = setup();
    await audit.logDataAccess(
      userId,
      `Patient/${patientId}`,
      'read',
      { reason: 'Jane Roe' },
      { tenantId },
    );
    const [log] = (await store.query({ tenantId })).items;
    expect(log?.metadata).toEqual({ reason: { $redacted: true } });
  });

  it('keeps the metadata of an event about no patient as written', async () => {
    const { audit, store } = setup();
    await audit.logAuthEvent('audit_config_change', {
      tenantId,
      userId,
      metadata: { reason: 'Research copy, no patients' },
    });
    const [log] = (await store.query({ tenantId })).items;
    expect(log?.metadata).toEqual({ reason: 'Research copy, no patients' });
  });

  it('records every authentication event kind when logged', async () => {
    const { audit, store } = setup();
    await audit.logAuthEvent('login_failed', {
      tenantId,
      userId: null,
      outcome: 'failure',
      metadata: { reason: 'password' },
    });
    await audit.logAuthEvent('role_change', {
      tenantId,
      userId,
      resource: `User/${userId}`,
      metadata: { to: 'admin' },
    });
    await runWithContext(context, () => audit.logAuthEvent('break_glass'));
    const logs = (await store.query({ tenantId, category: 'auth' })).items;
    expect(logs.map((log) => [log.action, log.outcome, log.userId, log.resourceType])).toEqual([
      ['login_failed', 'failure', null, 'Session'],
      ['role_change', 'success', userId, 'User'],
      ['break_glass', 'success', userId, 'Session'],
    ]);
  });

  it('sends reads to the read writer and resolves only after it acknowledged', async () => {
    const store = memoryAuditStore();
    const written: AuditEvent[] = [];
    let acknowledge: (() => void) | undefined;
    const audit = createAuditLogService({
      store,
      readWriter: {
        write: (event) =>
          new Promise<void>((resolve) => {
            written.push(event);
            acknowledge = resolve;
          }),
      },
    });
    let resolved = false;
    const pending = audit.logDataAccess(userId, 'Patient/p', 'read', {}, { tenantId }).then(() => {
      resolved = true;
    });
    await Promise.resolve();
    expect(written).toHaveLength(1);
    expect(resolved).toBe(false);
    acknowledge?.();
    await pending;
    expect(resolved).toBe(true);
    expect((await store.query({ tenantId })).items).toHaveLength(0);
  });

  it('returns a patient trail between dates across pages when asked', async () => {
    const { audit, clock } = setup();
    for (let index = 0; index < 1_005; index += 1) {
      await audit.logDataAccess(userId, `Patient/${patientId}`, 'read', {}, { tenantId });
      await clock.advance(1_000);
    }
    await audit.logDataAccess(userId, 'Patient/other', 'read', {}, { tenantId });
    expect(await audit.getAuditTrail(patientId, undefined, undefined, { tenantId })).toHaveLength(
      1_005,
    );
    const start = new Date(Date.UTC(2026, 1, 3, 10, 0, 10));
    const end = new Date(Date.UTC(2026, 1, 3, 10, 0, 19));
    const window = await runWithContext(context, () => audit.getAuditTrail(patientId, start, end));
    expect(window).toHaveLength(10);
    const page = await audit.queryTrail({ tenantId, sortBy: 'timestamp', order: 'desc', limit: 2 });
    expect(page.items[0]?.patientId).toBe('other');
  });
});

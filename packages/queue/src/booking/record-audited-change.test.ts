import { createAuditLogService, memoryAuditStore, type AuditEvent } from '@carequeue/audit';
import { UserId, uuidv7 } from '@carequeue/core';
import { describe, expect, it } from 'vitest';
import { appointmentAt, memoryWorld } from '../../test/integration/booking-fixtures.js';
import type { StoredAppointment } from './ports/appointment-repository.js';
import type { WaitlistEntry } from './ports/waitlist-repository.js';
import { auditedChangeOf, recordAuditedChange } from './record-audited-change.js';

const world = memoryWorld();
const { tenantId } = world;
const appointment = appointmentAt(world, '2026-03-02T08:00:00.000Z', 30, { bufferAfterMinutes: 5 });
const patientId = appointment.patientId;
const actor = { userId: UserId.parse(uuidv7()) };
const audit = createAuditLogService({ store: memoryAuditStore() });

/** A unit of work that keeps the events recorded in it. */
function recordingWork(): {
  recorded: AuditEvent[];
  recordAudit: (e: AuditEvent) => Promise<void>;
} {
  const recorded: AuditEvent[] = [];
  return {
    recorded,
    recordAudit: (event) => {
      recorded.push(event);
      return Promise.resolve();
    },
  };
}

describe('recordAuditedChange', () => {
  it('records one event for the record, the patient and the actor when a record is created', async () => {
    const work = recordingWork();
    await recordAuditedChange(
      audit,
      work,
      actor,
      auditedChangeOf('Appointment', null, appointment),
    );
    expect(work.recorded).toHaveLength(1);
    expect(work.recorded[0]).toMatchObject({
      category: 'modification',
      action: 'create',
      resourceType: 'Appointment',
      resourceId: appointment.id,
      tenantId,
      patientId,
      userId: actor.userId,
      oldValue: null,
      metadata: {},
    });
  });

  it('records the named action, the fields that changed and the metadata of an update', async () => {
    const work = recordingWork();
    const cancelled: StoredAppointment = { ...appointment, status: 'cancelled', version: 1 };
    await recordAuditedChange(
      audit,
      work,
      actor,
      auditedChangeOf('Appointment', appointment, cancelled, {
        action: 'cancel',
        metadata: { seatNumber: 2 },
      }),
    );
    expect(work.recorded[0]).toMatchObject({
      action: 'cancel',
      changedFields: ['status', 'version'],
      metadata: { seatNumber: 2 },
    });
  });

  it('calls an update an update when no action is named', async () => {
    const work = recordingWork();
    const entry: WaitlistEntry = {
      id: uuidv7(),
      tenantId,
      clinicId: appointment.clinicId,
      patientId,
      serviceTypeId: appointment.serviceTypeId,
      status: 'waiting',
      createdAt: appointment.createdAt,
      updatedAt: appointment.updatedAt,
      version: 0,
    };
    const booked: WaitlistEntry = { ...entry, status: 'booked', version: 1 };
    await recordAuditedChange(audit, work, actor, auditedChangeOf('WaitlistEntry', entry, booked));
    expect(work.recorded[0]).toMatchObject({
      action: 'update',
      resourceType: 'WaitlistEntry',
      resourceId: entry.id,
      patientId,
    });
  });

  it('records nothing and rejects when the event cannot be built', async () => {
    const work = recordingWork();
    const change = {
      ...auditedChangeOf('Appointment', null, appointment),
      tenantId: 'not a tenant id',
    };
    await expect(recordAuditedChange(audit, work, actor, change)).rejects.toThrow();
    expect(work.recorded).toEqual([]);
  });

  it('rejects with the unit of work when recording fails, so the change rolls back', async () => {
    const failure = new Error('audit store down');
    const work = { recordAudit: () => Promise.reject(failure) };
    await expect(
      recordAuditedChange(audit, work, actor, auditedChangeOf('Appointment', null, appointment)),
    ).rejects.toBe(failure);
  });
});

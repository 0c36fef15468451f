import {
  AppointmentId,
  ClinicId,
  ForbiddenError,
  InvalidTransitionError,
  NotFoundError,
  PatientId,
  QueueId,
  ServiceTypeId,
  TenantId,
  uuidv7,
  ValidationError,
} from '@carequeue/core';
import type { Actor } from '@carequeue/core';
import { describe, expect, it, vi } from 'vitest';
import { createServiceTimeTracker } from '../estimation/index.js';
import { memoryAppointmentArrivals } from './memory/appointment-arrivals.js';
import { memoryQueueEntryRepository } from './memory/queue-entry-repository.js';
import type { QueueEvent, QueueEventSink } from './ports/queue-event.js';
import { createQueueService } from './queue-service.js';
import type { QueueServiceOptions } from './queue-service-options.js';
import {
  AlreadyQueuedError,
  AppointmentNotCheckableError,
  NotWaitingError,
  QueueClinicMismatchError,
} from './walk-in-errors.js';
import { memoryWalkInUnitOfWork } from './memory/walk-in-unit-of-work.js';
import { memoryClinicRepository } from '../clinics/index.js';
import { sampleClinic } from '../testing/clinic-repository-contract.js';
import { QueueConfigError } from '../config/queue-config-error.js';
import { storedPatients } from '../../test/memory-contract-fixtures.js';
import { memoryServiceDependencies, staffActorOf } from '../../test/memory-service-fixture.js';

const tenantId = TenantId.parse(uuidv7());
const clinicOne = ClinicId.parse(uuidv7());
const clinicTwo = ClinicId.parse(uuidv7());
const queueId = QueueId.parse(uuidv7());
const labQueue = QueueId.parse(uuidv7());
const patientId = PatientId.parse(uuidv7());
const consultation = ServiceTypeId.parse(uuidv7());
const START = Date.UTC(2026, 2, 2, 9);
const MINUTE = 60_000;

function actor(roles: Actor['roles'], overrides: Partial<Actor> = {}): Actor {
  return staffActorOf(tenantId, roles, overrides);
}

const desk = actor(['receptionist'], { clinicIds: [clinicOne] });
const otherDesk = actor(['receptionist'], { clinicIds: [clinicTwo] });
const admin = actor(['admin']);
const patient = actor(['patient'], { aal: 'aal1', patientId, staffId: undefined });
const line = { clinicId: clinicOne, queueId };

async function setup(overrides: Partial<QueueServiceOptions> = {}) {
  const { clock, auditStore, audit, cache } = memoryServiceDependencies();
  const clinics = memoryClinicRepository();
  for (const id of [clinicOne, clinicTwo]) await clinics.insert(sampleClinic(tenantId, { id }));
  const entries = memoryQueueEntryRepository({
    clinics,
    patients: await storedPatients(tenantId, [patientId]),
  });
  const appointments = memoryAppointmentArrivals();
  const serviceTimes = createServiceTimeTracker({
    defaultPrior: { meanMs: 10 * MINUTE, sdMs: 5 * MINUTE },
  });
  const published: QueueEvent[] = [];
  const service = createQueueService({
    unitOfWork: memoryWalkInUnitOfWork({ auditStore, entries, appointments }),
    audit,
    cache,
    clock,
    serviceTimes,
    afterCommit: (events) => {
      published.push(...events);
    },
    ...overrides,
  });
  const audited = async () =>
    (await auditStore.query({ tenantId, limit: 500 })).items.map((event) => event.action);
  return { clock, service, entries, appointments, serviceTimes, published, audited };
}

describe('QueueService', () => {
  it('checks a walk-in in with a ticket, a position, an event and an audit record', async () => {
    const { service, published, audited } = await setup();
    const entry = await service.checkInWalkIn(desk, {
      ...line,
      patientId,
      serviceTypeId: consultation,
    });
    expect(entry).toMatchObject({
      status: 'waiting',
      ticket: 'W001',
      position: 1,
      source: 'walk-in',
    });
    expect(entry.checkedInAt).toBe(new Date(START).toISOString());
    expect(published).toEqual([
      {
        tenantId,
        clinicId: clinicOne,
        queueId,
        entryId: entry.id,
        version: 1,
        type: 'checked_in',
        toStatus: 'waiting',
        entryVersion: 0,
        occurredAt: entry.checkedInAt,
      },
    ]);
    expect(await audited()).toContain('queue.checked_in');
  });

  it('never puts the guest name of an anonymous walk-in into an event', async () => {
    const { service, published } = await setup();
    const entry = await service.checkInWalkIn(desk, { ...line, guestName: 'Walk-in Guest' });
    expect(entry.guestName).toBe('Walk-in Guest');
    expect(JSON.stringify(published)).not.toContain('Walk-in Guest');
    expect(Object.keys(published[0] ?? {}).sort()).toEqual([
      'clinicId',
      'entryId',
      'entryVersion',
      'occurredAt',
      'queueId',
      'tenantId',
      'toStatus',
      'type',
      'version',
    ]);
  });

  it('calls patients by priority and check-in time and never the same one twice', async () => {
    const { service, clock } = await setup();
    const first = await service.checkInWalkIn(desk, line);
    await clock.advance(MINUTE);
    const second = await service.checkInWalkIn(desk, line);
    await clock.advance(MINUTE);
    const urgent = await service.checkInWalkIn(desk, { ...line, priority: 100 });
    const order = [];
    for (;;) {
      const called = await service.callNext(desk, { ...line, counter: 'Room 1' });
      if (called === undefined) break;
      expect(called).toMatchObject({ status: 'called', counter: 'Room 1', calledBy: desk.staffId });
      order.push(called.id);
    }
    expect(order).toEqual([urgent.id, first.id, second.id]);
  });

  it('lets a long wait outrank later urgent arrivals when priorities age', async () => {
    const { service, clock } = await setup({ aging: { maxWaitMs: 60 * MINUTE } });
    const normal = await service.checkInWalkIn(desk, line);
    await clock.advance(31 * MINUTE);
    await service.checkInWalkIn(desk, { ...line, priority: 100 });
    expect((await service.callNext(desk, line))?.id).toBe(normal.id);
  });

  it('lists the live line with derived positions and moves an entry when triaged', async () => {
    const { service, clock } = await setup();
    const a = await service.checkInWalkIn(desk, line);
    await clock.advance(MINUTE);
    const b = await service.checkInWalkIn(desk, line);
    const triaged = await service.triage(desk, b.id, 40);
    expect(triaged).toMatchObject({ priority: 40, status: 'waiting' });
    const listed = await service.listLine(desk, clinicOne, queueId);
    expect(listed.map((entry) => [entry.id, entry.position])).toEqual([
      [b.id, 1],
      [a.id, 2],
    ]);
    expect((await service.get(desk, a.id)).position).toBe(2);
    await expect(service.triage(desk, a.id, 101)).rejects.toThrow(ValidationError);
    await service.callNext(desk, line);
    await expect(service.triage(desk, b.id, 10)).rejects.toThrow(NotWaitingError);
  });

  it('checks an arriving appointment in, marks it arrived and orders it by start minus grace', async () => {
    const { service, appointments, clock } = await setup({ appointmentGraceMs: 10 * MINUTE });
    const appointmentId = AppointmentId.parse(uuidv7());
    appointments.put({
      id: appointmentId,
      tenantId,
      clinicId: clinicOne,
      patientId,
      serviceTypeId: consultation,
      status: 'booked',
      startsAt: new Date(START + 30 * MINUTE).toISOString(),
      version: 0,
    });
    const walkIn = await service.checkInWalkIn(desk, line);
    await clock.advance(25 * MINUTE);
    const arrived = await service.checkInAppointment(desk, { queueId, appointmentId });
    expect(arrived).toMatchObject({
      source: 'appointment',
      ticket: 'A002',
      patientId,
      appointmentId,
      serviceTypeId: consultation,
      effectiveAt: new Date(START + 20 * MINUTE).toISOString(),
      position: 2,
    });
    expect((await appointments.get(tenantId, appointmentId))?.status).toBe('arrived');
    await expect(service.checkInAppointment(desk, { queueId, appointmentId })).rejects.toThrow(
      AlreadyQueuedError,
    );
    expect((await service.callNext(desk, line))?.id).toBe(walkIn.id);
  });

  it('refuses appointments that are missing, not checkable or at another clinic', async () => {
    const { service, appointments } = await setup();
    const cancelled = AppointmentId.parse(uuidv7());
    const elsewhere = AppointmentId.parse(uuidv7());
    const base = {
      tenantId,
      patientId,
      serviceTypeId: consultation,
      startsAt: new Date(START).toISOString(),
      version: 0,
    };
    appointments.put({ ...base, id: cancelled, clinicId: clinicOne, status: 'cancelled' });
    appointments.put({ ...base, id: elsewhere, clinicId: clinicTwo, status: 'booked' });
    await expect(
      service.checkInAppointment(desk, { queueId, appointmentId: AppointmentId.parse(uuidv7()) }),
    ).rejects.toThrow(NotFoundError);
    await expect(
      service.checkInAppointment(desk, { queueId, appointmentId: cancelled }),
    ).rejects.toThrow(AppointmentNotCheckableError);
    await expect(
      service.checkInAppointment(desk, { queueId, appointmentId: elsewhere }),
    ).rejects.toThrow(ForbiddenError);
  });

  it('recalls a called patient to their place and makes them a no-show after the last recall', async () => {
    const { service, published } = await setup({ maxRecalls: 1 });
    const entry = await service.checkInWalkIn(desk, line);
    await service.checkInWalkIn(desk, line);
    await service.callNext(desk, line);
    const recalled = await service.recall(desk, entry.id);
    expect(recalled).toMatchObject({ status: 'waiting', recallCount: 1 });
    expect(recalled.counter).toBeUndefined();
    expect((await service.callNext(desk, line))?.id).toBe(entry.id);
    const gone = await service.recall(desk, entry.id);
    expect(gone).toMatchObject({ status: 'no_show', recallCount: 1 });
    expect(gone.endedAt).toBeDefined();
    expect(published.map((event) => event.type)).toEqual([
      'checked_in',
      'checked_in',
      'called',
      'recalled',
      'called',
      'no_show',
    ]);
    expect(published.map((event) => event.version)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('marks patients called longer than the timeout as no-shows when sweeping', async () => {
    const { service, clock } = await setup({ noShowTimeoutMs: 5 * MINUTE });
    const slow = await service.checkInWalkIn(desk, line);
    const quick = await service.checkInWalkIn(desk, line);
    await service.callNext(desk, line);
    await clock.advance(3 * MINUTE);
    await service.callNext(desk, line);
    await clock.advance(3 * MINUTE);
    expect(await service.sweepNoShows(desk, line)).toBe(1);
    expect((await service.get(desk, slow.id)).status).toBe('no_show');
    expect((await service.get(desk, quick.id)).status).toBe('called');
    const marked = await service.markNoShow(desk, quick.id);
    expect(marked.status).toBe('no_show');
  });

  it('keeps the place of a patient who steps away and returns, and lets waiting patients leave', async () => {
    const { service, clock } = await setup();
    const first = await service.checkInWalkIn(desk, line);
    await clock.advance(MINUTE);
    const second = await service.checkInWalkIn(desk, line);
    await clock.advance(MINUTE);
    const third = await service.checkInWalkIn(desk, line);
    expect((await service.stepAway(desk, first.id)).status).toBe('away');
    expect((await service.get(desk, second.id)).position).toBe(1);
    expect((await service.returnToLine(desk, first.id)).status).toBe('waiting');
    expect((await service.get(desk, first.id)).position).toBe(1);
    expect((await service.leave(desk, second.id)).status).toBe('left');
    expect((await service.cancel(desk, third.id)).status).toBe('cancelled');
    await expect(service.leave(desk, second.id)).rejects.toThrow(InvalidTransitionError);
  });

  it('serves a patient, feeds the service time into the tracker and transfers to another line', async () => {
    const { service, clock, serviceTimes, published } = await setup();
    const entry = await service.checkInWalkIn(desk, {
      ...line,
      serviceTypeId: consultation,
      priority: 20,
    });
    await service.callNext(desk, line);
    const started = await service.startService(desk, entry.id);
    expect(started.serviceStartedAt).toBe(new Date(clock.now()).toISOString());
    await clock.advance(30 * MINUTE);
    const { from, to } = await service.transfer(desk, entry.id, { queueId: labQueue });
    expect(from).toMatchObject({ status: 'transferred', transferredToEntryId: to.id });
    expect(to).toMatchObject({
      status: 'waiting',
      source: 'transfer',
      queueId: labQueue,
      priority: 20,
      transferredFromEntryId: entry.id,
      position: 1,
      ticket: 'T001',
    });
    expect(published.slice(-2).map((event) => [event.queueId, event.type, event.version])).toEqual([
      [queueId, 'transferred', 4],
      [labQueue, 'checked_in', 1],
    ]);
    await service.callNext(desk, { clinicId: clinicOne, queueId: labQueue });
    await service.startService(desk, to.id);
    await clock.advance(20 * MINUTE);
    expect((await service.complete(desk, to.id)).status).toBe('completed');
    expect(serviceTimes.moments(consultation).meanMs).toBeGreaterThan(10 * MINUTE);
  });

  it('refuses moves the transition table forbids', async () => {
    const { service } = await setup();
    const entry = await service.checkInWalkIn(desk, line);
    await expect(service.startService(desk, entry.id)).rejects.toThrow(InvalidTransitionError);
    await expect(service.recall(desk, entry.id)).rejects.toThrow(InvalidTransitionError);
    await expect(service.transfer(desk, entry.id, { queueId: labQueue })).rejects.toThrow(
      InvalidTransitionError,
    );
  });

  it('summarizes a line from cache for 30 s and recomputes after a change', async () => {
    const { service, clock } = await setup();
    const first = await service.checkInWalkIn(desk, line);
    await clock.advance(4 * MINUTE);
    await service.checkInWalkIn(desk, line);
    await clock.advance(2 * MINUTE);
    const summary = await service.summary(desk, clinicOne, queueId);
    expect(summary).toMatchObject({
      waiting: 2,
      away: 0,
      nowServing: [],
      averageWaitMs: 4 * MINUTE,
      longestWaitMs: 6 * MINUTE,
    });
    await clock.advance(10_000);
    expect(await service.summary(desk, clinicOne, queueId)).toEqual(summary);
    await service.callNext(desk, { ...line, counter: 'Desk 2' });
    const after = await service.summary(desk, clinicOne, queueId);
    expect(after).toMatchObject({
      waiting: 1,
      nowServing: [
        { entryId: first.id, ticket: first.ticket, status: 'called', counter: 'Desk 2' },
      ],
    });
    await clock.advance(31_000);
    expect((await service.summary(desk, clinicOne, queueId)).computedAt).not.toBe(after.computedAt);
  });

  it('estimates the wait of a waiting patient from those ahead and the servers', async () => {
    const activeServers = vi.fn(() => 2);
    const { service } = await setup({ activeServers });
    await service.checkInWalkIn(desk, line);
    await service.checkInWalkIn(desk, line);
    const third = await service.checkInWalkIn(desk, line);
    const estimate = await service.estimateWait(desk, third.id);
    expect(estimate.position).toBe(3);
    expect(estimate.p50Ms).toBeGreaterThan(0);
    expect(estimate.p90Ms).toBeGreaterThan(estimate.p50Ms);
    expect(activeServers).toHaveBeenCalledWith({ tenantId, clinicId: clinicOne, queueId });
    const first = await service.callNext(desk, line);
    await expect(service.estimateWait(desk, first?.id as never)).rejects.toThrow(NotWaitingError);
  });

  it('uses a given estimator with the entry and its snapshot', async () => {
    const estimate = vi.fn(() => Promise.resolve({ p50Ms: 1, p90Ms: 2 }));
    const { service } = await setup({ estimator: { estimate } });
    const entry = await service.checkInWalkIn(desk, { ...line, serviceTypeId: consultation });
    expect(await service.estimateWait(desk, entry.id)).toEqual({
      entryId: entry.id,
      position: 1,
      p50Ms: 1,
      p90Ms: 2,
    });
    expect(estimate).toHaveBeenCalledWith({
      entryId: entry.id,
      clinicId: clinicOne,
      serviceType: consultation,
      snapshot: { activeServers: 1, ahead: [], inService: [] },
    });
  });

  it('reports waits, service times and drop-off per local day and hour', async () => {
    const { service, clock } = await setup();
    const served = await service.checkInWalkIn(desk, { ...line, serviceTypeId: consultation });
    const walkedOff = await service.checkInWalkIn(desk, line);
    const missed = await service.checkInWalkIn(desk, line);
    await clock.advance(12 * MINUTE);
    await service.callNext(desk, line);
    await service.startService(desk, served.id);
    await clock.advance(8 * MINUTE);
    await service.complete(desk, served.id);
    await service.leave(desk, walkedOff.id);
    await service.callNext(desk, line);
    await service.markNoShow(desk, missed.id);
    const analytics = await service.analytics(admin, {
      clinicId: clinicOne,
      from: new Date(START - 60 * MINUTE).toISOString(),
      to: new Date(START + 60 * MINUTE).toISOString(),
      timeZone: 'Europe/Berlin',
    });
    expect(analytics).toEqual({
      checkedIn: 3,
      called: 2,
      averageWaitMs: 16 * MINUTE,
      longestWaitMs: 20 * MINUTE,
      serviceTimeByType: { [consultation]: { count: 1, averageMs: 8 * MINUTE } },
      dropOffByDay: { '2026-03-02': { left: 1, noShow: 1 } },
      dropOffByHour: { 10: { left: 1, noShow: 1 } },
    });
    await expect(
      service.analytics(admin, { clinicId: clinicOne, from: 'x', to: 'y' }),
    ).rejects.toThrow(ValidationError);
    await expect(
      service.analytics(admin, {
        clinicId: clinicOne,
        from: new Date(START).toISOString(),
        to: new Date(START + MINUTE).toISOString(),
        timeZone: 'Nowhere/Else',
      }),
    ).rejects.toThrow(ValidationError);
  });

  it('refuses an analytics range from year 0001 to 9999 with a ValidationError naming request.to (unbounded range read every check-in)', async () => {
    const { service } = await setup();
    await expect(
      service.analytics(admin, {
        clinicId: clinicOne,
        from: '0001-01-01T00:00:00.000Z',
        to: '9999-12-31T00:00:00.000Z',
      }),
    ).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      issues: [{ path: 'request.to', message: 'must be at most 366 days after from' }],
    });
  });

  it('checks authorization on every path', async () => {
    const { service } = await setup();
    const own = await service.checkInWalkIn(desk, { ...line, patientId });
    const other = await service.checkInWalkIn(desk, line);
    await expect(service.checkInWalkIn(otherDesk, line)).rejects.toThrow(ForbiddenError);
    await expect(service.callNext(otherDesk, line)).rejects.toThrow(ForbiddenError);
    await expect(service.leave(otherDesk, own.id)).rejects.toThrow(ForbiddenError);
    await expect(service.listLine(patient, clinicOne, queueId)).rejects.toThrow(ForbiddenError);
    await expect(service.callNext(patient, line)).rejects.toThrow(ForbiddenError);
    await expect(service.get(patient, other.id)).rejects.toThrow(ForbiddenError);
    expect((await service.get(patient, own.id)).position).toBe(1);
    expect((await service.estimateWait(patient, own.id)).position).toBe(1);
    await expect(service.get(desk, uuidv7() as never)).rejects.toThrow(NotFoundError);
    await expect(service.events(otherDesk, line, 0)).rejects.toThrow(ForbiddenError);
  });

  it('refuses a queue id opened at another clinic', async () => {
    const { service } = await setup();
    await service.checkInWalkIn(admin, line);
    await expect(service.checkInWalkIn(admin, { clinicId: clinicTwo, queueId })).rejects.toThrow(
      QueueClinicMismatchError,
    );
  });

  it('hands events to the sink inside the unit and after commit, and reports hook errors', async () => {
    const writes: [readonly QueueEvent[], unknown][] = [];
    const sink: QueueEventSink = {
      write: (events, transaction) => {
        writes.push([events, transaction]);
        return Promise.resolve();
      },
    };
    const onHookError = vi.fn();
    const failure = new Error('bus down');
    const { service } = await setup({
      eventSink: sink,
      afterCommit: () => Promise.reject(failure),
      onHookError,
    });
    const entry = await service.checkInWalkIn(desk, line);
    expect(writes).toHaveLength(1);
    expect(writes[0]?.[0][0]?.entryId).toBe(entry.id);
    expect(writes[0]?.[1]).toEqual({});
    expect(onHookError).toHaveBeenCalledWith(failure);
    expect((await service.get(desk, entry.id)).status).toBe('waiting');
  });

  it('serves events after a version for a subscriber catching up', async () => {
    const { service } = await setup();
    const entry = await service.checkInWalkIn(desk, line);
    await service.callNext(desk, line);
    await service.startService(desk, entry.id);
    const events = await service.events(desk, line, 1);
    expect(events.map((event) => [event.version, event.type, event.fromStatus])).toEqual([
      [2, 'called', 'waiting'],
      [3, 'service_started', 'called'],
    ]);
    expect(await service.events(desk, line, 0, 1)).toHaveLength(1);
  });

  it('rejects an aging horizon that is not positive when created with a QueueConfigError (was a raw RangeError)', async () => {
    await expect(setup({ aging: { maxWaitMs: 0 } })).rejects.toThrow(QueueConfigError);
  });
});

describe('QueueService with appointments, recalls and failures', () => {
  function bookedAppointment(appointments: Awaited<ReturnType<typeof setup>>['appointments']) {
    const id = AppointmentId.parse(uuidv7());
    appointments.put({
      id,
      tenantId,
      clinicId: clinicOne,
      patientId,
      serviceTypeId: consultation,
      status: 'booked',
      startsAt: new Date(START).toISOString(),
      version: 0,
    });
    return id;
  }

  it('makes the appointment of a no-show entry a no-show too, however the no-show came', async () => {
    const { service, appointments, clock, audited } = await setup({
      maxRecalls: 0,
      noShowTimeoutMs: 5 * MINUTE,
    });
    const marked = bookedAppointment(appointments);
    const recalled = bookedAppointment(appointments);
    const swept = bookedAppointment(appointments);
    for (const appointmentId of [marked, recalled, swept]) {
      await service.checkInAppointment(desk, { queueId, appointmentId });
    }
    const entryOf = async (appointmentId: AppointmentId) => {
      const called = await service.callNext(desk, line);
      expect(called?.appointmentId).toBe(appointmentId);
      return called?.id as NonNullable<typeof called>['id'];
    };
    await service.markNoShow(desk, await entryOf(marked));
    expect((await service.recall(desk, await entryOf(recalled))).status).toBe('no_show');
    await entryOf(swept);
    await clock.advance(6 * MINUTE);
    expect(await service.sweepNoShows(desk, line)).toBe(1);
    for (const appointmentId of [marked, recalled, swept]) {
      expect(await appointments.get(tenantId, appointmentId)).toMatchObject({
        status: 'noshow',
        version: 2,
      });
    }
    expect(
      (await audited()).filter((action) => action === 'queue.appointment_no_show'),
    ).toHaveLength(3);
  });

  it('leaves the appointment arrived when its patient leaves unseen, and alone once fulfilled', async () => {
    const { service, appointments } = await setup();
    const left = bookedAppointment(appointments);
    const fulfilled = bookedAppointment(appointments);
    const leaving = await service.checkInAppointment(desk, { queueId, appointmentId: left });
    await service.leave(desk, leaving.id);
    expect((await appointments.get(tenantId, left))?.status).toBe('arrived');
    const entry = await service.checkInAppointment(desk, { queueId, appointmentId: fulfilled });
    await service.callNext(desk, line);
    const arrived = await appointments.get(tenantId, fulfilled);
    appointments.put({ ...(arrived as NonNullable<typeof arrived>), status: 'fulfilled' });
    expect((await service.markNoShow(desk, entry.id)).status).toBe('no_show');
    expect((await appointments.get(tenantId, fulfilled))?.status).toBe('fulfilled');
  });

  it('measures the wait until the first call, not until the call after a recall', async () => {
    const { service, clock } = await setup();
    const entry = await service.checkInWalkIn(desk, line);
    await clock.advance(10 * MINUTE);
    await service.callNext(desk, line);
    await clock.advance(2 * MINUTE);
    await service.recall(desk, entry.id);
    await clock.advance(8 * MINUTE);
    const again = await service.callNext(desk, line);
    expect(again).toMatchObject({
      id: entry.id,
      firstCalledAt: new Date(START + 10 * MINUTE).toISOString(),
      calledAt: new Date(START + 20 * MINUTE).toISOString(),
    });
    const analytics = await service.analytics(admin, {
      clinicId: clinicOne,
      from: new Date(START - MINUTE).toISOString(),
      to: new Date(START + MINUTE).toISOString(),
    });
    expect(analytics).toMatchObject({
      called: 1,
      averageWaitMs: 10 * MINUTE,
      longestWaitMs: 10 * MINUTE,
    });
  });

  it('rolls a failed change back on memory storage as a transaction would', async () => {
    let fail = false;
    const { service, appointments, published, audited } = await setup({
      eventSink: {
        write: () => (fail ? Promise.reject(new Error('outbox unavailable')) : Promise.resolve()),
      },
    });
    const entry = await service.checkInWalkIn(desk, line);
    const appointmentId = bookedAppointment(appointments);
    fail = true;
    await expect(service.leave(desk, entry.id)).rejects.toThrow('outbox unavailable');
    await expect(service.checkInWalkIn(desk, line)).rejects.toThrow('outbox unavailable');
    await expect(service.checkInAppointment(desk, { queueId, appointmentId })).rejects.toThrow(
      'outbox unavailable',
    );
    fail = false;
    expect((await service.get(desk, entry.id)).status).toBe('waiting');
    expect(await appointments.get(tenantId, appointmentId)).toMatchObject({
      status: 'booked',
      version: 0,
    });
    const live = await service.listLine(desk, clinicOne, queueId);
    expect(live.map((view) => view.id)).toEqual([entry.id]);
    // Ticket numbers and event versions taken by the failed units were given back.
    const next = await service.checkInWalkIn(desk, line);
    expect(next.ticket).toBe('W002');
    expect((await service.events(desk, line, 0)).map((event) => event.version)).toEqual([1, 2]);
    expect(published.map((event) => event.version)).toEqual([1, 2]);
    expect((await audited()).filter((action) => action.startsWith('queue.'))).toEqual([
      'queue.checked_in',
      'queue.checked_in',
    ]);
  });
});

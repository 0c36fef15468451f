import type { AuditLogService } from '@carequeue/audit';
import type { CacheService } from '@carequeue/cache';
import {
  AppointmentId,
  ClinicId,
  createFakeClock,
  InvitationId,
  PatientId,
  QueueEntryId,
  QueueId,
  ServiceTypeId,
  StaffId,
  TenantId,
  UserId,
  uuidv7,
} from '@carequeue/core';
import type { Actor } from '@carequeue/core';
import type { FieldEncryptor } from '@carequeue/core/crypto';
import type { Idempotency } from '@carequeue/resilience';
import { describe, expect, it } from 'vitest';
import {
  createBookingService,
  createClinicService,
  createPatientService,
  createQueueService,
  createStaffInvitationService,
  createStaffService,
  InvalidCursorError,
} from '../src/index.js';
import {
  argumentsWith,
  circularObject,
  expectRefusedBeforeAnyPort,
  hostileCalls,
  recordingPorts,
} from './hostile-arguments.js';
import type { MethodCase } from './hostile-arguments.js';

const id = <T>(schema: { parse: (value: unknown) => T }): T => schema.parse(uuidv7());
const tenantId = id(TenantId);
const actor: Actor = { userId: id(UserId), tenantId, roles: ['owner'], aal: 'aal2' };
const clinicId = id(ClinicId);
const page = { limit: 10 };

/** A service built on ports that record every call, and the cases of its public methods. */
interface ServiceUnderTest {
  readonly name: string;
  readonly build: (port: <T>(name: string) => T) => object;
  readonly cases: readonly MethodCase[];
}

/** The ports every service takes (`never` stands for each service's own unit-of-work type). */
const ports = (port: <T>(name: string) => T) => ({
  unitOfWork: port<never>('unitOfWork'),
  audit: port<AuditLogService>('audit'),
  cache: port<CacheService>('cache'),
  clock: createFakeClock(Date.UTC(2026, 2, 2, 9)),
});

const newPatient = {
  givenName: 'Ada',
  familyName: 'Example',
  dateOfBirth: '1980-04-02',
  contact: { preferredChannel: 'sms' },
  consent: { sms: true, email: false, dataProcessing: true, recordedAt: '2026-03-02T09:00:00Z' },
  clinicIds: [clinicId],
};
const booking = {
  clinicId,
  staffId: id(StaffId),
  serviceTypeId: id(ServiceTypeId),
  patientId: id(PatientId),
  start: '2026-03-03T09:00:00Z',
  idempotencyKey: uuidv7(),
};
const line = { clinicId, queueId: id(QueueId) };

/** The case of `method` called by the owner `actor`, then with `args` in their order. */
function asOwner(
  method: string,
  args: Record<string, unknown>,
  textArguments?: readonly string[],
): MethodCase {
  const call = { method, args: [['actor', actor] as const, ...Object.entries(args)] };
  return textArguments === undefined ? call : { ...call, textArguments };
}

const services: readonly ServiceUnderTest[] = [
  {
    name: 'patients',
    build: (port) =>
      createPatientService({
        ...ports(port),
        encryptor: port<FieldEncryptor>('encryptor'),
      }),
    cases: [
      asOwner('create', { input: newPatient }),
      asOwner('get', { id: id(PatientId) }),
      asOwner('update', { id: id(PatientId), changes: { expectedVersion: 0 } }),
      asOwner('recordConsent', {
        id: id(PatientId),
        flags: { sms: true, email: false, dataProcessing: true },
      }),
      asOwner('search', { criteria: { familyName: 'Example' }, page }),
      asOwner('findByNationalId', { nationalId: '123-45-6789' }, ['nationalId']),
      asOwner('exportData', { id: id(PatientId) }),
      asOwner('erase', { id: id(PatientId) }),
    ],
  },
  {
    name: 'clinics',
    build: (port) => createClinicService(ports(port)),
    cases: [
      asOwner('create', { input: { name: 'North', timeZone: 'UTC' } }),
      asOwner('get', { id: clinicId }),
      asOwner('getSettings', { id: clinicId }),
      asOwner('list', { page }),
      asOwner('update', { id: clinicId, changes: { expectedVersion: 0 } }),
      asOwner('addServiceType', { clinicId, input: { name: 'Checkup', durationMinutes: 15 } }),
      asOwner('updateServiceType', { id: id(ServiceTypeId), changes: { expectedVersion: 0 } }),
      asOwner('listServiceTypes', { clinicId, page }),
    ],
  },
  {
    name: 'staff',
    build: (port) => createStaffService(ports(port)),
    cases: [
      asOwner('create', {
        input: {
          displayName: 'Dr Who',
          email: 'who@example.org',
          roles: ['clinician'],
          clinicIds: [],
        },
      }),
      asOwner('get', { id: id(StaffId) }),
      asOwner('list', { page }),
      asOwner('update', { id: id(StaffId), changes: { expectedVersion: 0 } }),
      asOwner('getSchedule', { staffId: id(StaffId), clinicId }),
      asOwner('setSchedule', {
        staffId: id(StaffId),
        clinicId,
        input: { timeZone: 'UTC', weeklyHours: [] },
      }),
    ],
  },
  {
    name: 'invitations',
    build: (port) => createStaffInvitationService(ports(port)),
    cases: [
      asOwner('invite', {
        request: { email: 'who@example.org', roles: ['clinician'], clinicIds: [] },
      }),
      {
        method: 'accept',
        args: [
          ['token', 'token-from-the-link'],
          ['acceptor', { userId: id(UserId), displayName: 'Dr Who' }],
        ],
        textArguments: ['token'],
      },
      asOwner('revoke', { id: id(InvitationId) }),
      asOwner('resend', { id: id(InvitationId) }),
      asOwner('list', { page }),
    ],
  },
  {
    name: 'booking',
    build: (port) =>
      createBookingService({
        ...ports(port),
        idempotency: port<Idempotency>('idempotency'),
      }),
    cases: [
      asOwner('listSlots', {
        query: {
          clinicId,
          staffId: booking.staffId,
          serviceTypeId: booking.serviceTypeId,
          from: '2026-03-02T00:00:00Z',
          to: '2026-03-03T00:00:00Z',
        },
      }),
      asOwner('book', { request: booking }),
      asOwner('overrideBook', { request: { ...booking, reason: 'urgent-care' } }),
      asOwner('confirm', { id: id(AppointmentId) }),
      asOwner('cancel', { id: id(AppointmentId), reason: 'patient-request' }),
      asOwner('reschedule', {
        id: id(AppointmentId),
        request: { start: booking.start, idempotencyKey: uuidv7() },
      }),
      asOwner('joinWaitlist', {
        request: { clinicId, patientId: booking.patientId, serviceTypeId: booking.serviceTypeId },
      }),
      asOwner('getWaitlistEntry', { id: uuidv7() }),
      asOwner('markNoShows', { clinicId }),
      asOwner('expireLapsedOffers', { clinicId }),
      asOwner('get', { id: id(AppointmentId) }),
    ],
  },
  {
    name: 'queue',
    build: (port) => createQueueService(ports(port)),
    cases: [
      asOwner('checkInWalkIn', { input: { ...line, guestName: 'Guest' } }),
      asOwner('checkInAppointment', {
        input: { queueId: line.queueId, appointmentId: id(AppointmentId) },
      }),
      ...[
        'get',
        'recall',
        'markNoShow',
        'stepAway',
        'returnToLine',
        'leave',
        'cancel',
        'startService',
        'complete',
        'estimateWait',
      ].map((method) => asOwner(method, { entryId: id(QueueEntryId) })),
      asOwner('listLine', { clinicId, queueId: line.queueId }),
      asOwner('triage', { entryId: id(QueueEntryId), priority: 5 }),
      asOwner('callNext', { request: { ...line, counter: 'Room 2' } }),
      asOwner('sweepNoShows', { line }),
      asOwner('transfer', { entryId: id(QueueEntryId), request: { queueId: id(QueueId) } }),
      asOwner('summary', { clinicId, queueId: line.queueId }),
      asOwner('analytics', {
        request: { clinicId, from: '2026-03-01T00:00:00Z', to: '2026-03-08T00:00:00Z' },
      }),
      asOwner('events', { line, afterVersion: 0, limit: 10 }),
    ],
  },
];

type Method = (...args: unknown[]) => Promise<unknown>;

function call(service: object, method: string, args: readonly unknown[]): Promise<unknown> {
  return (service as Record<string, Method>)[method]!(...args);
}

describe.each(services)('$name service arguments', ({ name, build, cases }) => {
  it('lists every public method of the service', () => {
    const { port } = recordingPorts();
    expect(cases.map((one) => one.method).sort()).toEqual(Object.keys(build(port)).sort());
  });

  it('reaches a port when every argument is valid (the spies see a call)', async () => {
    for (const one of cases) {
      const { calls, port } = recordingPorts();
      await call(
        build(port),
        one.method,
        one.args.map(([, value]) => value),
      ).catch(() => undefined);
      expect({ method: one.method, called: calls.length > 0 }).toEqual({
        method: one.method,
        called: true,
      });
    }
  });

  it.each(hostileCalls(cases))(
    `${name}.%s refuses a null, boolean, circular, array or marked-string %s with a ValidationError naming it, before any port call (raw TypeError or stack overflow)`,
    async (method, argument, values, one) => {
      for (const value of values) {
        const { calls, port } = recordingPorts();
        const service = build(port);
        await expectRefusedBeforeAnyPort(
          () => call(service, method, argumentsWith(one, argument, value)),
          argument,
          calls,
        );
      }
    },
  );
});

describe('service arguments named after the hardening defects', () => {
  const build = (index: number) => {
    const recorded = recordingPorts();
    return { ...recorded, service: services[index]!.build(recorded.port) };
  };

  it('patients.create(actor, null) is a ValidationError naming input, not a raw TypeError', async () => {
    const { calls, service } = build(0);
    await expectRefusedBeforeAnyPort(() => call(service, 'create', [actor, null]), 'input', calls);
  });

  it('clinics.create(actor, null) is a ValidationError naming input, not a raw TypeError', async () => {
    const { calls, service } = build(1);
    await expectRefusedBeforeAnyPort(() => call(service, 'create', [actor, null]), 'input', calls);
  });

  it('booking.book(actor, null) is a ValidationError naming request, not a raw TypeError', async () => {
    const { calls, service } = build(4);
    await expectRefusedBeforeAnyPort(() => call(service, 'book', [actor, null]), 'request', calls);
  });

  it('a circular patient is refused with a ValidationError, not a stack overflow', async () => {
    const { calls, service } = build(0);
    const circular = { ...newPatient, address: circularObject() };
    await expectRefusedBeforeAnyPort(
      () => call(service, 'create', [actor, circular]),
      'input',
      calls,
    );
  });

  it('a non-UUID patient id is a ValidationError before any port, so no adapter can answer 404 or 502', async () => {
    const { calls, service } = build(0);
    await expectRefusedBeforeAnyPort(() => call(service, 'get', [actor, 'patient-1']), 'id', calls);
  });

  it('a NUL byte in a patient name is a ValidationError naming input.givenName before any port (a 502 on Postgres)', async () => {
    const { calls, service } = build(0);
    await expectRefusedBeforeAnyPort(
      () => call(service, 'create', [actor, { ...newPatient, givenName: 'Ada\u0000' }]),
      'input.givenName',
      calls,
    );
  });

  it('an update cannot smuggle a tenant, an erasure mark or a blind index past the boundary (unknown fields are refused)', async () => {
    const { calls, service } = build(0);
    for (const smuggled of [
      { tenantId: id(TenantId) },
      { erasedAt: '2026-03-02T09:00:00Z' },
      { nationalIdIndex: 'forged' },
    ]) {
      await expectRefusedBeforeAnyPort(
        () => call(service, 'update', [actor, id(PatientId), { expectedVersion: 0, ...smuggled }]),
        'changes',
        calls,
      );
    }
  });
});

describe('page cursors', () => {
  const listCases = services.flatMap((service) =>
    service.cases
      .filter((methodCase) => methodCase.args.some(([name]) => name === 'page'))
      .map((methodCase) => [`${service.name}.${methodCase.method}`, service, methodCase] as const),
  );

  it('covers every list of the services', () => {
    expect(listCases.map(([label]) => label).sort()).toEqual([
      'clinics.list',
      'clinics.listServiceTypes',
      'invitations.list',
      'patients.search',
      'staff.list',
    ]);
  });

  it.each(listCases)(
    '%s refuses an unreadable cursor with InvalidCursorError before the unit of work opens (the SQL adapters opened a transaction first)',
    async (_label, service, methodCase) => {
      for (const cursor of ['not-a-cursor', '\u0000x', uuidv7()]) {
        const { calls, port } = recordingPorts();
        const instance = service.build(port) as Record<string, (...args: unknown[]) => unknown>;
        const args = argumentsWith(methodCase, 'page', { limit: 10, cursor });
        await expect(
          Promise.resolve().then(() => instance[methodCase.method]?.(...args)),
        ).rejects.toBeInstanceOf(InvalidCursorError);
        expect(calls).toEqual([]);
      }
    },
  );
});

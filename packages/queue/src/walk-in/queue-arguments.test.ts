import { TenantId, ValidationError, uuidv7 } from '@carequeue/core';
import { describe, expect, it } from 'vitest';
import { memoryClinicRepository } from '../clinics/index.js';
import { memoryServiceDependencies, staffActorOf } from '../../test/memory-service-fixture.js';
import { memoryWalkInUnitOfWork } from './memory/walk-in-unit-of-work.js';
import { parseEntryArguments, parseQueueArguments, queueArguments } from './queue-arguments.js';
import { createQueueService } from './queue-service.js';

const tenantId = TenantId.parse(uuidv7());

function captured(call: () => unknown): unknown {
  try {
    call();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}

describe('queueArguments', () => {
  it('has the argument schema of every QueueService method, under its name', () => {
    const { clock, auditStore, audit, cache } = memoryServiceDependencies();
    const service = createQueueService({
      unitOfWork: memoryWalkInUnitOfWork({ auditStore, clinics: memoryClinicRepository() }),
      audit,
      cache,
      clock,
    });
    expect(Object.keys(queueArguments).sort()).toEqual(Object.keys(service).sort());
  });
});

describe('parseQueueArguments', () => {
  it('returns the parsed arguments of the method', () => {
    const actor = staffActorOf(tenantId, ['receptionist']);
    const entryId = uuidv7();
    expect(parseQueueArguments('triage', { actor, entryId, priority: 40 })).toEqual({
      actor,
      entryId,
      priority: 40,
    });
  });

  it('names the method and the argument, never its value, when an argument is invalid', () => {
    const actor = staffActorOf(tenantId, ['receptionist']);
    const error = captured(() =>
      parseQueueArguments('triage', { actor, entryId: uuidv7(), priority: 'Jane Doe' }),
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).message).toContain('queue.triage');
    expect(JSON.stringify(error)).not.toContain('Jane Doe');
    expect((error as ValidationError).issues?.map((issue) => issue.path)).toEqual(['priority']);
  });
});

describe('parseEntryArguments', () => {
  it('checks only the actor and entry id, under the name of the method', () => {
    const actor = staffActorOf(tenantId, ['receptionist']);
    const entryId = uuidv7();
    expect(parseEntryArguments('triage', { actor, entryId })).toEqual({ actor, entryId });
    const error = captured(() => parseEntryArguments('stepAway', { actor, entryId: 'W001' }));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).message).toContain('queue.stepAway');
  });
});

import { randomUUID } from 'node:crypto';
import { ValidationError } from '@carequeue/core';
import type { FieldEncryptor } from '@carequeue/core/crypto';
import { describe, expect, it } from 'vitest';
import { createAuditLogService } from './audit-log-service.js';
import { erasePatientAuditData } from './erasure.js';
import { memoryAuditStore } from './adapters/memory.js';
import { erasureScenarios } from '../test/support/erasure-scenarios.js';

erasureScenarios('memory', () => memoryAuditStore());

describe('erasePatientAuditData', () => {
  it('refuses a null patient id with a ValidationError naming options.patientId, and shreds no key (shredSubject(null) before)', async () => {
    const shredded: unknown[] = [];
    const encryptor = {
      shredSubject: (subjectId: unknown) => (shredded.push(subjectId), Promise.resolve()),
    } as unknown as FieldEncryptor;
    const store = memoryAuditStore();
    const audit = createAuditLogService({ store });
    for (const patientId of [null, undefined, 42, '', 'p\u0000']) {
      let refusal: unknown;
      try {
        await erasePatientAuditData({
          encryptor,
          audit,
          tenantId: randomUUID(),
          patientId: patientId as string,
          requestedBy: null,
        });
      } catch (error: unknown) {
        refusal = error;
      }
      expect(refusal, String(patientId)).toBeInstanceOf(ValidationError);
      expect((refusal as ValidationError).issues.map((issue) => issue.path)).toEqual([
        'options.patientId',
      ]);
    }
    expect(shredded).toEqual([]);
  });
});

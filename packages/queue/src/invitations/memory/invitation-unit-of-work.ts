import { z } from 'zod';
import type { AuditStore } from '@carequeue/audit';
import { memoryClinicsInTenant, type ClinicRepository } from '../../clinics/index.js';
import { memoryUnits } from '../../memory/unit-of-work.js';
import { memoryStaffRepository, type StaffRepository } from '../../staff/index.js';
import type { InvitationRepository } from '../ports/invitation-repository.js';
import type { InvitationUnitOfWork } from '../ports/invitation-unit-of-work.js';
import { memoryInvitationRepository } from './invitation-repository.js';
import {
  auditStoreOption,
  checkFactoryOptions,
  repositoryOption,
} from '../../config/factory-options.js';

/**
 * Options of {@link memoryInvitationUnitOfWork}.
 *
 * @example
 * ```ts
 * const options: MemoryInvitationUnitOfWorkOptions = { auditStore: memoryAuditStore(), clinics };
 * ```
 */
export interface MemoryInvitationUnitOfWorkOptions {
  /** The audit store that receives the events of each unit. */
  readonly auditStore: AuditStore;
  /** The clinics that invitations may name: those of the inviting tenant. */
  readonly clinics: ClinicRepository;
  /**
   * The invitations.
   *
   * @default a new {@link memoryInvitationRepository}
   */
  readonly invitations?: InvitationRepository;
  /**
   * The staff members that accepted invitations become.
   *
   * @default a new {@link memoryStaffRepository}
   */
  readonly staff?: StaffRepository;
}

const MemoryInvitationUnitOfWorkOptionsSchema = z.object({
  auditStore: auditStoreOption,
  clinics: repositoryOption('a ClinicRepository'),
  invitations: repositoryOption('an InvitationRepository').optional(),
  staff: repositoryOption('a StaffRepository').optional(),
});

/**
 * An in-memory {@link InvitationUnitOfWork}. Units run one at a time; a unit that fails leaves no
 * write behind in the memory repositories and no audit event, as a rolled-back transaction.
 *
 * @example
 * ```ts
 * import { memoryAuditStore } from '@carequeue/audit';
 * import { memoryClinicRepository, memoryInvitationUnitOfWork } from '@carequeue/queue';
 *
 * const unitOfWork = memoryInvitationUnitOfWork({
 *   auditStore: memoryAuditStore(),
 *   clinics: memoryClinicRepository(),
 * });
 * ```
 */
export function memoryInvitationUnitOfWork(
  options: MemoryInvitationUnitOfWorkOptions,
): InvitationUnitOfWork {
  checkFactoryOptions(
    'memoryInvitationUnitOfWork',
    MemoryInvitationUnitOfWorkOptionsSchema,
    options,
  );
  const invitations = options.invitations ?? memoryInvitationRepository();
  const staff = options.staff ?? memoryStaffRepository();
  const clinicsInTenant = memoryClinicsInTenant(options.clinics);
  const run = memoryUnits({
    auditStore: options.auditStore,
    rollback: [invitations, staff],
    scope: (recordAudit) => ({ invitations, staff, clinicsInTenant, recordAudit }),
  });
  return {
    run: (_actor, work) => run(work),
    runAsInvitee: run,
  };
}

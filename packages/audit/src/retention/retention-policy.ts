import type { ErrorIssue } from '@carequeue/core';
import {
  checkArguments,
  dateIssues,
  integerIssues,
  isRecord,
  oneOfIssues,
  portIssues,
  textIssues,
  uuidIssues,
} from '../argument-checks.js';
import type { RetentionClass } from '../audit-event.js';
import type { AuditLogService } from '../audit-log-service.js';
import { AuditRetentionBelowFloorError } from '../errors.js';
import { checkFactoryOptions, optionsIssues } from '../factory-options.js';

/**
 * A jurisdiction's minimum retention, in whole years, per retention class.
 *
 * @example
 * ```ts
 * const preset: RetentionJurisdiction = { id: 'us-hipaa', name: 'HIPAA', floorYears: { standard: 6, extended: 10 } };
 * ```
 */
export interface RetentionJurisdiction {
  readonly id: string;
  readonly name: string;
  readonly floorYears: Readonly<Record<RetentionClass, number>>;
}

/**
 * The default preset: HIPAA keeps documentation six years (45 CFR §164.316(b)(2)(i), and the
 * six-year lookback of §164.528); the `extended` class keeps ten years, as ASTM E2147-18 advises
 * for audit data kept as long as the medical record.
 *
 * @example
 * ```ts
 * HIPAA_RETENTION.floorYears.standard; // 6
 * ```
 */
export const HIPAA_RETENTION: RetentionJurisdiction = {
  id: 'us-hipaa',
  name: 'HIPAA (United States)',
  floorYears: { standard: 6, extended: 10 },
};

/**
 * Defines the preset of another jurisdiction (a state or national medical-records law). The
 * floors are the host's legal assessment; the package only enforces them.
 *
 * @throws {AuditConfigError} when the id or name is not text, a floor is not a whole number of
 *   years from 0 to 999, or the preset holds a field it does not know
 * @example
 * ```ts
 * const clinicLaw = defineRetentionJurisdiction({ id: 'xx-records', name: 'Records act', floorYears: { standard: 10, extended: 20 } });
 * ```
 */
export function defineRetentionJurisdiction(preset: RetentionJurisdiction): RetentionJurisdiction {
  checkFactoryOptions('defineRetentionJurisdiction', jurisdictionIssues(preset, 'preset'));
  return preset;
}

const MAX_RETENTION_YEARS = 999;

function yearsIssues(value: unknown, path: string, optional: boolean): ErrorIssue[] {
  return integerIssues(value, path, { min: 0, max: MAX_RETENTION_YEARS, optional });
}

const RETENTION_CLASSES = ['standard', 'extended'];

function jurisdictionIssues(value: unknown, path: string): ErrorIssue[] {
  return optionsIssues(
    value,
    ['id', 'name', 'floorYears'],
    (preset) => [
      ...textIssues(preset['id'], `${path}.id`, { nonEmpty: true, max: 64 }),
      ...textIssues(preset['name'], `${path}.name`, { nonEmpty: true, max: 256 }),
      ...optionsIssues(
        preset['floorYears'],
        RETENTION_CLASSES,
        (floors) => [
          ...yearsIssues(floors['standard'], `${path}.floorYears.standard`, false),
          ...yearsIssues(floors['extended'], `${path}.floorYears.extended`, false),
        ],
        `${path}.floorYears`,
      ),
    ],
    path,
  );
}

const POLICY_OPTIONS = ['jurisdiction', 'years', 'belowFloor', 'audit'];

function policyOptionsIssues(options: Record<string, unknown>): ErrorIssue[] {
  const years = options['years'];
  const acknowledgement = options['belowFloor'];
  return [
    ...(options['jurisdiction'] === undefined
      ? []
      : jurisdictionIssues(options['jurisdiction'], 'options.jurisdiction')),
    ...(years === undefined
      ? []
      : optionsIssues(
          years,
          RETENTION_CLASSES,
          (kept) => [
            ...yearsIssues(kept['standard'], 'options.years.standard', true),
            ...yearsIssues(kept['extended'], 'options.years.extended', true),
          ],
          'options.years',
        )),
    ...(acknowledgement === undefined
      ? []
      : optionsIssues(
          acknowledgement,
          ['acknowledgedBy', 'tenantId', 'reason'],
          (given) => [
            ...textIssues(given['acknowledgedBy'], 'options.belowFloor.acknowledgedBy', {
              nonEmpty: true,
            }),
            ...uuidIssues(given['tenantId'], 'options.belowFloor.tenantId'),
            ...textIssues(given['reason'], 'options.belowFloor.reason'),
          ],
          'options.belowFloor',
        )),
    ...portIssues(options['audit'], 'options.audit', 'an AuditLogService', ['logAuthEvent'], {
      optional: true,
    }),
  ];
}

/**
 * The explicit acknowledgement that keeping events less long than the jurisdiction's floor is
 * intended, by whom and why. It is recorded as an `audit_config_change` event.
 *
 * @example
 * ```ts
 * const acknowledgement: BelowFloorAcknowledgement = {
 *   acknowledgedBy: complianceOfficerId, tenantId, reason: 'Test environment, no real patients',
 * };
 * ```
 */
export interface BelowFloorAcknowledgement {
  readonly acknowledgedBy: string;
  /** The tenant whose trail records the acknowledgement (the operator's). */
  readonly tenantId: string;
  readonly reason: string;
}

/**
 * Options of {@link createRetentionPolicy}.
 *
 * @example
 * ```ts
 * const options: RetentionPolicyOptions = { jurisdiction: HIPAA_RETENTION, years: { standard: 7 } };
 * ```
 */
export interface RetentionPolicyOptions {
  /** @default HIPAA_RETENTION */
  readonly jurisdiction?: RetentionJurisdiction;
  /** Years to keep each class; a class not given keeps its floor. */
  readonly years?: Partial<Record<RetentionClass, number>>;
  /** Required, with `audit`, when a class keeps less than its floor. */
  readonly belowFloor?: BelowFloorAcknowledgement;
  /** Records the below-floor acknowledgement. */
  readonly audit?: AuditLogService;
}

/**
 * How long each retention class is kept, checked against a jurisdiction's floors.
 *
 * @example
 * ```ts
 * const policy = await createRetentionPolicy({});
 * policy.years.standard; // 6
 * ```
 */
export interface RetentionPolicy {
  readonly jurisdiction: RetentionJurisdiction;
  readonly years: Readonly<Record<RetentionClass, number>>;
  /** The classes kept less than their floor, under an acknowledgement. */
  readonly belowFloor: readonly RetentionClass[];
}

/**
 * Builds a retention policy. Keeping a class at or above the jurisdiction's floor needs nothing;
 * going below it needs an explicit acknowledgement, which is recorded in the audit trail as an
 * `audit_config_change` event (retention class, years, floor, reason) before the policy is
 * returned.
 *
 * @throws {AuditRetentionBelowFloorError} when a class is below its floor without `belowFloor` and `audit`
 * @throws {AuditConfigError} when an option is malformed (a period not a whole number of years
 *   from 0 to 999, a tenant that is not a UUID) or unknown, before anything is recorded
 * @example
 * ```ts
 * const policy = await createRetentionPolicy({
 *   years: { standard: 2 },
 *   belowFloor: { acknowledgedBy: officerId, tenantId, reason: 'Staging data only' },
 *   audit,
 * });
 * ```
 */
export async function createRetentionPolicy(
  options: RetentionPolicyOptions,
): Promise<RetentionPolicy> {
  checkFactoryOptions(
    'createRetentionPolicy',
    optionsIssues(options, POLICY_OPTIONS, policyOptionsIssues),
  );
  const jurisdiction = options.jurisdiction ?? HIPAA_RETENTION;
  const years: Record<RetentionClass, number> = {
    standard: options.years?.standard ?? jurisdiction.floorYears.standard,
    extended: options.years?.extended ?? jurisdiction.floorYears.extended,
  };
  const belowFloor: RetentionClass[] = [];
  for (const retentionClass of ['standard', 'extended'] as const) {
    const kept = years[retentionClass];
    if (kept < jurisdiction.floorYears[retentionClass]) belowFloor.push(retentionClass);
  }
  if (belowFloor.length > 0) {
    const { belowFloor: acknowledgement, audit } = options;
    if (!acknowledgement || !audit || acknowledgement.reason.trim() === '') {
      throw new AuditRetentionBelowFloorError(belowFloor, jurisdiction.id);
    }
    for (const retentionClass of belowFloor) {
      await audit.logAuthEvent('audit_config_change', {
        tenantId: acknowledgement.tenantId,
        userId: acknowledgement.acknowledgedBy,
        resource: 'RetentionPolicy',
        purposeOfUse: 'HSYSADMIN',
        metadata: {
          setting: 'retention_below_floor',
          retentionClass,
          years: years[retentionClass],
          floorYears: jurisdiction.floorYears[retentionClass],
          jurisdiction: jurisdiction.id,
          reason: acknowledgement.reason,
        },
      });
    }
  }
  return { jurisdiction, years, belowFloor };
}

/**
 * The instant before which a month partition of a class has expired under a policy: now minus
 * the class's years.
 *
 * @example
 * ```ts
 * retentionCutoff(policy, 'standard', new Date('2026-06-01T00:00:00Z')); // 2020-06-01T00:00:00.000Z
 * ```
 */
export function retentionCutoff(
  policy: RetentionPolicy,
  retentionClass: RetentionClass,
  now: Date,
): Date {
  const classIssues = oneOfIssues(retentionClass, 'retentionClass', ['standard', 'extended']);
  const years: unknown = isRecord(policy) ? (policy as { years?: unknown }).years : undefined;
  checkArguments(
    'retentionCutoff',
    isRecord(years)
      ? classIssues.length > 0
        ? classIssues
        : yearsIssues(years[retentionClass], `policy.years.${retentionClass}`, false)
      : [{ path: 'policy', message: 'must be a policy from createRetentionPolicy' }],
    dateIssues(now, 'now'),
  );
  const cutoff = new Date(now);
  cutoff.setUTCFullYear(cutoff.getUTCFullYear() - policy.years[retentionClass]);
  return cutoff;
}

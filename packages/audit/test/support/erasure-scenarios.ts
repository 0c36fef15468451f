import { randomUUID } from 'node:crypto';
import { SubjectKeyShreddedError } from '@carequeue/core/crypto';
import { describe, expect, it } from 'vitest';
import type { AuditLog } from '../../src/audit-event.js';
import { createAuditLogService } from '../../src/audit-log-service.js';
import type { AuditStore } from '../../src/audit-store.js';
import { erasePatientAuditData } from '../../src/erasure.js';
import { toFhirNdjson } from '../../src/fhir/fhir-audit-event.js';
import { patientAccessReport, rangeReport, readWholeTrail } from '../../src/reports/index.js';
import { renderReportCsv } from '../../src/reports/render-csv.js';
import { renderReportHtml } from '../../src/reports/render-html.js';
import { renderReportJson } from '../../src/reports/render-json.js';
import { ENCRYPTED_MARKER } from '../../src/value-protection.js';
import { ERASED_MARKER, revealValue } from '../../src/value-reveal.js';
import { seedReportTrail, testEncryptor } from './report-trail.js';

/** Acceptance 3 of issue 9, run on every store: erasure by crypto-shredding. */
export function erasureScenarios(
  name: string,
  store: () => Promise<AuditStore> | AuditStore,
): void {
  describe(`patient erasure on ${name}`, () => {
    it('a cancel reason is erased by crypto-shredding', async () => {
      const audited = await store();
      const tenantId = randomUUID();
      const patientId = randomUUID();
      const receptionist = randomUUID();
      const encryptor = testEncryptor();
      const audit = createAuditLogService({ store: audited, encryptor });
      const reason = 'Moved to Springfield to look after her mother';
      await audit.logDataModification(
        receptionist,
        `Appointment/${randomUUID()}`,
        { status: 'booked' },
        { status: 'cancelled', cancellationReason: 'patient-request' },
        { tenantId, patientId, action: 'cancel', metadata: { reason, channel: 'phone' } },
      );
      await audited.seal(tenantId);
      const stored = await readWholeTrail(audited, { tenantId });
      expect(JSON.stringify(stored)).not.toContain('Springfield');
      const revealed = (log: AuditLog) =>
        revealValue(log.metadata, {
          eventId: log.id,
          column: 'metadata',
          subjectId: patientId,
          encryptor,
        });
      expect(await revealed(stored[0]!)).toEqual({ reason, channel: 'phone' });

      await erasePatientAuditData({
        encryptor,
        audit,
        tenantId,
        patientId,
        requestedBy: receptionist,
      });
      await audited.seal(tenantId);
      const logs = await readWholeTrail(audited, { tenantId });
      const cancel = logs.find((log) => log.action === 'cancel')!;
      expect(await revealed(cancel)).toEqual({
        reason: { [ERASED_MARKER]: true },
        channel: 'phone',
      });
      expect(await audited.verify(tenantId)).toMatchObject({ ok: true, checked: 2 });
    });

    it('leaves none of the erased patient values readable from the trail or the reports, others intact, and the chain verified', async () => {
      const audited = await store();
      const trail = await seedReportTrail(audited);
      const { tenantId, patientId, otherPatientId, encryptor, audit } = trail;
      await audit.logDataModification(
        trail.clinician,
        `Patient/${otherPatientId}`,
        null,
        { givenName: 'Bertha' },
        { tenantId },
      );
      const reportsText = async (): Promise<string> => {
        const range = await rangeReport(audited, { tenantId, encryptor });
        const access = await patientAccessReport(audited, {
          tenantId,
          patientId,
          includeStaffIdentities: true,
        });
        return [range, access]
          .flatMap((report) => [
            renderReportJson(report),
            renderReportCsv(report),
            renderReportHtml(report),
          ])
          .join('\n');
      };
      expect(await reportsText()).toContain(trail.givenName);

      await erasePatientAuditData({
        encryptor,
        audit,
        tenantId,
        patientId,
        requestedBy: trail.clinician,
      });
      await audited.seal(tenantId);

      const logs = await readWholeTrail(audited, { tenantId });
      const everything = [JSON.stringify(logs), await reportsText(), toFhirNdjson(logs)].join('\n');
      expect(everything).not.toContain(trail.givenName);
      expect(everything).not.toMatch(/"Ada"/);
      expect(everything).toContain('Bertha');

      const change = logs.find((log) => log.patientId === patientId && log.action === 'update')!;
      const stored = (change.newValue as { givenName: { [ENCRYPTED_MARKER]: string } }).givenName[
        ENCRYPTED_MARKER
      ];
      await expect(
        encryptor.decrypt(stored, {
          table: 'audit.events',
          column: 'new_value.givenName',
          rowId: change.id,
          subjectId: patientId,
        }),
      ).rejects.toBeInstanceOf(SubjectKeyShreddedError);
      expect(
        await revealValue(change.oldValue, {
          eventId: change.id,
          column: 'old_value',
          subjectId: patientId,
          encryptor,
        }),
      ).toEqual({
        givenName: { $erased: true },
        status: 'new',
      });
      expect(logs.at(-1)).toMatchObject({
        action: 'crypto_shred',
        patientId,
        oldValue: null,
        newValue: null,
      });
      expect(await audited.verify(tenantId)).toMatchObject({ ok: true, checked: logs.length });
    });
  });
}

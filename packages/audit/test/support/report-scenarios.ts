import { describe, expect, it } from 'vitest';
import type { AuditStore } from '../../src/audit-store.js';
import { AUDIT_SORT_FIELDS } from '../../src/trail-query.js';
import {
  breakGlassReport,
  disclosureAccounting,
  patientAccessReport,
  rangeReport,
  securityReport,
  userActivityReport,
} from '../../src/reports/index.js';
import { renderReportCsv } from '../../src/reports/render-csv.js';
import { renderReportHtml } from '../../src/reports/render-html.js';
import { renderReportJson } from '../../src/reports/render-json.js';
import { seedReportTrail, type ReportTrail } from './report-trail.js';

/** The report assertions, run on every store (memory, Postgres, PGlite). */
export function reportScenarios(name: string, store: () => Promise<AuditStore> | AuditStore): void {
  describe(`compliance reports on ${name}`, () => {
    let trail: ReportTrail;
    let audited: AuditStore;
    const setup = async (): Promise<void> => {
      if (trail) return;
      audited = await store();
      trail = await seedReportTrail(audited);
    };

    it('lists a patient the dates and purposes of every access without staff identities by default', async () => {
      await setup();
      const report = await patientAccessReport(audited, {
        tenantId: trail.tenantId,
        patientId: trail.patientId,
        clock: trail.clock,
      });
      expect(report.rows.map((row) => [row.timestamp, row.action, row.purposeOfUse])).toEqual([
        ['2018-06-04T10:00:00.000Z', 'export', 'PUBHLTH'],
        ['2026-01-05T10:00:00.000Z', 'read', 'TREAT'],
        ['2026-01-06T11:00:00.000Z', 'update', 'TREAT'],
        ['2026-01-07T09:00:00.000Z', 'export', 'HPAYMT'],
        ['2026-01-08T09:30:00.000Z', 'export', 'PUBHLTH'],
        ['2026-01-09T10:00:00.000Z', 'export', 'HLEGAL'],
        ['2026-01-10T23:30:00.000Z', 'read', 'TREAT'],
        ['2026-01-11T08:05:00.000Z', 'read', 'ETREAT'],
      ]);
      const outputs = [renderReportJson(report), renderReportCsv(report), renderReportHtml(report)];
      for (const output of outputs) {
        expect(output).not.toContain(trail.nurse);
        expect(output).not.toContain(trail.clinician);
        expect(output).not.toContain(trail.givenName);
      }
      expect(report.charts.map((chart) => chart.id)).toEqual(['over-time', 'by-purpose']);

      const withStaff = await patientAccessReport(audited, {
        tenantId: trail.tenantId,
        patientId: trail.patientId,
        includeStaffIdentities: true,
      });
      expect(withStaff.rows[0]?.userId).toBe(trail.nurse);
      expect(withStaff.charts.map((chart) => chart.id)).toEqual([
        'over-time',
        'by-user',
        'by-purpose',
      ]);
    });

    it('accounts for disclosures of the last six years with recipient, description, purpose and basis, leaving out TPO', async () => {
      await setup();
      const report = await disclosureAccounting(audited, {
        tenantId: trail.tenantId,
        patientId: trail.patientId,
        clock: trail.clock,
      });
      expect(report.period.from).toBe('2020-02-01T12:00:00.000Z');
      expect(report.rows).toEqual([
        {
          timestamp: '2026-01-08T09:30:00.000Z',
          recipient: 'State immunization registry',
          description: 'immunizations, demographics',
          purposeOfUse: 'PUBHLTH',
          disclosureBasis: '45 CFR 164.512(b)',
          dataCategories: 'immunizations; demographics',
        },
        expect.objectContaining({
          timestamp: '2026-01-09T10:00:00.000Z',
          purposeOfUse: 'HLEGAL',
          description: 'notes',
        }),
      ]);
      const everything = await disclosureAccounting(audited, {
        tenantId: trail.tenantId,
        patientId: trail.patientId,
        clock: trail.clock,
        unaccountedPurposes: [],
        from: new Date('2000-01-01T00:00:00Z'),
      });
      expect(everything.rows.map((row) => row.recipient)).toEqual(
        ['State immunization registry', expect.stringContaining('HYPERLINK')].toSpliced(
          0,
          0,
          'Acme Insurance',
        ),
      );
    });

    it('reports one user activity with the patients touched', async () => {
      await setup();
      const report = await userActivityReport(audited, {
        tenantId: trail.tenantId,
        userId: trail.intruder,
      });
      expect(report.rows.map((row) => row.action)).toEqual([
        'login_failed',
        'read',
        'read',
        'read',
        'read',
      ]);
      expect(report.notes[0]).toContain('4 distinct patients');
    });

    it('finds failed logins, users reading unusually many patients and access outside working hours', async () => {
      await setup();
      const report = await securityReport(audited, {
        tenantId: trail.tenantId,
        maxPatientsPerDay: 3,
      });
      expect(report.rows.map((row) => [row.finding, row.userId, row.timestamp])).toEqual([
        ['after-hours', trail.nurse, '2026-01-10T23:30:00.000Z'],
        ['failed-login', trail.intruder, '2026-01-11T08:00:00.000Z'],
        ['after-hours', trail.nurse, '2026-01-11T08:05:00.000Z'],
        ['many-patients', trail.intruder, '2026-01-12T09:00:00.000Z'],
      ]);
      const lenient = await securityReport(audited, {
        tenantId: trail.tenantId,
        from: new Date('2026-01-05T00:00:00Z'),
        to: new Date('2026-01-05T23:59:59Z'),
        workingHours: { timeZone: 'America/New_York', start: 7, end: 19, days: [1, 2, 3, 4, 5] },
      });
      expect(lenient.rows.map((row) => row.finding)).toEqual(['after-hours']);
    });

    it('lists break-glass events and emergency accesses with their reason, which only the encryptor reveals', async () => {
      await setup();
      const report = await breakGlassReport(audited, {
        tenantId: trail.tenantId,
        encryptor: trail.encryptor,
      });
      expect(report.rows.map((row) => [row.action, row.userId, row.reason])).toEqual([
        ['break_glass', trail.nurse, 'unconscious patient in ER'],
        ['read', trail.nurse, null],
      ]);
      const sealed = await breakGlassReport(audited, { tenantId: trail.tenantId });
      expect(sealed.rows.map((row) => row.reason)).toEqual([null, null]);
    });

    it('sorts the range report by every recorded field in both directions', async () => {
      await setup();
      for (const sortBy of AUDIT_SORT_FIELDS) {
        for (const order of ['asc', 'desc'] as const) {
          const report = await rangeReport(audited, { tenantId: trail.tenantId, sortBy, order });
          expect(report.rows).toHaveLength(15);
          const keys = report.rows.map((row) => row[sortBy] ?? '');
          const sorted = [...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
          expect(keys, `${sortBy} ${order}`).toEqual(order === 'asc' ? sorted : sorted.reverse());
        }
      }
    });

    it('reveals protected values in the range report only with the encryptor', async () => {
      await setup();
      const range = {
        tenantId: trail.tenantId,
        from: new Date('2026-01-06T00:00:00Z'),
        to: new Date('2026-01-06T23:59:59Z'),
      };
      const sealed = await rangeReport(audited, range);
      expect(JSON.parse(String(sealed.rows[0]?.newValue))).toEqual({
        givenName: { $encrypted: true },
        status: 'active',
      });
      const revealed = await rangeReport(audited, { ...range, encryptor: trail.encryptor });
      expect(JSON.parse(String(revealed.rows[0]?.newValue))).toEqual({
        givenName: trail.givenName,
        status: 'active',
      });
      expect(revealed.rows[0]?.changedFields).toBe('givenName; status');
    });
  });
}

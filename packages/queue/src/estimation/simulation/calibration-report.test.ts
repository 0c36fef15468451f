import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildCalibrationReport } from './calibration-report.js';
import { CLINIC_DAY_SCENARIOS } from './clinic-day-scenarios.js';

const DOCS = new URL('../../../../../docs/', import.meta.url);
const REPORT_SEEDS = Array.from({ length: 30 }, (_, index) => index + 11);

describe('buildCalibrationReport', () => {
  const report = buildCalibrationReport({ seeds: REPORT_SEEDS });

  it('has a row per scenario with both coverages and a point per group and quantile', () => {
    for (const { name } of CLINIC_DAY_SCENARIOS) expect(report.markdown).toContain(`| ${name} |`);
    expect(report.markdown).toContain('Over P50 (all / waited)');
    expect(report.svg.match(/<circle cx/g)?.length).toBe(CLINIC_DAY_SCENARIOS.length * 6);
    expect(report.svg.match(/<rect x/g)?.length).toBe(CLINIC_DAY_SCENARIOS.length * 5);
  });

  it('matches the report committed in docs/', () => {
    const markdownFile = fileURLToPath(new URL('wait-time-calibration.md', DOCS));
    const svgFile = fileURLToPath(new URL('wait-time-calibration.svg', DOCS));
    if (process.env['CAREQUEUE_WRITE_CALIBRATION_REPORT'] === '1') {
      writeFileSync(markdownFile, report.markdown);
      writeFileSync(svgFile, report.svg);
    }
    expect(readFileSync(markdownFile, 'utf8')).toBe(report.markdown);
    expect(readFileSync(svgFile, 'utf8')).toBe(report.svg);
  });
});

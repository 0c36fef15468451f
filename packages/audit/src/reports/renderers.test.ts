import { describe, expect, it } from 'vitest';
import type { AuditReport } from './audit-report.js';
import { csvField, renderReportCsv } from './render-csv.js';
import { escapeHtml, renderReportHtml } from './render-html.js';
import { renderReportJson } from './render-json.js';
import { sampleAuditEvent } from '../testing/sample-event.js';
import { activityCharts, timeBucket } from './report-charts.js';
import { localTime } from './security-report.js';

const hostile = '=HYPERLINK("http://evil.example","x") <script>alert(1)</script>';

const report: AuditReport = {
  kind: 'range',
  title: 'Trail <b>report</b>',
  tenantId: 'tenant-1',
  generatedAt: '2026-02-01T12:00:00.000Z',
  period: { from: null, to: '2026-02-01T00:00:00.000Z' },
  columns: [
    { key: 'timestamp', label: 'Date' },
    { key: 'recipient', label: 'Recipient, "quoted"' },
    { key: 'count', label: 'Count' },
  ],
  rows: [
    { timestamp: '2026-01-01T00:00:00.000Z', recipient: hostile, count: 3 },
    { timestamp: '2026-01-02T00:00:00.000Z', recipient: null, count: -1 },
    { timestamp: '2026-01-03T00:00:00.000Z', recipient: 'line\nbreak', count: 0 },
  ],
  charts: [
    {
      id: 'over-time',
      title: 'Per day',
      data: [
        { label: '2026-01-01', value: 2 },
        { label: '2026-01-02', value: 1 },
      ],
    },
    {
      id: 'by-user',
      title: 'By <user>',
      data: [{ label: '<img src=x onerror=alert(1)>', value: 3 }],
    },
    { id: 'by-purpose', title: 'By purpose', data: [] },
  ],
  notes: ['Note & <em>remark</em>'],
};

describe('renderReportCsv', () => {
  it('neutralizes cells a spreadsheet would run as formulas and quotes per RFC 4180', () => {
    expect(csvField('=1+1')).toBe("'=1+1");
    expect(csvField('+1')).toBe("'+1");
    expect(csvField('-1')).toBe("'-1");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('\tx')).toBe("'\tx");
    expect(csvField('\rx')).toBe('"\'\rx"');
    expect(csvField(-1)).toBe('-1');
    expect(csvField(null)).toBe('');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('plain')).toBe('plain');
  });

  it('writes a header of labels and one line per row', () => {
    const csv = renderReportCsv(report);
    expect(csv.split('\r\n')).toEqual([
      'Date,"Recipient, ""quoted""",Count',
      `2026-01-01T00:00:00.000Z,"'=HYPERLINK(""http://evil.example"",""x"") <script>alert(1)</script>",3`,
      '2026-01-02T00:00:00.000Z,,-1',
      '2026-01-03T00:00:00.000Z,"line\nbreak",0',
      '',
    ]);
  });
});

describe('renderReportHtml', () => {
  const html = renderReportHtml(report);

  it('escapes every value, label and title', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;',
    );
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>report');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('<title>Trail &lt;b&gt;report&lt;/b&gt;</title>');
    expect(html).toContain('Note &amp; &lt;em&gt;remark&lt;/em&gt;');
  });

  it('is self-contained: no script, no external reference, a CSP forbidding loads', () => {
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
    expect(html).not.toMatch(
      /<(script|link|iframe|img|object|embed)\b|\s(src|href|xlink:href)="|url\(/i,
    );
    const urls = html.match(/https?:\/\/[^\s"<]+/g) ?? [];
    expect(
      urls.filter(
        (url) => url !== 'http://www.w3.org/2000/svg' && !url.startsWith('http://evil.example'),
      ),
    ).toEqual([]);
  });

  it('draws one SVG bar per chart datum and says when a chart is empty', () => {
    expect(html.match(/<svg /g)).toHaveLength(2);
    expect(html.match(/<rect class="bar"/g)).toHaveLength(3);
    expect(html).toContain('data-label="2026-01-01" data-value="2"');
    expect(html).toContain('No events in this period.');
    expect(html.match(/<tr>/g)).toHaveLength(4);
  });
});

describe('renderReportJson', () => {
  it('round-trips the report', () => {
    expect(JSON.parse(renderReportJson(report))).toEqual(report);
  });
});

describe('report time helpers', () => {
  it('buckets by UTC day or month', () => {
    expect(timeBucket(new Date('2026-01-31T23:59:00Z'), 'day')).toBe('2026-01-31');
    expect(timeBucket(new Date('2026-01-31T23:59:00Z'), 'month')).toBe('2026-01');
    expect(timeBucket(new Date('2026-01-31T23:59:00Z'), 'year')).toBe('2026');
  });

  it('reads the local day, ISO weekday and hour in a time zone', () => {
    expect(localTime(new Date('2026-01-05T23:30:00Z'), 'Europe/Paris')).toEqual({
      day: '2026-01-06',
      weekday: 2,
      hour: 0,
    });
    expect(localTime(new Date('2026-01-11T08:05:00Z'), 'UTC')).toEqual({
      day: '2026-01-11',
      weekday: 7,
      hour: 8,
    });
  });
});

describe('activityCharts', () => {
  const log = (iso: string, userId: string | null = 'u') => ({
    ...sampleAuditEvent({ timestamp: new Date(iso), userId }),
    sequence: null,
    payloadHash: null,
    previousHash: null,
  });

  it('fills every bucket between the first and last event, by day, month or year', () => {
    const days = activityCharts([log('2026-01-01T10:00:00Z'), log('2026-01-03T10:00:00Z')], {
      byUser: false,
    });
    expect(days[0]?.data).toEqual([
      { label: '2026-01-01', value: 1 },
      { label: '2026-01-02', value: 0 },
      { label: '2026-01-03', value: 1 },
    ]);
    const months = activityCharts([log('2025-11-30T10:00:00Z'), log('2026-02-01T10:00:00Z')], {
      byUser: false,
    });
    expect(months[0]?.data.map((datum) => datum.label)).toEqual([
      '2025-11',
      '2025-12',
      '2026-01',
      '2026-02',
    ]);
    const years = activityCharts([log('2010-06-01T00:00:00Z'), log('2026-02-01T00:00:00Z')], {
      byUser: false,
    });
    expect(years[0]?.data).toHaveLength(17);
    expect(activityCharts([], { byUser: true }).map((chart) => chart.data)).toEqual([[], [], []]);
  });

  it('keeps the eleven largest groups and sums the rest as others', () => {
    const logs = Array.from({ length: 14 }, (_, index) =>
      log('2026-01-01T10:00:00Z', `user-${String(index).padStart(2, '0')}`),
    );
    const [, byUser] = activityCharts([...logs, logs[0]!], { byUser: true });
    expect(byUser?.data).toHaveLength(12);
    expect(byUser?.data[0]).toEqual({ label: 'user-00', value: 2 });
    expect(byUser?.data.at(-1)).toEqual({ label: 'others', value: 3 });
  });
});

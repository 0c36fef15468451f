import type { ErrorIssue } from '@carequeue/core';
import { isRecord, listIssues, oneOfIssues } from '../argument-checks.js';
import { AUDIT_REPORT_KINDS } from './audit-report.js';

const CHART_IDS = ['over-time', 'by-user', 'by-purpose'];

const stringIssues = (value: unknown, path: string): ErrorIssue[] =>
  typeof value === 'string' ? [] : [{ path, message: 'must be a string' }];

const nullableStringIssues = (value: unknown, path: string): ErrorIssue[] =>
  value === null || typeof value === 'string'
    ? []
    : [{ path, message: 'must be a string or null' }];

function cellIssues(value: unknown, path: string): ErrorIssue[] {
  return value === null || typeof value === 'string' || typeof value === 'number'
    ? []
    : [{ path, message: 'must be a string, a number or null' }];
}

function columnIssues(value: unknown, path: string): ErrorIssue[] {
  if (!isRecord(value)) return [{ path, message: 'must be a column { key, label }' }];
  return [
    ...stringIssues(value['key'], `${path}.key`),
    ...stringIssues(value['label'], `${path}.label`),
  ];
}

function rowIssues(value: unknown, path: string): ErrorIssue[] {
  if (!isRecord(value)) return [{ path, message: 'must be a row object of cells' }];
  for (const [key, cell] of Object.entries(value)) {
    // The key is the report's own column key, never a value; `*` keeps the path value-free anyway.
    const found = cellIssues(cell, `${path}.*`);
    if (found.length > 0 || key === '') return found;
  }
  return [];
}

function chartIssues(value: unknown, path: string): ErrorIssue[] {
  if (!isRecord(value)) return [{ path, message: 'must be a chart { id, title, data }' }];
  return [
    ...oneOfIssues(value['id'], `${path}.id`, CHART_IDS),
    ...stringIssues(value['title'], `${path}.title`),
    ...listIssues(value['data'], `${path}.data`, (datum, datumPath) =>
      isRecord(datum) && typeof datum['label'] === 'string' && Number.isFinite(datum['value'])
        ? []
        : [{ path: datumPath, message: 'must be a datum { label, value }' }],
    ),
  ];
}

/**
 * The issues of a value that must be an `AuditReport`, as the renderers read it. Internal: the
 * package entry does not export it.
 *
 * @example
 * ```ts
 * checkArguments('renderReportCsv', reportIssues(report, 'report'));
 * ```
 */
export function reportIssues(value: unknown, path: string): ErrorIssue[] {
  if (!isRecord(value)) return [{ path, message: 'must be an audit report object' }];
  const at = (field: string): string => `${path}.${field}`;
  const period = value['period'];
  return [
    ...oneOfIssues(value['kind'], at('kind'), AUDIT_REPORT_KINDS),
    ...stringIssues(value['title'], at('title')),
    ...stringIssues(value['tenantId'], at('tenantId')),
    ...stringIssues(value['generatedAt'], at('generatedAt')),
    ...(isRecord(period)
      ? [
          ...nullableStringIssues(period['from'], at('period.from')),
          ...nullableStringIssues(period['to'], at('period.to')),
        ]
      : [{ path: at('period'), message: 'must be an object { from, to }' }]),
    ...listIssues(value['columns'], at('columns'), columnIssues),
    ...listIssues(value['rows'], at('rows'), rowIssues),
    ...listIssues(value['charts'], at('charts'), chartIssues),
    ...listIssues(value['notes'], at('notes'), stringIssues),
  ];
}

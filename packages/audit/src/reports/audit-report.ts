export {
  AUDIT_REPORT_KINDS,
  AuditReport,
  AuditReportKind,
  ChartDatum,
  ReportCell,
  ReportChart,
  ReportColumn,
} from '@carequeue/core';

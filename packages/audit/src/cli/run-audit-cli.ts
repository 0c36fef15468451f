import { writeFile } from 'node:fs/promises';
import { isCarequeueError } from '@carequeue/core';
import type { SqlExecutor } from '@carequeue/core/sql';
import { postgresAuditStore } from '../adapters/postgres.js';
import type { AuditStore } from '../audit-store.js';
import {
  AuditArchiveInvalidError,
  AuditCheckpointInvalidError,
  AuditRetentionBelowFloorError,
} from '../errors.js';
import { toFhirBundle, toFhirNdjson } from '../fhir/fhir-audit-event.js';
import { breakGlassReport } from '../reports/break-glass-report.js';
import { disclosureAccounting } from '../reports/disclosure-accounting.js';
import { patientAccessReport } from '../reports/patient-access-report.js';
import { rangeReport } from '../reports/range-report.js';
import { renderReportCsv } from '../reports/render-csv.js';
import { renderReportHtml } from '../reports/render-html.js';
import { renderReportJson } from '../reports/render-json.js';
import { securityReport } from '../reports/security-report.js';
import { readWholeTrail } from '../reports/trail-reader.js';
import { userActivityReport } from '../reports/user-activity-report.js';
import type { AuditReport } from '../reports/audit-report.js';
import { directoryArchiveSink, type ArchiveSink } from '../retention/archive-sink.js';
import { createRetentionPolicy } from '../retention/retention-policy.js';
import { runRetention } from '../retention/retention-runner.js';
import { createAuditLogService } from '../audit-log-service.js';
import {
  AuditCliOutputError,
  AuditCliUnknownTenantError,
  AuditCliUsageError,
} from './cli-errors.js';
import { readAuditCliCommand, type AuditCliCommand } from './cli-options.js';
import { AUDIT_CLI_EXIT, type AuditCliExitCode } from './exit-codes.js';
import { exitForFailure, sqlStateInChain } from './exit-for-error.js';

/**
 * A database connection the CLI opened, closed when the command ends.
 *
 * @example
 * ```ts
 * const connection: AuditCliConnection = { executor: createPgExecutor({ pool }), close: () => pool.end() };
 * ```
 */
export interface AuditCliConnection {
  readonly executor: SqlExecutor;
  close(): Promise<void>;
}

/**
 * What the CLI runs against: its output streams, environment and how it connects.
 *
 * @example
 * ```ts
 * const io: AuditCliIo = { stdout: (text) => process.stdout.write(text), stderr: (text) => process.stderr.write(text), env: process.env, connect };
 * ```
 */
export interface AuditCliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly connect: (databaseUrl: string) => Promise<AuditCliConnection>;
}

/**
 * The usage text of `carequeue-audit`.
 *
 * @example
 * ```ts
 * process.stdout.write(AUDIT_CLI_USAGE);
 * ```
 */
export const AUDIT_CLI_USAGE = `Usage: carequeue-audit <command> [options]

Commands:
  verify     --tenant <id> [--checkpoint <file> --public-key <pem>]
  report     <patient-access|disclosure-accounting|user-activity|security|break-glass|range>
             --tenant <id> [--patient <id>] [--user <id>] [--from <iso>] [--to <iso>]
             [--format json|csv|html] [--out <file>] [--sort-by <field>] [--order asc|desc]
             [--include-staff]
  export     --tenant <id> [--from <iso>] [--to <iso>] [--format bundle|ndjson] [--out <file>]
  retention  --archive-dir <dir> --signing-key <pem> [--dry-run]
             [--standard-years <n>] [--extended-years <n>]
             [--acknowledge-below-floor <reason> --acknowledged-by <user> --tenant <id>]

Common: --database-url <postgres://...> (default: CAREQUEUE_AUDIT_DATABASE_URL)
--tenant is a UUID; --from/--to are ISO 8601 dates or date-times with a zone. Every option is
checked before connecting, and an option the command does not use is refused.
Progress goes to stderr. Exit codes: 0 ok, 1 verification failed, 2 usage, 3 database unreachable,
4 refused (e.g. retention below the floor without an acknowledgement), 5 unknown tenant (no audit
trail), 6 output (--out or --archive-dir) cannot be written, 7 failed (read the message).
`;

type Run<C extends AuditCliCommand['name']> = Extract<AuditCliCommand, { name: C }>;

async function emit(
  command: Run<'report' | 'export'>,
  io: AuditCliIo,
  text: string,
): Promise<void> {
  if (command.out === undefined) {
    io.stdout(text);
    return;
  }
  try {
    await writeFile(command.out, text, 'utf8');
  } catch (error: unknown) {
    throw new AuditCliOutputError('--out', { cause: error });
  }
}

/**
 * A tenant is unknown when it has neither a sealed chain nor any event (sealed or not): a tenant
 * whose events all wait to be sealed exists, and so does one whose events retention removed
 * while its chain stayed. Every command naming a tenant checks it before reading its trail, so a
 * mistyped id is exit 5 rather than an empty report, export or verification.
 */
async function assertTenantHasTrail(store: AuditStore, tenantId: string): Promise<void> {
  if ((await store.head(tenantId)).sequence > 0) return;
  const page = await store.query({ tenantId, limit: 1 });
  if (page.items.length === 0) throw new AuditCliUnknownTenantError();
}

async function verifyCommand(
  command: Run<'verify'>,
  executor: SqlExecutor,
  io: AuditCliIo,
): Promise<AuditCliExitCode> {
  const store = postgresAuditStore({ executor });
  await assertTenantHasTrail(store, command.tenantId);
  io.stderr(`verifying the audit chain of tenant ${command.tenantId}\n`);
  // With a checkpoint the chain must reach its sequence with the signed hash there: a chain
  // rewritten and hashed again from the genesis links up, and only the signed hash tells.
  const result = await store.verify(
    command.tenantId,
    command.checkpoint === undefined ? {} : { checkpoint: command.checkpoint },
  );
  io.stdout(`${JSON.stringify(result)}\n`);
  return result.ok ? AUDIT_CLI_EXIT.ok : AUDIT_CLI_EXIT.verificationFailed;
}

async function reportCommand(
  command: Run<'report'>,
  executor: SqlExecutor,
  io: AuditCliIo,
): Promise<AuditCliExitCode> {
  const store = postgresAuditStore({ executor });
  await assertTenantHasTrail(store, command.tenantId);
  const base = {
    tenantId: command.tenantId,
    ...(command.from ? { from: command.from } : {}),
    ...(command.to ? { to: command.to } : {}),
    onProgress: (read: number) => io.stderr(`read ${read} events\n`),
  };
  // Set for the kinds that need them by readAuditCliCommand.
  const patientId = command.patientId ?? '';
  let report: AuditReport;
  switch (command.kind) {
    case 'patient-access':
      report = await patientAccessReport(store, {
        ...base,
        patientId,
        includeStaffIdentities: command.includeStaff,
      });
      break;
    case 'disclosure-accounting':
      report = await disclosureAccounting(store, { ...base, patientId });
      break;
    case 'user-activity':
      report = await userActivityReport(store, { ...base, userId: command.userId ?? '' });
      break;
    case 'security':
      report = await securityReport(store, base);
      break;
    case 'break-glass':
      report = await breakGlassReport(store, base);
      break;
    case 'range':
      report = await rangeReport(store, { ...base, sortBy: command.sortBy, order: command.order });
      break;
  }
  const render = { json: renderReportJson, csv: renderReportCsv, html: renderReportHtml }[
    command.format
  ];
  await emit(command, io, render(report));
  io.stderr(`${report.rows.length} rows\n`);
  return AUDIT_CLI_EXIT.ok;
}

async function exportCommand(
  command: Run<'export'>,
  executor: SqlExecutor,
  io: AuditCliIo,
): Promise<AuditCliExitCode> {
  const store = postgresAuditStore({ executor });
  await assertTenantHasTrail(store, command.tenantId);
  const logs = await readWholeTrail(
    store,
    {
      tenantId: command.tenantId,
      ...(command.from ? { from: command.from } : {}),
      ...(command.to ? { to: command.to } : {}),
    },
    (read) => io.stderr(`read ${read} events\n`),
  );
  await emit(
    command,
    io,
    command.format === 'bundle' ? `${JSON.stringify(toFhirBundle(logs))}\n` : toFhirNdjson(logs),
  );
  io.stderr(`${logs.length} AuditEvents exported\n`);
  return AUDIT_CLI_EXIT.ok;
}

/** Reports a failed archive write as an output failure rather than a database one. */
function outputGuardedSink(sink: ArchiveSink): ArchiveSink {
  return {
    async write(name, content) {
      try {
        await sink.write(name, content);
      } catch (error: unknown) {
        throw new AuditCliOutputError('--archive-dir', { cause: error });
      }
    },
    read: (name) => sink.read(name),
  };
}

async function retentionCommand(
  command: Run<'retention'>,
  executor: SqlExecutor,
  io: AuditCliIo,
): Promise<AuditCliExitCode> {
  const store = postgresAuditStore({ executor });
  // The acknowledgement is recorded in that tenant's trail: a mistyped id must not start one.
  if (command.belowFloor) await assertTenantHasTrail(store, command.belowFloor.tenantId);
  const policy = await createRetentionPolicy({
    years: command.years,
    ...(command.belowFloor
      ? { belowFloor: command.belowFloor, audit: createAuditLogService({ store }) }
      : {}),
  });
  const result = await runRetention({
    executor,
    policy,
    sink: outputGuardedSink(directoryArchiveSink(command.archiveDir)),
    signingKey: command.signingKey,
    dryRun: command.dryRun,
    onProgress: (message) => io.stderr(`${message}\n`),
  });
  io.stdout(
    `${JSON.stringify({ expired: result.expired, archived: result.archived.map((archive) => ({ partition: archive.partition, events: archive.manifest.eventCount, manifest: archive.manifestFile, manifestSha256: archive.manifestSha256 })), heldBack: result.heldBack })}\n`,
  );
  return AUDIT_CLI_EXIT.ok;
}

function runCommand(
  command: Exclude<AuditCliCommand, { name: 'help' }>,
  executor: SqlExecutor,
  io: AuditCliIo,
): Promise<AuditCliExitCode> {
  switch (command.name) {
    case 'verify':
      return verifyCommand(command, executor, io);
    case 'report':
      return reportCommand(command, executor, io);
    case 'export':
      return exportCommand(command, executor, io);
    case 'retention':
      return retentionCommand(command, executor, io);
  }
}

const UNREACHABLE_MESSAGE =
  'The audit database could not be reached: the connection was refused, authentication failed or it timed out. Check --database-url (or CAREQUEUE_AUDIT_DATABASE_URL) and that the server is up, then retry.';

/**
 * Every exit code but `0` comes from here, so the mapping to {@link AUDIT_CLI_EXIT} lives in
 * one place. Messages are the errors' own (they never hold a value) or fixed text.
 */
function reportFailure(error: unknown, io: AuditCliIo): AuditCliExitCode {
  if (error instanceof AuditCliUsageError) {
    io.stderr(`${error.message}\n\n${AUDIT_CLI_USAGE}`);
    return AUDIT_CLI_EXIT.usage;
  }
  if (error instanceof AuditCheckpointInvalidError || error instanceof AuditArchiveInvalidError) {
    io.stderr(`${error.message}\n`);
    return AUDIT_CLI_EXIT.verificationFailed;
  }
  if (error instanceof AuditRetentionBelowFloorError) {
    io.stderr(`${error.message}\n`);
    return AUDIT_CLI_EXIT.refused;
  }
  if (error instanceof AuditCliUnknownTenantError) {
    io.stderr(`${error.message}\n`);
    return AUDIT_CLI_EXIT.unknownTenant;
  }
  if (error instanceof AuditCliOutputError) {
    io.stderr(`${error.message}\n`);
    return AUDIT_CLI_EXIT.outputFailed;
  }
  const code = exitForFailure(error);
  if (code === AUDIT_CLI_EXIT.unavailable) {
    io.stderr(`${UNREACHABLE_MESSAGE}\n`);
    return code;
  }
  const sqlState = sqlStateInChain(error);
  io.stderr(
    `${isCarequeueError(error) ? `${error.code}: ${error.message}` : 'The audit command failed with an unexpected error.'}${sqlState ? ` (SQLSTATE ${sqlState})` : ''}\n`,
  );
  return code;
}

/**
 * Runs `carequeue-audit` with its arguments (without `node` and the script) and returns the
 * exit code; never throws. The whole command line is checked before connecting. Errors are
 * reported on stderr without any value given or stored.
 *
 * @example
 * ```ts
 * process.exitCode = await runAuditCli(process.argv.slice(2), io);
 * ```
 */
export async function runAuditCli(
  args: readonly string[],
  io: AuditCliIo,
): Promise<AuditCliExitCode> {
  let command: AuditCliCommand;
  try {
    command = await readAuditCliCommand(args, io.env);
  } catch (error: unknown) {
    return reportFailure(error, io);
  }
  if (command.name === 'help') {
    io.stdout(AUDIT_CLI_USAGE);
    return AUDIT_CLI_EXIT.ok;
  }
  let connection: AuditCliConnection;
  try {
    connection = await io.connect(command.databaseUrl);
  } catch {
    // Opening the connection is all connect does, so any failure of it means unreachable.
    io.stderr(`${UNREACHABLE_MESSAGE}\n`);
    return AUDIT_CLI_EXIT.unavailable;
  }
  try {
    return await runCommand(command, connection.executor, io);
  } catch (error: unknown) {
    return reportFailure(error, io);
  } finally {
    await connection.close();
  }
}

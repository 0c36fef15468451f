#!/usr/bin/env node
import { createPgExecutor } from '@carequeue/core/sql';
import pg from 'pg';
import { runAuditCli } from './run-audit-cli.js';

process.exitCode = await runAuditCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  async connect(databaseUrl) {
    const pool = new pg.Pool({
      connectionString: databaseUrl,
      max: 2,
      connectionTimeoutMillis: 10_000,
    });
    pool.on('error', () => undefined);
    await pool.query('SELECT 1');
    return { executor: createPgExecutor({ pool }), close: () => pool.end() };
  },
});

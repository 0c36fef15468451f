import { fileURLToPath } from 'node:url';
import { caseTimeLimitMs } from './case-time-limit.js';
import { probeMachine } from './machine-info.js';
import { installedVersions } from './package-versions.js';
import { runBenchCommand } from './run-bench-command.js';
import { runCaseInWorker } from './run-case-in-worker.js';

// Same variables and defaults as the integration-test harness, so one setting serves both.
const services = {
  postgres: process.env.CAREQUEUE_PG_URL || 'postgres://postgres@127.0.0.1:5432/postgres',
  redis: process.env.CAREQUEUE_REDIS_URL || 'redis://127.0.0.1:6379',
};
const limits = { timeLimitMs: caseTimeLimitMs(process.env.CAREQUEUE_BENCH_CASE_TIMEOUT_MS) };

process.exitCode = await runBenchCommand(process.argv.slice(2), {
  casesDir: fileURLToPath(new URL('./cases/', import.meta.url)),
  resultsDir: fileURLToPath(new URL('../results/', import.meta.url)),
  services,
  probeMachine,
  readVersions: () => installedVersions(fileURLToPath(new URL('../', import.meta.url))),
  log: (line) => console.log(line),
  runCase: ({ id, file }, context) => runCaseInWorker({ id, file, ...context }, limits),
});

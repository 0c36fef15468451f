import type { WorkerRequest } from './case-worker-protocol.js';
import { importCaseModule } from './import-case-module.js';
import { runCase, type CaseSamples } from './run-case.js';

/**
 * What a case worker does with its request: imports the one case module it names, checks that
 * the module still defines that case, and runs it (setup, interleaved rounds, teardown).
 *
 * @throws Error when the module defines no case or another case; whatever the case throws.
 * @example
 * ```ts
 * const samples = await runRequestedCase(decodeWorkerRequest(process.argv[2]));
 * ```
 */
export async function runRequestedCase(request: WorkerRequest): Promise<CaseSamples> {
  const benchCase = await importCaseModule(request.file);
  if (benchCase.id !== request.id) {
    throw new Error(`${request.file} defines case ${benchCase.id}, not ${request.id}.`);
  }
  return await runCase(benchCase, { smoke: request.smoke, services: request.services });
}

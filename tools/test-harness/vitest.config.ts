import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const ISOLATION_FILES = /isolation-[ab]\.int\.test\.ts$/;

// The two isolation files wait for each other, so they go first and start together.
class IsolationFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const isIsolation = (file: TestSpecification): boolean => ISOLATION_FILES.test(file.moduleId);
    return [...sorted.filter(isIsolation), ...sorted.filter((file) => !isIsolation(file))];
  }
}

export default defineConfig({
  test: {
    name: 'test-harness',
    environment: 'node',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    restoreMocks: true,
    // Real servers on a shared machine: creating a database alone can take seconds under load.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    globalSetup: ['./src/global-setup.ts'],
    // The isolation demonstrations need two files running at once, even on a 2-core machine.
    fileParallelism: true,
    maxWorkers: 3,
    sequence: { sequencer: IsolationFirstSequencer },
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      exclude: ['src/**/*.test.ts', 'src/**/*.test-d.ts'],
      thresholds: { lines: 90 },
    },
  },
});

import { describe, expect, it } from 'vitest';
import { packedManifestProblems, planReleases } from '../../../scripts/release-dry-run.mjs';

describe('planReleases', () => {
  it('pairs each package with its next version and names those no changeset versions', () => {
    const plan = planReleases(
      { '@carequeue/core': '0.0.0', '@carequeue/client': '0.0.0', '@carequeue/cache': '0.2.0' },
      { '@carequeue/core': '0.1.0', '@carequeue/client': '0.0.0', '@carequeue/cache': '0.2.1' },
    );
    expect(plan.rows).toEqual([
      ['@carequeue/cache', '0.2.0', '0.2.1'],
      ['@carequeue/client', '0.0.0', '0.0.0'],
      ['@carequeue/core', '0.0.0', '0.1.0'],
    ]);
    expect(plan.unreleased).toEqual(['@carequeue/client']);
  });
});

describe('packedManifestProblems', () => {
  const released = { '@carequeue/core': '0.1.0', '@carequeue/cache': '0.1.0' };

  it('accepts ranges that admit the versions being released, and outside packages', () => {
    expect(
      packedManifestProblems(
        {
          name: '@carequeue/queue',
          dependencies: { '@carequeue/core': '^0.1.0', '@carequeue/cache': '^0.1.0' },
          peerDependencies: { zod: '^4.1.0' },
        },
        released,
      ),
    ).toEqual([]);
  });

  it('names a workspace range left in place and a range that misses the released version', () => {
    expect(
      packedManifestProblems(
        {
          name: '@carequeue/queue',
          dependencies: { '@carequeue/core': 'workspace:^' },
          optionalDependencies: { '@carequeue/cache': '^0.0.0' },
        },
        released,
      ),
    ).toEqual([
      '@carequeue/queue depends on @carequeue/core "workspace:^"',
      '@carequeue/queue depends on @carequeue/cache "^0.0.0"',
    ]);
  });
});

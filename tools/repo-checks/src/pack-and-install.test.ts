import { describe, expect, it } from 'vitest';
import {
  collectPeerRanges,
  createConsumerManifest,
  formatTable,
  importSpecifier,
  isInside,
  listSubpaths,
  peerWarnings,
  resolvePeerVersions,
} from '../../../scripts/pack-and-install.mjs';

describe('listSubpaths', () => {
  it('lists every subpath except ./package.json when exports maps subpaths', () => {
    const exportsField = {
      '.': { types: './dist/index.d.ts', default: './dist/index.js' },
      './logger': { types: './dist/logger/index.d.ts', default: './dist/logger/index.js' },
      './package.json': './package.json',
    };
    expect(listSubpaths(exportsField)).toEqual(['.', './logger']);
  });

  it('returns the root alone when exports is a string, conditions or absent', () => {
    expect(listSubpaths('./dist/index.js')).toEqual(['.']);
    expect(listSubpaths({ import: './dist/index.js', types: './dist/index.d.ts' })).toEqual(['.']);
    expect(listSubpaths(undefined)).toEqual(['.']);
  });

  it('throws naming the pattern when a subpath is a wildcard', () => {
    expect(() => listSubpaths({ '.': './dist/index.js', './adapters/*': './dist/*.js' })).toThrow(
      'pattern exports cannot be listed and imported: ./adapters/*',
    );
  });
});

describe('importSpecifier', () => {
  it('joins the package name and subpath when the subpath is not the root', () => {
    expect(importSpecifier('@carequeue/core', './logger')).toBe('@carequeue/core/logger');
    expect(importSpecifier('@carequeue/core', '.')).toBe('@carequeue/core');
  });
});

describe('collectPeerRanges', () => {
  it('lists every declared range per peer, sorted by peer name', () => {
    const ranges = collectPeerRanges([
      { name: 'a', peerDependencies: { zod: '^4.1.0', ioredis: '^5.4.0 || ^6.0.0' } },
      { name: 'b', peerDependencies: { zod: '^4.2.0' } },
    ]);
    expect([...ranges]).toEqual([
      ['ioredis', ['^5.4.0 || ^6.0.0']],
      ['zod', ['^4.1.0', '^4.2.0']],
    ]);
  });

  it('leaves out peers in the @carequeue scope when they come from tarballs', () => {
    const ranges = collectPeerRanges([
      { name: 'a', peerDependencies: { '@carequeue/core': '^0.0.0', zod: '^4.1.0' } },
    ]);
    expect([...ranges.keys()]).toEqual(['zod']);
  });
});

describe('resolvePeerVersions', () => {
  const published = {
    ioredis: ['5.3.2', '5.4.0', '5.11.1', '6.0.0-beta.1', '6.0.0', '6.1.0', '7.0.0'],
    zod: ['4.0.0', '4.1.0', '4.2.1', '4.6.7', '5.0.0-next.1'],
  };

  it('takes the oldest release every range admits when asked for the oldest', () => {
    const ranges = new Map([
      ['ioredis', ['^5.4.0 || ^6.0.0']],
      ['zod', ['^4.1.0', '>=4.2.0']],
    ]);
    expect(resolvePeerVersions(ranges, published, 'oldest')).toEqual({
      ioredis: '5.4.0',
      zod: '4.2.1',
    });
  });

  it('takes the newest release every range admits, skipping prereleases and later majors', () => {
    const ranges = new Map([
      ['ioredis', ['^5.4.0 || ^6.0.0']],
      ['zod', ['^4.1.0']],
    ]);
    expect(resolvePeerVersions(ranges, published, 'newest')).toEqual({
      ioredis: '6.1.0',
      zod: '4.6.7',
    });
  });

  it('reads alternatives within each range before intersecting the ranges', () => {
    // Joined as one string, "^5.4.0 || ^6.0.0 ^5.4.0" would admit 6.x through the first
    // alternative alone; each range is checked on its own instead.
    const ranges = new Map([['ioredis', ['^5.4.0 || ^6.0.0', '^5.4.0']]]);
    expect(resolvePeerVersions(ranges, published, 'newest')).toEqual({ ioredis: '5.11.1' });
  });

  it('throws naming the peer and its ranges when no release satisfies them all', () => {
    const ranges = new Map([['zod', ['^4.1.0', '^3.0.0']]]);
    expect(() => resolvePeerVersions(ranges, published, 'oldest')).toThrow(
      'no published release of zod satisfies every range: ^4.1.0; ^3.0.0',
    );
  });
});

describe('peerWarnings', () => {
  it('keeps the npm warnings about peers and ERESOLVE, and nothing else', () => {
    const output = [
      'npm warn ERESOLVE overriding peer dependency',
      'npm warn While resolving: @carequeue/cache@0.1.0',
      'npm warn Found: ioredis@6.1.0',
      'npm warn Could not resolve dependency:',
      'npm warn peer ioredis@"^5.4.0" from @carequeue/cache@0.1.0',
      'npm warn deprecated inflight@1.0.6: This module is not supported',
      'added 212 packages in 4s',
    ].join('\n');
    expect(peerWarnings(output)).toEqual([
      'npm warn ERESOLVE overriding peer dependency',
      'npm warn peer ioredis@"^5.4.0" from @carequeue/cache@0.1.0',
    ]);
  });

  it('returns nothing for a clean install', () => {
    expect(peerWarnings('added 212 packages in 4s\n')).toEqual([]);
  });
});

describe('createConsumerManifest', () => {
  it('depends on tarballs and peers and overrides internal packages when building the project', () => {
    const manifest = createConsumerManifest(
      { '@carequeue/core': '/tmp/t/carequeue-core-0.0.0.tgz' },
      { zod: '4.6.7' },
    );
    expect(manifest).toEqual({
      name: 'carequeue-pack-and-install-check',
      private: true,
      type: 'module',
      dependencies: { zod: '4.6.7', '@carequeue/core': 'file:/tmp/t/carequeue-core-0.0.0.tgz' },
      overrides: { '@carequeue/core': 'file:/tmp/t/carequeue-core-0.0.0.tgz' },
    });
  });
});

describe('isInside', () => {
  it('returns true when the path is the folder or below it', () => {
    expect(isInside('/work/main', '/work/main')).toBe(true);
    expect(isInside('/work/main/packages/core', '/work/main')).toBe(true);
  });

  it('returns false when the path is a sibling or a prefix look-alike', () => {
    expect(isInside('/tmp/carequeue-pack-1', '/work/main')).toBe(false);
    expect(isInside('/work/main-old', '/work/main')).toBe(false);
  });
});

describe('formatTable', () => {
  it('pads each column to its widest cell when rendering rows', () => {
    const table = formatTable(
      ['package', 'subpath', 'import'],
      [
        ['@carequeue/core', '.', 'ok'],
        ['@carequeue/core', './logger', 'FAIL'],
      ],
    );
    expect(table.split('\n')).toEqual([
      'package          subpath   import',
      '---------------  --------  ------',
      '@carequeue/core  .         ok',
      '@carequeue/core  ./logger  FAIL',
    ]);
  });
});

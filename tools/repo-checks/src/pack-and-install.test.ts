import { describe, expect, it } from 'vitest';
import {
  createConsumerManifest,
  formatTable,
  importSpecifier,
  isInside,
  listSubpaths,
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

describe('resolvePeerVersions', () => {
  it('uses the exact devDependency version when a package tests with one', () => {
    const versions = resolvePeerVersions([
      {
        name: '@carequeue/core',
        peerDependencies: { zod: '^4.1.0', pg: '^8.13.0' },
        devDependencies: { zod: '4.6.7', pg: '8.23.1' },
      },
      { name: '@carequeue/cache', peerDependencies: { zod: '^4.1.0' } },
    ]);
    expect(versions).toEqual({ pg: '8.23.1', zod: '4.6.7' });
  });

  it('intersects the declared ranges when no package pins the peer', () => {
    const versions = resolvePeerVersions([
      {
        name: 'a',
        peerDependencies: { ioredis: '^5.0.0' },
        devDependencies: { ioredis: '^5.4.0' },
      },
      { name: 'b', peerDependencies: { ioredis: '>=5.3.0' } },
    ]);
    expect(versions).toEqual({ ioredis: '^5.0.0 >=5.3.0' });
  });

  it('leaves out peers in the @carequeue scope when they come from tarballs', () => {
    const versions = resolvePeerVersions([
      { name: 'a', peerDependencies: { '@carequeue/core': '^0.0.0', zod: '^4.1.0' } },
    ]);
    expect(versions).toEqual({ zod: '^4.1.0' });
  });

  it('throws naming the packages when they test a peer with different versions', () => {
    expect(() =>
      resolvePeerVersions([
        { name: 'a', peerDependencies: { zod: '^4.1.0' }, devDependencies: { zod: '4.6.7' } },
        { name: 'b', peerDependencies: { zod: '^4.1.0' }, devDependencies: { zod: '4.5.0' } },
      ]),
    ).toThrow('zod is tested with different versions: 4.6.7 (a), 4.5.0 (b)');
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

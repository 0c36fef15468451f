import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { createCacheService } from '../cache-service.js';
import { cached } from './cached.js';
import { createCacheDecorators } from './cache-decorators.js';

const tenant = () => '0195f0a4-1111-7000-8000-000000000001';

describe('createCacheDecorators', () => {
  it('caches a method per key when compiled by TypeScript as a standard decorator', async () => {
    const { Cacheable } = createCacheDecorators(createCacheService({ tenant }));
    // The test runner's transform keeps standard decorators as-is, and Node cannot run them,
    // so the class is compiled by TypeScript itself, as a user's build would.
    const source = `
      export function build(Cacheable) {
        return class SettingsService {
          calls = 0;
          @Cacheable('clinic-settings', (clinicId: string) => clinicId, { ttlMs: 60_000 })
          async load(clinicId: string) {
            this.calls += 1;
            return { clinicId, calls: this.calls };
          }
        };
      }`;
    const { outputText } = ts.transpileModule(source, {
      compilerOptions: {
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.ESNext,
        experimentalDecorators: false,
      },
    });
    expect(outputText).toContain('__esDecorate');
    const compiled = (await import(
      `data:text/javascript;base64,${Buffer.from(outputText).toString('base64')}`
    )) as { build(decorator: unknown): new () => { load(id: string): Promise<unknown> } };
    const service = new (compiled.build(Cacheable))();
    expect(await service.load('c1')).toEqual({ clinicId: 'c1', calls: 1 });
    expect(await service.load('c1')).toEqual({ clinicId: 'c1', calls: 1 });
    expect(await service.load('c2')).toEqual({ clinicId: 'c2', calls: 2 });
  });
});

describe('cached', () => {
  it('runs the wrapped function once per key when called repeatedly', async () => {
    const cache = createCacheService({ tenant });
    let calls = 0;
    const load = cached(
      (id: string) => {
        calls += 1;
        return { id, at: new Date(0) };
      },
      { cache, namespace: 'staff-schedules', key: (id) => id, ttlMs: 30_000 },
    );
    const first = await load('s1');
    expect(await load('s1')).toBe(first);
    expect(first.at).toBeInstanceOf(Date);
    const untimed = cached(() => 1, { cache, namespace: 'queue-summaries', key: () => 'q' });
    expect(await untimed()).toBe(1);
    expect(calls).toBe(1);
  });
});

import { describe, expect, it } from 'vitest';
import { renderMarkdown } from './markdown-table.js';
import type { ResultsFile } from './results-file.js';

const results: ResultsFile = {
  when: '2026-11-25T18:00:00.000Z',
  machine: { cpus: 2, node: 'v20.20.2', v8: '11.3.244.8-node.38', postgres: '15.18', redis: null },
  versions: { opossum: '9.0.0' },
  cases: [
    {
      id: 'resilience.breaker.execute',
      unit: 'ns/op',
      better: 'lower',
      ours: 640,
      ourP99: 900,
      peer: 600,
      peerP99: 850,
      peerName: 'opossum 9.0.0',
      ratio: 1.07,
      target: 1.15,
      notes: 'timeout off | both',
    },
    {
      id: 'audit.write.batched',
      unit: 'ops/s',
      better: 'higher',
      ours: 31000,
      ourP99: 28000,
      peer: null,
      peerP99: null,
      peerName: null,
      ratio: null,
      target: 30000,
      notes: '',
    },
  ],
};

describe('renderMarkdown', () => {
  it('renders one row per case with its verdict when given results', () => {
    const lines = renderMarkdown(results).split('\n');
    expect(lines).toContain(
      '| resilience.breaker.execute | ns/op | 640 | 900 | 600 | 850 | opossum 9.0.0 | 1.07 | 1.15 | met | timeout off \\| both |',
    );
    expect(lines).toContain(
      '| audit.write.batched | ops/s | 31,000 | 28,000 | - | - | - | - | 30,000 | met |  |',
    );
  });

  it('names the machine and marks absent services when a service was unreachable', () => {
    const text = renderMarkdown(results);
    expect(text).toContain(
      'on 2 CPUs, Node v20.20.2 (V8 11.3.244.8-node.38), Postgres 15.18, Redis absent.',
    );
    expect(text).toContain('Versions: opossum 9.0.0.');
  });

  it('says none when no versions were recorded', () => {
    expect(renderMarkdown({ ...results, versions: {} })).toContain('Versions: none.');
  });
});

import { describe, expect, it } from 'vitest';
import { defineCase } from './case-definition.js';
import { summarizeCase } from './summarize-case.js';

const throughputCase = defineCase({
  id: 'cache.redis.get',
  kind: 'throughput',
  unit: 'ops/s',
  better: 'higher',
  target: 0.85,
  peerName: 'ioredis 5.11.1',
  notes: '50 callers',
  concurrency: 50,
  ours: () => () => Promise.resolve(1),
  peer: () => () => Promise.resolve(1),
});

describe('summarizeCase', () => {
  it('reports medians, low-end tails and a rounded ratio when higher is better', () => {
    const result = summarizeCase(throughputCase, {
      id: 'cache.redis.get',
      ours: [90_000.4, 100_000.4, 110_000.4],
      peer: [120_000, 130_000, 140_000],
    });
    expect(result).toEqual({
      id: 'cache.redis.get',
      unit: 'ops/s',
      better: 'higher',
      ours: 100_000,
      ourP99: 90_000,
      peer: 130_000,
      peerP99: 120_000,
      peerName: 'ioredis 5.11.1',
      ratio: 0.769,
      target: 0.85,
      notes: '50 callers',
    });
  });

  it('throws naming the side when a side produced no samples', () => {
    expect(() =>
      summarizeCase(throughputCase, { id: 'cache.redis.get', ours: [1], peer: [] }),
    ).toThrow('cache.redis.get: the peer side produced no samples.');
  });

  it('throws when a sample is not a finite number', () => {
    expect(() =>
      summarizeCase(throughputCase, { id: 'cache.redis.get', ours: [Number.NaN], peer: [1] }),
    ).toThrow(/ours side produced a sample that is not a finite number/);
  });
});

import { describe, expect, it } from 'vitest';
import {
  decodeWorkerRequest,
  encodeWorkerRequest,
  failureReply,
  samplesFromReply,
  type WorkerRequest,
} from './case-worker-protocol.js';

const request: WorkerRequest = {
  file: '/repo/bench/src/cases/core/uuidv7.ts',
  id: 'core.id.uuidv7',
  smoke: true,
  services: { postgres: 'postgres://db', redis: 'redis://cache' },
};

function thrownBy(action: () => unknown): Error {
  try {
    action();
  } catch (error: unknown) {
    if (error instanceof Error) return error;
  }
  throw new Error('expected the action to throw an Error');
}

describe('encodeWorkerRequest and decodeWorkerRequest', () => {
  it('gives back the same request when decoding what was encoded', () => {
    expect(decodeWorkerRequest(encodeWorkerRequest(request))).toEqual(request);
  });

  it('keeps only the request fields when the argument has more', () => {
    const extra = JSON.stringify({ ...request, other: 1, services: { ...request.services, x: 2 } });
    expect(decodeWorkerRequest(extra)).toEqual(request);
  });

  it('throws quoting the argument when it is missing or not a request', () => {
    const malformed = [
      undefined,
      'not json',
      '[]',
      JSON.stringify({ ...request, smoke: 'yes' }),
      JSON.stringify({ ...request, services: { postgres: 'postgres://db' } }),
    ];
    for (const text of malformed) {
      expect(() => decodeWorkerRequest(text)).toThrow(
        `A case worker takes one encoded request as its argument (got ${text}).`,
      );
    }
  });
});

describe('failureReply and samplesFromReply', () => {
  it('rethrows the error with its name, message and stack from the worker when the case failed', () => {
    const original = new TypeError('bad state');
    const error = thrownBy(() => samplesFromReply(failureReply(original), 'core.id.uuidv7'));
    expect(error).toMatchObject({ name: 'TypeError', message: 'bad state' });
    expect(error.stack).toBe(original.stack);
  });

  it('rethrows the thrown value as text when the case threw something other than an Error', () => {
    expect(failureReply('plain text')).toEqual({
      kind: 'failure',
      name: 'Error',
      message: 'plain text',
      stack: 'plain text',
    });
    const error = thrownBy(() => samplesFromReply(failureReply('plain text'), 'core.id.uuidv7'));
    expect(error.stack).toBe('plain text');
  });

  it('returns the samples, non-finite ones included, when the reply carries them', () => {
    const samples = { id: 'core.id.uuidv7', ours: [1, Number.NaN], peer: [Infinity] };
    expect(samplesFromReply({ kind: 'samples', samples }, 'core.id.uuidv7')).toEqual(samples);
    const absolute = { id: 'core.id.uuidv7', ours: [5], peer: null };
    expect(samplesFromReply({ kind: 'samples', samples: absolute }, 'core.id.uuidv7')).toEqual(
      absolute,
    );
  });

  it('throws when the reply is malformed or carries another case', () => {
    const malformed = [
      null,
      'samples',
      { kind: 'failure', message: 'no name or stack' },
      { kind: 'samples' },
      { kind: 'samples', samples: { id: 'core.id.other', ours: [1], peer: null } },
      { kind: 'samples', samples: { id: 'core.id.uuidv7', ours: ['1'], peer: null } },
      { kind: 'samples', samples: { id: 'core.id.uuidv7', ours: [1], peer: 2 } },
    ];
    for (const reply of malformed) {
      expect(() => samplesFromReply(reply, 'core.id.uuidv7')).toThrow(
        'The worker running core.id.uuidv7 sent a reply that is not its samples.',
      );
    }
  });
});

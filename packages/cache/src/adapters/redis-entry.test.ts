import { describe, expect, it } from 'vitest';
import { parseStoredEntry, splitFields, stampOf } from './redis-entry.js';

describe('parseStoredEntry', () => {
  it('splits fields, stamp and payload when the payload holds newlines itself', () => {
    expect(parseStoredEntry('n t:x\n0,3\nline 1\nline 2')).toEqual({
      fieldsText: 'n t:x',
      stamp: '0,3',
      payload: 'line 1\nline 2',
    });
  });

  it('reads an entry with no fields when both header lines are empty', () => {
    expect(parseStoredEntry('\n\npayload')).toEqual({
      fieldsText: '',
      stamp: '',
      payload: 'payload',
    });
  });

  it('returns undefined when a header line is missing', () => {
    expect(parseStoredEntry('payload')).toBeUndefined();
    expect(parseStoredEntry('n\npayload')).toBeUndefined();
  });
});

describe('stampOf', () => {
  it('joins generations with commas and counts a missing key as 0', () => {
    expect(stampOf(['value', '3', null, '7'], 1, 3)).toBe('3,0,7');
  });

  it('returns the one generation as it is when there is one field', () => {
    expect(stampOf(['value', '12'], 1, 1)).toBe('12');
    expect(stampOf(['value', null], 1, 1)).toBe('0');
  });

  it('returns an empty stamp when there are no fields', () => {
    expect(stampOf([], 0, 0)).toBe('');
  });
});

describe('splitFields', () => {
  it('splits on spaces and reads an empty text as no fields', () => {
    expect(splitFields('n p:a t:b')).toEqual(['n', 'p:a', 't:b']);
    expect(splitFields('')).toEqual([]);
  });
});

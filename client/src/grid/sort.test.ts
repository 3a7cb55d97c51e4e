import { describe, expect, it } from 'vitest';
import { nextSort } from './sort.js';

describe('sorting from the headers', () => {
  it('cycles one field ascending, descending, off on click', () => {
    expect(nextSort('', 'a', false)).toBe('a');
    expect(nextSort('a', 'a', false)).toBe('-a');
    expect(nextSort('-a', 'a', false)).toBe('');
    expect(nextSort('a,-b', 'c', false)).toBe('c');
  });

  it('adds, flips in place and removes keys on shift-click', () => {
    expect(nextSort('a', 'b', true)).toBe('a,b');
    expect(nextSort('a,b', 'a', true)).toBe('-a,b');
    expect(nextSort('-a,b', 'a', true)).toBe('b');
  });
});

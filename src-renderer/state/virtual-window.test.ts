import { describe, expect, it } from 'vitest';
import { virtualWindow } from './virtual-window';

describe('virtualWindow', () => {
  it('renders the visible rows plus overscan at the top', () => {
    expect(virtualWindow(0, 26, 312, 10_000, 6)).toEqual({ first: 0, last: 18 });
  });
  it('follows the scroll position', () => {
    expect(virtualWindow(2600, 26, 312, 10_000, 6)).toEqual({ first: 94, last: 118 });
  });
  it('clamps at the end and on short lists', () => {
    expect(virtualWindow(26 * 9_990, 26, 312, 10_000, 6)).toEqual({ first: 9_984, last: 10_000 });
    expect(virtualWindow(0, 26, 312, 3, 6)).toEqual({ first: 0, last: 3 });
    expect(virtualWindow(500, 26, 312, 0, 6)).toEqual({ first: 0, last: 0 });
  });
});

import { describe, expect, it } from 'vitest';
import { moveColumn, shiftColumn } from './column-order.js';

const order = ['name', 'a', 'b', 'c', 'd'];

describe('moving grid columns', () => {
  it('puts a column dropped on another in that column\'s place', () => {
    expect(moveColumn(order, 'a', 'c')).toEqual(['name', 'b', 'c', 'a', 'd']);
    expect(moveColumn(order, 'd', 'b')).toEqual(['name', 'a', 'd', 'b', 'c']);
    expect(moveColumn(order, 'b', 'b')).toEqual(order);
  });

  it('keeps the primary field first', () => {
    expect(moveColumn(order, 'c', 'name')).toEqual(['name', 'c', 'a', 'b', 'd']);
    expect(moveColumn(order, 'name', 'c')).toEqual(order);
    expect(moveColumn(order, 'a', 'unknown')).toEqual(order);
  });

  it('shifts a column left and right from the menu, stopping at the ends', () => {
    expect(shiftColumn(order, 'b', -1)).toEqual(['name', 'b', 'a', 'c', 'd']);
    expect(shiftColumn(order, 'b', 1)).toEqual(['name', 'a', 'c', 'b', 'd']);
    expect(shiftColumn(order, 'a', -1)).toEqual(order);
    expect(shiftColumn(order, 'd', 1)).toEqual(order);
  });
});

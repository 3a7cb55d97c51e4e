import { describe, expect, it } from 'vitest';
import { placePopup } from './popup-position.js';

const viewport = { width: 1280, height: 800 };
const wanted = { height: 220, minWidth: 200 };

describe('placePopup', () => {
  it('opens under its anchor when there is room', () => {
    expect(placePopup({ top: 100, left: 300, width: 240, height: 36 }, viewport, wanted)).toEqual({ top: 138, left: 300, width: 240, maxHeight: 220, above: false });
  });

  it('flips above its anchor near the bottom of the screen', () => {
    const place = placePopup({ top: 700, left: 300, width: 240, height: 36 }, viewport, wanted);
    expect(place.above).toBe(true);
    expect(place.top + place.maxHeight).toBe(698);
    expect(place.maxHeight).toBe(220);
  });

  it('stays below and scrolls when below still has more room than above', () => {
    const place = placePopup({ top: 60, left: 0, width: 100, height: 36 }, { width: 390, height: 200 }, wanted);
    expect(place).toMatchObject({ above: false, top: 98, maxHeight: 98 });
  });

  it('is moved left to stay on a narrow screen, and is never wider than it', () => {
    expect(placePopup({ top: 100, left: 300, width: 80, height: 36 }, { width: 390, height: 844 }, wanted)).toMatchObject({ left: 186, width: 200 });
    expect(placePopup({ top: 100, left: 10, width: 500, height: 36 }, { width: 390, height: 844 }, wanted)).toMatchObject({ left: 4, width: 382 });
  });
});

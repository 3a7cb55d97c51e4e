/** A box on screen, in CSS pixels from the viewport's top left. */
export interface Box {
  top: number;
  left: number;
  width: number;
  height: number;
}

export interface PopupPlace {
  top: number;
  left: number;
  width: number;
  /** The list scrolls beyond this height, so it never leaves the viewport. */
  maxHeight: number;
  /** Above its anchor when there is not room enough below. */
  above: boolean;
}

const GAP = 2;
const MARGIN = 4;

/**
 * Where a list opened from `anchor` goes: under it, or above it when the room below is less than the list wants and
 * there is more room above; as wide as the anchor (at least `minWidth`) and moved left so that it stays on screen.
 */
export function placePopup(anchor: Box, viewport: { width: number; height: number }, wanted: { height: number; minWidth: number }): PopupPlace {
  const below = viewport.height - (anchor.top + anchor.height) - GAP - MARGIN;
  const aboveRoom = anchor.top - GAP - MARGIN;
  const above = below < wanted.height && aboveRoom > below;
  const maxHeight = Math.max(0, Math.min(wanted.height, above ? aboveRoom : below));
  const width = Math.min(Math.max(anchor.width, wanted.minWidth), viewport.width - 2 * MARGIN);
  const left = Math.max(MARGIN, Math.min(anchor.left, viewport.width - MARGIN - width));
  const top = above ? anchor.top - GAP - maxHeight : anchor.top + anchor.height + GAP;
  return { top, left, width, maxHeight, above };
}

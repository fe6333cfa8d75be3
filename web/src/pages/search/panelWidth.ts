// The row side panel's width: it overlays the right part of the results (the
// table keeps its width underneath, as in HyperDX and Datadog) and is resized
// by dragging its left edge or with the arrow keys. The width is kept between
// a readable minimum and what leaves some of the table visible, and is
// remembered in localStorage.

export const PANEL_DEFAULT_WIDTH = 520;
export const PANEL_MIN_WIDTH = 340;
export const TABLE_VISIBLE_MIN = 260; // px of the results left uncovered
export const PANEL_KEY_STEP = 40;
const STORAGE_KEY = 'otelstack.rowPanelWidth';

// The width to use in a container `containerWidth` wide (0: not measured yet).
export function clampPanelWidth(width: number, containerWidth: number): number {
  const max = containerWidth > 0 ? Math.max(PANEL_MIN_WIDTH, containerWidth - TABLE_VISIBLE_MIN) : Infinity;
  const w = Number.isFinite(width) ? width : PANEL_DEFAULT_WIDTH;
  return Math.round(Math.min(max, Math.max(PANEL_MIN_WIDTH, w)));
}

// The width after dragging the left edge from startX to x (left is wider).
export function dragWidth(startWidth: number, startX: number, x: number, containerWidth: number): number {
  return clampPanelWidth(startWidth + (startX - x), containerWidth);
}

export function loadPanelWidth(storage: Pick<Storage, 'getItem'> | null = safeStorage()): number {
  const v = Number(storage?.getItem(STORAGE_KEY));
  return v > 0 ? v : PANEL_DEFAULT_WIDTH;
}

export function savePanelWidth(width: number, storage: Pick<Storage, 'setItem'> | null = safeStorage()): void {
  try {
    storage?.setItem(STORAGE_KEY, String(Math.round(width)));
  } catch {
    // Storage full or disabled: the width is just not remembered.
  }
}

function safeStorage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

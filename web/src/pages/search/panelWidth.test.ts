import { describe, expect, it } from 'vitest';
import { clampPanelWidth, dragWidth, loadPanelWidth, PANEL_DEFAULT_WIDTH, PANEL_MIN_WIDTH, savePanelWidth, TABLE_VISIBLE_MIN } from './panelWidth';

describe('clampPanelWidth', () => {
  it('keeps a readable minimum', () => {
    expect(clampPanelWidth(100, 1200)).toBe(PANEL_MIN_WIDTH);
  });
  it('leaves part of the results visible', () => {
    expect(clampPanelWidth(5000, 1200)).toBe(1200 - TABLE_VISIBLE_MIN);
    expect(clampPanelWidth(600, 1200)).toBe(600);
  });
  it('never goes below the minimum in a narrow container', () => {
    expect(clampPanelWidth(500, 400)).toBe(PANEL_MIN_WIDTH);
  });
  it('does not cap before the container is measured', () => {
    expect(clampPanelWidth(900, 0)).toBe(900);
    expect(clampPanelWidth(NaN, 0)).toBe(PANEL_DEFAULT_WIDTH);
  });
});

describe('dragWidth', () => {
  it('widens when the edge moves left', () => {
    expect(dragWidth(500, 800, 700, 1400)).toBe(600);
    expect(dragWidth(500, 800, 900, 1400)).toBe(400);
  });
});

describe('stored width', () => {
  it('round-trips and falls back to the default', () => {
    const m = new Map<string, string>();
    const storage = { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v) };
    expect(loadPanelWidth(storage)).toBe(PANEL_DEFAULT_WIDTH);
    savePanelWidth(612.4, storage);
    expect(loadPanelWidth(storage)).toBe(612);
    expect(loadPanelWidth(null)).toBe(PANEL_DEFAULT_WIDTH);
  });
});

// The draggable left edge of the row side panel (a vertical separator):
// drag it or use ←/→ (Home/End: widest/narrowest) to resize the panel.
import { useRef } from 'react';
import { clampPanelWidth, dragWidth, PANEL_KEY_STEP, PANEL_MIN_WIDTH, TABLE_VISIBLE_MIN } from './panelWidth';

interface Props {
  width: number;
  containerWidth: () => number;
  onResize: (width: number) => void;
  onResizeEnd: (width: number) => void;
}

export default function PanelResizer({ width, containerWidth, onResize, onResizeEnd }: Props) {
  const drag = useRef<{ startX: number; startWidth: number; last: number } | null>(null);
  const cw = containerWidth();
  const max = cw > 0 ? Math.max(PANEL_MIN_WIDTH, cw - TABLE_VISIBLE_MIN) : width;

  const setKeyboard = (w: number) => {
    const next = clampPanelWidth(w, containerWidth());
    onResize(next);
    onResizeEnd(next);
  };

  return (
    <div
      className="sr-panel-resizer"
      role="separator"
      aria-orientation="vertical"
      aria-label="Resize row details"
      aria-valuenow={width}
      aria-valuemin={PANEL_MIN_WIDTH}
      aria-valuemax={max}
      tabIndex={0}
      title="Drag to resize"
      onPointerDown={(e) => {
        e.preventDefault();
        e.currentTarget.setPointerCapture(e.pointerId);
        drag.current = { startX: e.clientX, startWidth: width, last: width };
      }}
      onPointerMove={(e) => {
        const d = drag.current;
        if (!d) return;
        d.last = dragWidth(d.startWidth, d.startX, e.clientX, containerWidth());
        onResize(d.last);
      }}
      onPointerUp={() => {
        if (drag.current) onResizeEnd(drag.current.last);
        drag.current = null;
      }}
      onPointerCancel={() => {
        drag.current = null;
      }}
      onKeyDown={(e) => {
        if (e.key === 'ArrowLeft') setKeyboard(width + PANEL_KEY_STEP);
        else if (e.key === 'ArrowRight') setKeyboard(width - PANEL_KEY_STEP);
        else if (e.key === 'Home') setKeyboard(containerWidth() || width);
        else if (e.key === 'End') setKeyboard(PANEL_MIN_WIDTH);
        else return;
        e.preventDefault();
      }}
    />
  );
}

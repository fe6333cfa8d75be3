// The count-over-time histogram above the results: stacked bars per level
// (severity for logs, status code for spans) drawn with uPlot, a hover
// tooltip with each level's count, a legend with totals, and drag-to-zoom
// (the selected span becomes the new time range).
import { useEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatTime, type TimeZoneChoice } from '../../lib/timezone';
import { stackCounts, type Histogram as HistogramData } from './histogramData';

export interface HistogramProps {
  data: HistogramData | null;
  tz: TimeZoneChoice;
  height?: number;
  onZoom: (fromMs: number, toMs: number) => void;
}

interface Hover {
  idx: number;
  left: number;
}

const AXIS = { stroke: '#9aa3b2', grid: { stroke: '#2a2f3a', width: 1 }, ticks: { stroke: '#2a2f3a', width: 1 } };

function compact(n: number): string {
  return Intl.NumberFormat(undefined, { notation: 'compact', maximumFractionDigits: 1 }).format(n);
}

export default function Histogram({ data, tz, height = 120, onZoom }: HistogramProps) {
  const boxRef = useRef<HTMLDivElement>(null);
  const plotRef = useRef<uPlot | null>(null);
  const zoomRef = useRef(onZoom);
  zoomRef.current = onZoom;
  const [hover, setHover] = useState<Hover | null>(null);

  useEffect(() => {
    const box = boxRef.current;
    if (!box || !data) return;
    const step = data.stepMs / 1000;
    const stacks = stackCounts(data.groups);
    const bars = uPlot.paths.bars!({ align: 1, size: [0.92, 80], gap: 1 });
    const opts: uPlot.Options = {
      width: Math.max(200, box.clientWidth),
      height,
      legend: { show: false },
      padding: [8, 8, 0, 0],
      tzDate: tz === 'utc' ? (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC') : (ts) => new Date(ts * 1000),
      cursor: {
        drag: { x: true, y: false, setScale: false },
        points: { show: false },
        y: false,
      },
      select: { show: true, left: 0, top: 0, width: 0, height: 0 },
      scales: {
        x: { time: true, range: () => [data.xs[0], data.xs[data.xs.length - 1] + step] },
        y: { range: (_u, _min, max) => [0, Math.max(1, max) * 1.05] },
      },
      axes: [
        { ...AXIS, space: 80 },
        { ...AXIS, size: 44, values: (_u, splits) => splits.map((v) => (Number.isInteger(v) ? compact(v) : '')) },
      ],
      series: [
        {},
        ...data.groups.map((g) => ({
          label: g.name || '(none)',
          stroke: g.color,
          fill: g.color,
          width: 0,
          paths: bars,
          points: { show: false },
        })),
      ],
      hooks: {
        setCursor: [
          (u) => {
            const idx = u.cursor.idx;
            setHover(idx === null || idx === undefined || u.cursor.left === undefined || u.cursor.left < 0 ? null : { idx, left: u.cursor.left });
          },
        ],
        setSelect: [
          (u) => {
            if (u.select.width > 3) {
              const a = u.posToVal(u.select.left, 'x');
              const b = u.posToVal(u.select.left + u.select.width, 'x');
              zoomRef.current(Math.floor(a * 1000), Math.ceil(b * 1000));
            }
            u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
          },
        ],
      },
    };
    const plot = new uPlot(opts, [data.xs, ...stacks], box);
    plotRef.current = plot;
    const ro = new ResizeObserver(() => plot.setSize({ width: Math.max(200, box.clientWidth), height }));
    ro.observe(box);
    return () => {
      ro.disconnect();
      plot.destroy();
      plotRef.current = null;
      setHover(null);
    };
  }, [data, tz, height]);

  const tip = hover && data ? tooltip(data, hover.idx, tz) : null;

  return (
    <div className="sr-histogram">
      <div className="sr-histogram-plot" ref={boxRef} onMouseLeave={() => setHover(null)} title="Drag to zoom into a time range">
        {tip && hover && (
          <div className="sr-histogram-tip" style={{ left: Math.min(hover.left + 56, (boxRef.current?.clientWidth ?? 400) - 220) }}>
            <div className="mono">{tip.when}</div>
            {tip.lines.map((l) => (
              <div key={l.name} className="sr-tip-line">
                <span className="sr-swatch" style={{ background: l.color }} /> {l.name || '(none)'} <b>{l.count.toLocaleString()}</b>
              </div>
            ))}
            <div className="sr-tip-line muted">
              Total <b>{tip.total.toLocaleString()}</b>
            </div>
          </div>
        )}
      </div>
      {data && data.groups.length > 0 && (
        <div className="sr-legend" aria-label="Levels">
          {data.groups.map((g) => (
            <span key={g.name} className="sr-legend-item">
              <span className="sr-swatch" style={{ background: g.color }} /> {g.name || '(none)'} {g.total.toLocaleString()}
            </span>
          ))}
        </div>
      )}
    </div>
  );
}

function tooltip(data: HistogramData, idx: number, tz: TimeZoneChoice) {
  const start = data.xs[idx] * 1000;
  const lines = data.groups.map((g) => ({ name: g.name, color: g.color, count: g.counts[idx] })).filter((l) => l.count > 0);
  return {
    when: `${formatTime(start, tz)} – ${formatTime(start + data.stepMs, tz).slice(11)}`,
    lines,
    total: lines.reduce((s, l) => s + l.count, 0),
  };
}

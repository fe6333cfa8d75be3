// A time-series chart on uPlot: lines or stacked bars, one series per group,
// a clickable legend (show/hide), and a tooltip listing every visible
// series' value at the hovered bucket. Severity and span status groups take
// their level colours (seriesColors.ts). Fills its parent's width; height is
// fixed or the parent's. Times follow the user's time zone; durations in ns
// are shown in ms/s/µs.
import { useEffect, useMemo, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatTime, useTimeZone } from '../../lib/timezone';
import { formatValue, type ValueUnit } from './format';
import { seriesColors } from './seriesColors';
import { stackMax, stackValues } from './stack';
import { hasIsolatedValues } from './gaps';
import './TimeSeriesChart.css';

export interface ChartSeries {
  key: string;
  label: string;
  values: (number | null)[];
  group?: unknown[]; // group-by values: severities and span statuses get their level colours
}

interface Props {
  x: number[]; // bucket starts, ms
  series: ChartSeries[];
  kind: 'line' | 'stacked_bar';
  unit: ValueUnit;
  bucketMs: number;
  height?: number; // fixed height of the plot; without it, the parent's height
}

interface Hover {
  idx: number;
  left: number;
  top: number;
}

const AXIS = { stroke: '#9aa3b2', grid: { stroke: 'rgba(42,47,58,0.9)', width: 1 }, ticks: { stroke: 'rgba(42,47,58,0.9)', width: 1 } };

export default function TimeSeriesChart({ x, series, kind, unit, bucketMs, height }: Props) {
  const tz = useTimeZone();
  const plotRef = useRef<HTMLDivElement>(null);
  const chartRef = useRef<uPlot | null>(null);
  const [size, setSize] = useState<{ width: number; height: number } | null>(null);
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  const [hover, setHover] = useState<Hover | null>(null);

  const colors = useMemo(() => seriesColors(series), [series]);
  const visible = useMemo(() => series.filter((s) => !hidden.has(s.key)), [series, hidden]);

  // Follow the container's size.
  useEffect(() => {
    const el = plotRef.current;
    if (!el) return;
    const observer = new ResizeObserver(() => {
      const width = Math.floor(el.clientWidth);
      const h = height ?? Math.floor(el.clientHeight);
      setSize((prev) => (prev && prev.width === width && prev.height === h ? prev : { width, height: Math.max(h, 80) }));
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [height]);

  // (Re)build the plot when the data or its look changes.
  useEffect(() => {
    const el = plotRef.current;
    if (!el || !size || size.width <= 0) return;
    const stacked = kind === 'stacked_bar';
    // Stacked: tallest stack first, so the smaller ones are drawn over it.
    const order = stacked ? [...visible].reverse() : visible;
    const stackedValues = stacked ? stackValues(visible.map((s) => s.values)).reverse() : null;
    const data: uPlot.AlignedData = [x, ...order.map((s, i) => (stackedValues ? stackedValues[i] : s.values))];
    const bars = uPlot.paths.bars!({ size: [0.8, 48], align: 0, gap: 1 });
    const opts: uPlot.Options = {
      width: size.width,
      height: size.height,
      ms: 1,
      tzDate: tz === 'utc' ? (ts) => uPlot.tzDate(new Date(ts), 'Etc/UTC') : (ts) => new Date(ts),
      legend: { show: false },
      cursor: { drag: { x: false, y: false }, points: stacked ? { show: false } : { size: 6 } },
      scales: {
        x: {
          time: true,
          range: (_u, min, max) =>
            stacked ? [(min ?? x[0]) - bucketMs / 2, (max ?? x[x.length - 1]) + bucketMs / 2] : [min ?? x[0], max ?? x[x.length - 1]],
        },
        y: {
          range: (_u, min, max) => {
            const top = stackedValues ? stackMax([stackedValues[0] ?? []]) : max ?? 0;
            const low = stacked ? 0 : Math.min(0, min ?? 0);
            return [low, top > low ? top * 1.05 : low + 1];
          },
        },
      },
      axes: [
        { ...AXIS, space: 70 },
        { ...AXIS, size: 64, values: (_u, ticks) => ticks.map((t) => formatValue(t, unit)) },
      ],
      series: [
        {},
        ...order.map((s) => {
          const color = colors.get(s.key) ?? '#4c9aff';
          return stacked
            ? { label: s.label, stroke: color, fill: color, width: 0, paths: bars, points: { show: false } }
            : { label: s.label, stroke: color, width: 1.5, spanGaps: false, points: { show: x.length < 40 || hasIsolatedValues(s.values), size: 4 } };
        }),
      ],
      hooks: {
        setCursor: [
          (u) => {
            const idx = u.cursor.idx;
            if (idx === null || idx === undefined || u.cursor.left === undefined || u.cursor.left < 0) setHover(null);
            else setHover({ idx, left: u.cursor.left, top: u.cursor.top ?? 0 });
          },
        ],
      },
    };
    chartRef.current?.destroy();
    chartRef.current = new uPlot(opts, data, el);
    return () => {
      chartRef.current?.destroy();
      chartRef.current = null;
    };
  }, [x, visible, kind, unit, tz, bucketMs, colors, size !== null]); // resizes: setSize below, no rebuild

  useEffect(() => {
    if (size && chartRef.current) chartRef.current.setSize(size);
  }, [size]);

  const toggle = (key: string) =>
    setHidden((prev) => {
      const next = new Set(prev);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });

  return (
    <div className={`tsc${height === undefined ? ' tsc-fill' : ''}`}>
      <div className="tsc-plot" ref={plotRef} style={height !== undefined ? { height } : undefined} onMouseLeave={() => setHover(null)}>
        {hover && <Tooltip hover={hover} x={x} series={visible} colors={colors} unit={unit} tz={tz} width={size?.width ?? 0} />}
      </div>
      {series.length > 1 || series.some((s) => s.label) ? (
        <ul className="tsc-legend" aria-label="Series">
          {series.map((s) => (
            <li key={s.key}>
              <button
                type="button"
                className={`tsc-legend-item${hidden.has(s.key) ? ' off' : ''}`}
                aria-pressed={!hidden.has(s.key)}
                title={hidden.has(s.key) ? 'Show this series' : 'Hide this series'}
                onClick={() => toggle(s.key)}
              >
                <span className="tsc-swatch" style={{ background: colors.get(s.key) }} />
                {s.label || '(all)'}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

interface TooltipProps {
  hover: Hover;
  x: number[];
  series: ChartSeries[];
  colors: Map<string, string>;
  unit: ValueUnit;
  tz: 'local' | 'utc';
  width: number;
}

const TOOLTIP_ROWS = 12;

function Tooltip({ hover, x, series, colors, unit, tz, width }: TooltipProps) {
  const withValues = series
    .map((s) => ({ s, v: s.values[hover.idx] }))
    .filter((r) => r.v !== null && r.v !== undefined)
    .sort((a, b) => (b.v as number) - (a.v as number));
  // Zeros (empty buckets of counts) only when nothing else is there.
  const nonZero = withValues.filter((r) => r.v !== 0);
  const rows = nonZero.length > 0 ? nonZero : withValues;
  const flip = hover.left > width / 2;
  return (
    <div
      className="tsc-tooltip"
      role="status"
      style={{ top: Math.max(0, hover.top - 10), ...(flip ? { right: width - hover.left + 12 } : { left: hover.left + 12 }) }}
    >
      <div className="tsc-tooltip-time">{formatTime(x[hover.idx], tz)}</div>
      {rows.length === 0 && <div className="muted">No data in this bucket</div>}
      {rows.slice(0, TOOLTIP_ROWS).map(({ s, v }) => (
        <div key={s.key} className="tsc-tooltip-row">
          <span className="tsc-swatch" style={{ background: colors.get(s.key) }} />
          <span className="tsc-tooltip-label">{s.label || 'value'}</span>
          <span className="tsc-tooltip-value">{formatValue(v, unit)}</span>
        </div>
      ))}
      {rows.length > TOOLTIP_ROWS && <div className="muted">+{rows.length - TOOLTIP_ROWS} more</div>}
    </div>
  );
}

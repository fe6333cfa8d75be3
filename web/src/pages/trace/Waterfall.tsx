// The waterfall: one row per span (indented by depth, collapsible), a bar
// placed by start and duration on a shared time axis, coloured by service,
// outlined red on errors. Rows are virtualized so 100000-span traces scroll.
import { useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { formatDurationNs } from '../../components/charts/format';
import { barPosition, timeTicks, type WaterfallRow } from './waterfall';

const ROW_HEIGHT = 26;
const INDENT_PX = 14;

interface Props {
  rows: WaterfallRow[];
  totalNs: number;
  colors: Map<string, string>; // per service
  collapsed: ReadonlySet<string>;
  selectedKey: string | null;
  onToggle: (key: string) => void;
  onSelect: (key: string) => void;
}

export default function Waterfall({ rows, totalNs, colors, collapsed, selectedKey, onToggle, onSelect }: Props) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 20,
  });
  const ticks = timeTicks(totalNs);

  return (
    <div className="wf" role="tree" aria-label="Spans">
      <div className="wf-axis" aria-hidden="true">
        <div className="wf-label-col">Span</div>
        <div className="wf-track">
          {ticks.map((t) => (
            <span key={t} className="wf-tick" style={{ left: `${barPosition(t, 0, totalNs).left}%` }}>
              {formatDurationNs(t)}
            </span>
          ))}
        </div>
      </div>
      <div className="wf-scroll" ref={scrollRef}>
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const row = rows[item.index];
            return (
              <WaterfallRowView
                key={row.key}
                row={row}
                top={item.start}
                totalNs={totalNs}
                color={colors.get(row.span.service) ?? '#4c9aff'}
                ticks={ticks}
                collapsed={collapsed.has(row.key)}
                selected={row.key === selectedKey}
                onToggle={onToggle}
                onSelect={onSelect}
              />
            );
          })}
        </div>
      </div>
    </div>
  );
}

interface RowProps {
  row: WaterfallRow;
  top: number;
  totalNs: number;
  color: string;
  ticks: number[];
  collapsed: boolean;
  selected: boolean;
  onToggle: (key: string) => void;
  onSelect: (key: string) => void;
}

function WaterfallRowView({ row, top, totalNs, color, ticks, collapsed, selected, onToggle, onSelect }: RowProps) {
  const { span } = row;
  const { left, width } = barPosition(row.offsetNs, row.durationNs, totalNs);
  const duration = formatDurationNs(row.durationNs);
  const labelRight = left + width > 75;
  return (
    <div
      className={`wf-row${selected ? ' selected' : ''}${span.isError ? ' error' : ''}`}
      style={{ top, height: ROW_HEIGHT }}
      role="treeitem"
      aria-level={row.depth + 1}
      aria-selected={selected}
      aria-expanded={row.childCount > 0 ? !collapsed : undefined}
    >
      <div className="wf-label-col" style={{ paddingLeft: 4 + row.depth * INDENT_PX }}>
        {row.childCount > 0 ? (
          <button
            type="button"
            className="wf-toggle"
            aria-label={`${collapsed ? 'Expand' : 'Collapse'} ${span.name} (${row.childCount} children)`}
            onClick={() => onToggle(row.key)}
          >
            {collapsed ? '▸' : '▾'}
          </button>
        ) : (
          <span className="wf-toggle-space" />
        )}
        <button type="button" className="wf-name" onClick={() => onSelect(row.key)} title={`${span.service}: ${span.name}`}>
          {span.isError && (
            <span className="wf-error-mark" aria-label="error">
              !
            </span>
          )}
          <span className="wf-service" style={{ color }}>
            {span.service || '(no service)'}
          </span>{' '}
          <span className="wf-span-name">{span.name || '(no name)'}</span>
          {row.orphan && <span className="wf-orphan" title="Its parent span is not in this trace">orphan</span>}
          {collapsed && <span className="wf-hidden-count">+{row.childCount}</span>}
        </button>
      </div>
      <button type="button" className="wf-track wf-track-button" tabIndex={-1} onClick={() => onSelect(row.key)} aria-hidden="true">
        {ticks.map((t) => (
          <span key={t} className="wf-gridline" style={{ left: `${barPosition(t, 0, totalNs).left}%` }} />
        ))}
        <span
          className="wf-bar"
          style={{ left: `${left}%`, width: `max(${width}%, 2px)`, background: color }}
        />
        <span
          className="wf-duration"
          style={labelRight ? { right: `${100 - left}%`, paddingRight: 6 } : { left: `calc(${left + width}% + 6px)` }}
        >
          {duration}
        </span>
      </button>
    </div>
  );
}

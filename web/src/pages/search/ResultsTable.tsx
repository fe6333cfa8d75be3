// The result rows as a virtualized table (@tanstack/react-virtual): only the
// rows on screen are in the DOM. Columns are chosen by the user; clicking a
// row (or Enter on it) opens it in the side panel; nearing the end loads the
// next page; scrolling away from the top is reported (live tail pauses).
import { useEffect, useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { Row } from '../../api/types';
import { formatTime, parseRowTime, type TimeZoneChoice } from '../../lib/timezone';
import { levelColor } from '../../components/severity';
import { cachedRowKey } from './rowKeyCache';
import { formatDurationNs, formatValue, getFieldValue, LEVEL_COLUMN, type SignalKind } from './rowFields';

export interface ResultsTableProps {
  rows: Row[];
  columns: string[];
  kind: SignalKind;
  tz: TimeZoneChoice;
  timeColumn: string;
  selectedKey: string | null;
  onSelect: (row: Row) => void;
  onRemoveColumn: (column: string) => void;
  hasMore: boolean;
  loadingMore: boolean;
  onLoadMore: () => void;
  onAtTopChange: (atTop: boolean) => void;
  footer?: React.ReactNode;
}

const ROW_HEIGHT = 26;

function columnWidth(column: string, isLast: boolean, kind: SignalKind, timeColumn: string): string {
  if (column === 'Body' || (isLast && column !== timeColumn)) return 'minmax(320px, 1fr)';
  if (column === timeColumn || column === 'ObservedTimestamp') return '190px';
  if (column === LEVEL_COLUMN[kind]) return '112px';
  if (column === 'Duration') return '100px';
  if (column === 'ServiceName') return '140px';
  if (column === 'TraceId') return '270px';
  return '180px';
}

export function gridTemplate(columns: string[], kind: SignalKind, timeColumn: string): string {
  const hasFlex = columns.some((c) => c === 'Body');
  return columns.map((c, i) => columnWidth(c, !hasFlex && i === columns.length - 1, kind, timeColumn)).join(' ');
}

function Cell({ row, column, kind, tz, timeColumn }: { row: Row; column: string; kind: SignalKind; tz: TimeZoneChoice; timeColumn: string }) {
  const value = getFieldValue(row, column, kind);
  if ((column === timeColumn || column === 'ObservedTimestamp') && typeof value === 'string') {
    const ms = parseRowTime(value);
    return <span className="sr-cell mono" title={value}>{Number.isFinite(ms) ? formatTime(ms, tz) : value}</span>;
  }
  if (column === LEVEL_COLUMN[kind]) {
    const text = formatValue(value);
    return (
      <span className="sr-cell sr-level" style={{ color: levelColor(text, kind) }}>
        {text}
      </span>
    );
  }
  if (column === 'Duration' && kind === 'trace') return <span className="sr-cell mono sr-num">{formatDurationNs(value)}</span>;
  const text = formatValue(value);
  return (
    <span className={`sr-cell${column === 'Body' ? '' : ' mono'}`} title={text && (column === 'Body' || text.length > 60) ? text.slice(0, 2000) : undefined}>
      {text}
    </span>
  );
}

export default function ResultsTable(props: ResultsTableProps) {
  const { rows, columns, kind, tz, timeColumn, selectedKey, onSelect, onRemoveColumn, hasMore, loadingMore, onLoadMore, onAtTopChange, footer } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  const template = gridTemplate(columns, kind, timeColumn);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 20,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.length ? items[items.length - 1].index : -1;

  useEffect(() => {
    if (hasMore && !loadingMore && lastIndex >= rows.length - 40) onLoadMore();
  }, [lastIndex, rows.length, hasMore, loadingMore, onLoadMore]);

  const atTopRef = useRef(true);
  const onScroll = () => {
    const atTop = (scrollRef.current?.scrollTop ?? 0) < 4;
    if (atTop !== atTopRef.current) {
      atTopRef.current = atTop;
      onAtTopChange(atTop);
    }
  };

  return (
    <div className="sr-table" ref={scrollRef} onScroll={onScroll} role="table" aria-label="Results" aria-rowcount={rows.length}>
      <div className="sr-thead" role="row" style={{ gridTemplateColumns: template }}>
        {columns.map((c) => (
          <div key={c} role="columnheader" className="sr-th">
            <span className="sr-th-name mono" title={c}>{c}</span>
            <button type="button" className="sr-th-remove" aria-label={`Remove column ${c}`} title="Remove column" onClick={() => onRemoveColumn(c)}>
              ×
            </button>
          </div>
        ))}
      </div>
      <div className="sr-tbody" style={{ height: virtualizer.getTotalSize() }}>
        {items.map((vi) => {
          const row = rows[vi.index];
          const key = cachedRowKey(row);
          const level = formatValue(getFieldValue(row, LEVEL_COLUMN[kind], kind));
          return (
            <div
              key={vi.key}
              role="row"
              tabIndex={0}
              aria-selected={key === selectedKey}
              className={`sr-tr${key === selectedKey ? ' selected' : ''}`}
              style={{ transform: `translateY(${vi.start}px)`, gridTemplateColumns: template, borderLeftColor: levelColor(level, kind) }}
              onClick={() => onSelect(row)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' || e.key === ' ') {
                  e.preventDefault();
                  onSelect(row);
                } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
                  e.preventDefault();
                  const sibling = (e.key === 'ArrowDown' ? e.currentTarget.nextElementSibling : e.currentTarget.previousElementSibling) as HTMLElement | null;
                  sibling?.focus();
                }
              }}
            >
              {columns.map((c) => (
                <Cell key={c} row={row} column={c} kind={kind} tz={tz} timeColumn={timeColumn} />
              ))}
            </div>
          );
        })}
      </div>
      <div className="sr-tfoot">{footer}</div>
    </div>
  );
}

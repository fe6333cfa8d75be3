// A time range picker for search-like pages: a button naming the range
// ("Last 15 minutes" or "from → to"), and a popover with a box that reads
// natural language ("last 2 hours", "yesterday", "since 10:30", "A to B"),
// the presets, and absolute From/To inputs in the display time zone.
// Reusable: give it the range as time expressions (see timeRange.ts).
import { useCallback, useId, useMemo, useRef, useState } from 'react';
import { formatTime, useTimeZone } from '../../lib/timezone';
import {
  describeRelative,
  parseDateTime,
  parseNaturalRange,
  resolveRange,
  TIME_PRESETS,
  type TimeRangeExpr,
} from './timeRange';
import './TimePicker.css';
import { useClickOutside } from '../useClickOutside';

export interface TimePickerProps {
  value: TimeRangeExpr;
  onChange: (range: TimeRangeExpr) => void;
}

// "Last 15 minutes", or the two ends formatted in the display zone.
export function rangeLabel(range: TimeRangeExpr, now: number, tz: 'local' | 'utc'): string {
  const rel = describeRelative(range);
  if (rel) return rel;
  const r = resolveRange(range, now);
  if (!r) return 'Invalid range';
  const to = range.to === 'now' ? 'now' : formatTime(r.toMs, tz);
  return `${formatTime(r.fromMs, tz)} → ${to}`;
}

export default function TimePicker({ value, onChange }: TimePickerProps) {
  const tz = useTimeZone();
  const [open, setOpen] = useState(false);
  const rootRef = useRef<HTMLDivElement>(null);
  const label = rangeLabel(value, Date.now(), tz);

  useClickOutside(rootRef, Boolean(open), useCallback(() => setOpen(false), []));

  const apply = (range: TimeRangeExpr) => {
    onChange(range);
    setOpen(false);
  };

  return (
    <div className="tp" ref={rootRef} onKeyDown={(e) => e.key === 'Escape' && setOpen(false)}>
      <button type="button" className="secondary tp-button" aria-haspopup="dialog" aria-expanded={open} onClick={() => setOpen((o) => !o)} title="Time range">
        <svg className="tp-icon" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
          <circle cx="8" cy="8" r="6.5" fill="none" stroke="currentColor" strokeWidth="1.5" />
          <path d="M8 4.5V8l2.5 1.5" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" />
        </svg>
        {label}
      </button>
      {open && <TimePickerPopover value={value} tz={tz} onApply={apply} />}
    </div>
  );
}

function TimePickerPopover({ value, tz, onApply }: { value: TimeRangeExpr; tz: 'local' | 'utc'; onApply: (r: TimeRangeExpr) => void }) {
  const id = useId();
  const [text, setText] = useState('');
  const resolved = useMemo(() => resolveRange(value, Date.now()), [value]);
  const [fromText, setFromText] = useState(resolved ? formatTime(resolved.fromMs, tz) : '');
  const [toText, setToText] = useState(value.to === 'now' ? 'now' : resolved ? formatTime(resolved.toMs, tz) : '');
  const [absError, setAbsError] = useState<string | null>(null);

  const now = Date.now();
  const parsed = text.trim() ? parseNaturalRange(text, now, tz) : null;
  const preview = parsed?.ok ? resolveRange(parsed.range, now) : null;

  const applyAbsolute = () => {
    const f = parseDateTime(fromText, now, tz);
    const t = parseDateTime(toText, now, tz);
    if (f === null) return setAbsError(`From: cannot read "${fromText}" (use YYYY-MM-DD HH:MM[:SS])`);
    if (t === null) return setAbsError(`To: cannot read "${toText}" (use YYYY-MM-DD HH:MM[:SS] or now)`);
    if (f > t) return setAbsError('From is after To');
    setAbsError(null);
    onApply({ from: String(f), to: toText.trim().toLowerCase() === 'now' ? 'now' : String(t) });
  };

  return (
    <div className="tp-popover" role="dialog" aria-label="Choose a time range">
      <label htmlFor={`${id}-nl`} className="tp-heading">Type a range</label>
      <input
        id={`${id}-nl`}
        autoFocus
        value={text}
        placeholder='last 2 hours, yesterday, since 10:30, 2026-11-21 10:00 to 12:00'
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && parsed?.ok) {
            e.preventDefault();
            onApply(parsed.range);
          }
        }}
      />
      <div className="tp-preview" aria-live="polite">
        {parsed && !parsed.ok && <span className="tp-error">{parsed.error}</span>}
        {preview && (
          <span>
            {formatTime(preview.fromMs, tz)} → {formatTime(preview.toMs, tz)} <span className="muted">(Enter to apply)</span>
          </span>
        )}
      </div>
      <div className="tp-columns">
        <div className="tp-presets" role="group" aria-label="Presets">
          <div className="tp-heading">Quick ranges</div>
          {TIME_PRESETS.map((p) => (
            <button
              key={p.from}
              type="button"
              className={`tp-preset${value.from === p.from && value.to === 'now' ? ' active' : ''}`}
              onClick={() => onApply({ from: p.from, to: 'now' })}
            >
              {p.label}
            </button>
          ))}
        </div>
        <form
          className="tp-absolute"
          onSubmit={(e) => {
            e.preventDefault();
            applyAbsolute();
          }}
        >
          <div className="tp-heading">Absolute range ({tz === 'utc' ? 'UTC' : 'local time'})</div>
          <label htmlFor={`${id}-from`}>From</label>
          <input id={`${id}-from`} className="mono" value={fromText} onChange={(e) => setFromText(e.target.value)} placeholder="2026-11-21 10:00:00" />
          <label htmlFor={`${id}-to`}>To</label>
          <input id={`${id}-to`} className="mono" value={toText} onChange={(e) => setToText(e.target.value)} placeholder="2026-11-21 12:00:00 or now" />
          {absError && <div className="tp-error">{absError}</div>}
          <button type="submit">Apply</button>
        </form>
      </div>
    </div>
  );
}

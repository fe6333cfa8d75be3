// One colour rule for levels everywhere: log severities (ERROR/FATAL red,
// WARN amber, INFO blue, DEBUG/TRACE grey) and span status codes (Error red,
// Ok green, Unset grey). Used by the search histogram, the results table and
// row panel, and by charts whose series are groups of a severity or status.

export type LevelKind = 'log' | 'trace';

export const LEVEL_COLORS = {
  error: '#e5484d',
  warn: '#f5b041',
  info: '#4c9aff',
  debug: '#6b7280',
  ok: '#3ecf8e',
  other: '#a78bfa',
  none: '#4b5563',
};

// OpenTelemetry severity texts may carry a number (INFO2, WARN3).
const LOG_LEVELS: [RegExp, string][] = [
  [/^(FATAL|CRITICAL|EMERGENCY|ALERT|ERROR|ERR)\d*$/, LEVEL_COLORS.error],
  [/^WARN(ING)?\d*$/, LEVEL_COLORS.warn],
  [/^(INFO|INFORMATION|NOTICE)\d*$/, LEVEL_COLORS.info],
  [/^(DEBUG|TRACE)\d*$/, LEVEL_COLORS.debug],
];

function statusColor(upper: string): string | null {
  if (upper === 'ERROR' || upper === 'STATUS_CODE_ERROR') return LEVEL_COLORS.error;
  if (upper === 'OK' || upper === 'STATUS_CODE_OK') return LEVEL_COLORS.ok;
  if (upper === 'UNSET' || upper === 'STATUS_CODE_UNSET') return LEVEL_COLORS.debug;
  return null;
}

function severityColor(upper: string): string | null {
  for (const [re, color] of LOG_LEVELS) if (re.test(upper)) return color;
  return null;
}

// The colour of a severity (logs) or status code (traces); every value gets
// one (unknown levels purple, none dark grey).
export function levelColor(level: string, kind: LevelKind): string {
  const l = level.trim().toUpperCase();
  if (kind === 'trace') return statusColor(l) ?? LEVEL_COLORS.debug;
  if (l === '') return LEVEL_COLORS.none;
  return severityColor(l) ?? LEVEL_COLORS.other;
}

// For values of unknown origin (a chart's group): the level colour when the
// value is a severity or span status name, else null (use a palette).
export function knownLevelColor(value: string): string | null {
  const l = value.trim().toUpperCase();
  if (l === '') return null;
  return severityColor(l) ?? statusColor(l);
}
